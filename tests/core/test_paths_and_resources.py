"""Where ML Day keeps its files, and how it finds the resources it ships."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ml_day import resources
from ml_day.paths import DATA_DIR_ENV, AppPaths, resolve_paths
from ml_day.resources import BUILTIN_TEMPLATE, read_resource_text, resource_path, resources_root

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def platform_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The XDG folders pointed into tmp_path, and no ML_DAY_DATA_DIR."""
    data_home = tmp_path / "xdg-data"
    state_home = tmp_path / "xdg-state"
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    monkeypatch.setenv("XDG_STATE_HOME", str(state_home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    return data_home, state_home


def test_an_explicit_data_folder_holds_everything(
    tmp_path: Path, platform_dirs: tuple[Path, Path]
) -> None:
    paths = resolve_paths(tmp_path / "mine")
    assert paths == AppPaths(
        data_dir=tmp_path / "mine", log_dir=tmp_path / "mine" / "logs", chosen=True
    )
    assert paths.database == tmp_path / "mine" / "plan.sqlite3"
    assert paths.settings == tmp_path / "mine" / "settings.ini"
    assert paths.log_file == tmp_path / "mine" / "logs" / "ml-day.log"
    assert resolve_paths(str(tmp_path / "mine")) == paths
    # Resolving creates nothing.
    assert not (tmp_path / "mine").exists()


def test_a_relative_or_home_folder_becomes_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform_dirs: tuple[Path, Path]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_paths("rel").data_dir == tmp_path / "rel"
    assert resolve_paths("rel").data_dir.is_absolute()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert resolve_paths("~/plans").data_dir == tmp_path / "home" / "plans"


def test_the_environment_variable_chooses_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform_dirs: tuple[Path, Path]
) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from-env"))
    paths = resolve_paths()
    assert paths.data_dir == tmp_path / "from-env"
    assert paths.database == tmp_path / "from-env" / "plan.sqlite3"
    assert paths.log_dir == tmp_path / "from-env" / "logs"
    # An explicit folder wins over the environment.
    assert resolve_paths(tmp_path / "explicit").data_dir == tmp_path / "explicit"


def test_an_empty_environment_variable_is_ignored(
    monkeypatch: pytest.MonkeyPatch, platform_dirs: tuple[Path, Path]
) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, "")
    data_home, _ = platform_dirs
    assert resolve_paths().data_dir == data_home / "ml-day"


def test_the_default_follows_the_platform_folders(platform_dirs: tuple[Path, Path]) -> None:
    data_home, state_home = platform_dirs
    paths = resolve_paths()
    assert paths.data_dir == data_home / "ml-day"
    assert paths.database == data_home / "ml-day" / "plan.sqlite3"
    assert paths.settings.parent == data_home / "ml-day"
    assert paths.log_dir.is_relative_to(state_home / "ml-day")
    assert paths.log_file.is_relative_to(state_home)
    assert not data_home.exists()


# ---------------------------------------------------------------- resources


@pytest.fixture
def fresh_resources_root() -> Iterator[None]:
    resources_root.cache_clear()
    yield
    resources_root.cache_clear()


def test_the_builtin_template_resource_exists(fresh_resources_root: None) -> None:
    path = resource_path(BUILTIN_TEMPLATE)
    assert path.is_file()
    assert path.name == "ml-engineer.json"
    assert path.is_absolute()
    text = read_resource_text(BUILTIN_TEMPLATE)
    assert text == path.read_text(encoding="utf-8")
    assert json.loads(text)["name"] == "ML engineer"
    # In a source checkout the resources are the top-level folder.
    assert resources_root() == PROJECT_ROOT / "resources"


def test_a_missing_resource_says_which_and_what_to_do(fresh_resources_root: None) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        resource_path("templates/no-such-template.json")
    message = str(caught.value)
    assert "'templates/no-such-template.json'" in message
    assert "reinstall ML Day" in message
    assert "\n" not in message
    with pytest.raises(FileNotFoundError, match="no-such"):
        read_resource_text("templates/no-such-template.json")
    # A folder is not a resource file.
    with pytest.raises(FileNotFoundError, match="'templates'"):
        resource_path("templates")


def test_a_frozen_bundle_takes_its_own_resources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_resources_root: None
) -> None:
    bundled = tmp_path / "ml_day" / "resources"
    (bundled / "templates").mkdir(parents=True)
    (bundled / "templates" / "ml-engineer.json").write_text('{"bundled": true}', encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_root() == bundled
    assert json.loads(read_resource_text(BUILTIN_TEMPLATE)) == {"bundled": True}


def test_resources_missing_everywhere_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_resources_root: None
) -> None:
    fake_module = tmp_path / "site" / "ml_day" / "resources.py"
    fake_module.parent.mkdir(parents=True)
    monkeypatch.setattr(resources, "__file__", str(fake_module))
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    with pytest.raises(FileNotFoundError) as caught:
        resources_root()
    assert str(caught.value) == "the application's resources are missing; reinstall ML Day"

"""``ml-day install-desktop`` / ``uninstall-desktop`` / ``autostart`` for real,
in a subprocess whose XDG folders are under ``tmp_path``."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest

from ml_day import APP_ID
from ml_day.freedesktop.autostart import (
    autostart_entry_path,
    disable_autostart,
    enable_autostart,
    is_autostart_enabled,
)
from ml_day.freedesktop.entries import exec_value, quote_exec_argument
from ml_day.freedesktop.install import DesktopFiles
from ml_day.paths import xdg_config_home, xdg_data_home
from ml_day.resources import ICON_SIZES
from tests.packaging.conftest import XdgHome


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def files_under(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


def test_install_writes_the_entry_icons_and_metainfo(xdg: XdgHome) -> None:
    result = xdg.run("install-desktop")
    assert result.returncode == 0, result.stderr
    files = DesktopFiles(xdg.data)
    expected = files.all()
    assert len(expected) == len(ICON_SIZES) + 3
    for path in expected:
        assert path.is_file(), path
        assert f"installed {path}" in result.stdout.splitlines()
    assert (xdg.data / f"icons/hicolor/256x256/apps/{APP_ID}.png").is_file()
    assert (xdg.data / f"icons/hicolor/scalable/apps/{APP_ID}.svg").is_file()
    entry = read_entry(files.desktop_entry)
    program = Path(shlex.split(entry["Exec"])[0])
    assert program.is_absolute() and program.is_file()
    assert Path(entry["TryExec"]) == program
    assert entry["Icon"] == APP_ID


def test_install_twice_then_uninstall_twice(xdg: XdgHome) -> None:
    xdg.data.mkdir(parents=True)
    theirs = xdg.data / "applications" / "someone-else.desktop"
    theirs.parent.mkdir()
    theirs.write_text("[Desktop Entry]\nType=Application\nName=X\nExec=x\n", encoding="utf-8")
    before = files_under(xdg.data)

    assert xdg.run("install-desktop").returncode == 0
    second = xdg.run("install-desktop")
    assert second.returncode == 0, second.stderr
    assert all(path.is_file() for path in DesktopFiles(xdg.data).all())

    removed = xdg.run("uninstall-desktop")
    assert removed.returncode == 0, removed.stderr
    ours = set(DesktopFiles(xdg.data).all())
    assert {f"removed {path}" for path in ours} == set(removed.stdout.splitlines())
    remaining = files_under(xdg.data)
    assert not remaining & ours
    assert theirs.is_file()
    # Only what the menu's own tool may keep (its cache) was added.
    assert {path.name for path in remaining - before} <= {"mimeinfo.cache"}
    assert (xdg.data / "icons" / "hicolor").is_dir()  # the folder tree stays

    again = xdg.run("uninstall-desktop")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "nothing to remove"


def test_unwritable_data_folder_is_one_line_and_exit_1(xdg: XdgHome) -> None:
    xdg.root.mkdir(exist_ok=True)
    blocker = xdg.root / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    xdg.data = blocker / "data"
    result = xdg.run("install-desktop")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ml-day: error: cannot write ")
    assert str(blocker / "data") in lines[0]
    assert "Traceback" not in result.stderr
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_autostart_on_status_off(xdg: XdgHome) -> None:
    entry = xdg.config / "autostart" / f"{APP_ID}.desktop"
    assert xdg.run("autostart", "status").stdout.startswith("off")
    on = xdg.run("autostart", "on")
    assert on.returncode == 0, on.stderr
    assert entry.is_file()
    fields = read_entry(entry)
    assert Path(shlex.split(fields["Exec"])[0]).is_absolute()
    assert fields["X-GNOME-Autostart-enabled"] == "true"
    assert xdg.run("autostart", "on").returncode == 0
    assert xdg.run("autostart", "status").stdout.startswith("on")
    assert xdg.run("autostart", "off").returncode == 0
    assert not entry.exists()
    assert entry.parent.is_dir()
    off_again = xdg.run("autostart", "off")
    assert off_again.returncode == 0 and "there was no" in off_again.stdout
    assert xdg.run("autostart", "status").stdout.startswith("off")


def test_autostart_bad_state_is_a_usage_error(xdg: XdgHome) -> None:
    result = xdg.run("autostart", "maybe")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_window_flags_with_a_command_are_a_usage_error(xdg: XdgHome) -> None:
    result = xdg.run("--new-block", "agenda")
    assert result.returncode == 2
    assert "--new-block" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_autostart_api_for_the_settings_dialog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert autostart_entry_path() == tmp_path / "config" / "autostart" / f"{APP_ID}.desktop"
    assert not is_autostart_enabled()
    path = enable_autostart(["/usr/bin/ml-day"])
    assert path == autostart_entry_path()
    assert is_autostart_enabled()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("enabled=true", "enabled=false"), encoding="utf-8")
    assert not is_autostart_enabled()  # switched off by the session manager
    assert disable_autostart() is True
    assert disable_autostart() is False
    assert not is_autostart_enabled()


def test_xdg_folders_follow_the_specification(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    assert xdg_data_home() == tmp_path / ".local" / "share"
    assert xdg_config_home() == tmp_path / ".config"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "d"))
    assert xdg_data_home() == tmp_path / "d"


@pytest.mark.parametrize(
    ("argument", "quoted"),
    [
        ("/usr/bin/ml-day", "/usr/bin/ml-day"),
        ("/home/me/My Apps/ml-day", '"/home/me/My Apps/ml-day"'),
        ('/x/"q"', '"/x/\\\\"q\\\\""'),
        ("/x/$HOME", '"/x/\\\\$HOME"'),
        ("/x/100%", "/x/100%%"),
    ],
)
def test_exec_arguments_are_quoted_as_the_specification_asks(argument: str, quoted: str) -> None:
    assert quote_exec_argument(argument) == quoted


def test_exec_value_joins_arguments() -> None:
    assert exec_value(["/a b/python", "-m", "ml_day"]) == '"/a b/python" -m ml_day'

"""The .desktop file and AppStream metainfo pass the real validators and agree
on the one application id."""

from __future__ import annotations

import configparser
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ml_day import APP_ID, APP_NAME, __version__
from ml_day.cli.arguments import build_parser
from ml_day.freedesktop.entries import DESKTOP_TEMPLATE, METAINFO_TEMPLATE, with_launcher
from ml_day.freedesktop.install import SCALABLE_ICON
from ml_day.resources import resource_path
from tests.packaging.conftest import PACKAGING, require_tool

DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"


def desktop_entry(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser


def validate_desktop(path: Path) -> None:
    tool = require_tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([tool, str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    # It exits 0 on hints too; we want none of its errors or warnings.
    assert "error:" not in result.stdout and "warning:" not in result.stdout, result.stdout


def test_desktop_file_passes_desktop_file_validate() -> None:
    validate_desktop(DESKTOP)


def test_metainfo_passes_appstreamcli_validate() -> None:
    tool = require_tool("appstreamcli", "appstream")
    result = subprocess.run(
        [tool, "validate", "--no-net", "--no-color", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    # appstreamcli fails on errors and warnings; infos and pedantic notes pass.
    assert result.returncode == 0, result.stdout + result.stderr


def test_installed_desktop_entry_with_absolute_launcher_still_validates(tmp_path: Path) -> None:
    launcher = ["/opt/ML Day/bin/python3", "-m", "ml_day"]
    text = with_launcher(DESKTOP.read_text(encoding="utf-8"), launcher)
    installed = tmp_path / f"{APP_ID}.desktop"
    installed.write_text(text, encoding="utf-8")
    validate_desktop(installed)
    entry = desktop_entry(installed)
    assert entry["Desktop Entry"]["Exec"] == '"/opt/ML Day/bin/python3" -m ml_day'
    assert entry["Desktop Action new-block"]["Exec"].endswith("-m ml_day --new-block")


def test_packaging_files_are_the_resources() -> None:
    """One source of truth: packaging/linux/ links to the packaged resources."""
    assert DESKTOP.resolve() == resource_path(DESKTOP_TEMPLATE).resolve()
    assert METAINFO.resolve() == resource_path(METAINFO_TEMPLATE).resolve()
    svg = PACKAGING / f"{APP_ID}.svg"
    assert svg.resolve() == resource_path(SCALABLE_ICON).resolve()


def test_one_application_id_everywhere() -> None:
    entry = desktop_entry(DESKTOP)["Desktop Entry"]
    root = ET.parse(METAINFO).getroot()
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert DESKTOP.name == f"{APP_ID}.desktop"
    assert root.findtext("id") == APP_ID
    assert launchable.text == DESKTOP.name
    assert entry["Icon"] == APP_ID
    assert resource_path(f"icons/{APP_ID}.svg").is_file()
    assert root.findtext("name") == entry["Name"] == APP_NAME


def test_desktop_file_declares_what_the_menu_needs() -> None:
    entry = desktop_entry(DESKTOP)
    main = entry["Desktop Entry"]
    assert main["Type"] == "Application"
    assert main["Exec"] == "ml-day"
    assert main["Categories"] == "Office;Calendar;Qt;"
    # Qt 6 on X11 sets WM_CLASS to (program name, application name).
    assert main["StartupWMClass"] == APP_NAME
    assert main["Actions"] == "today;new-block;"
    assert entry["Desktop Action today"]["Exec"] == "ml-day --show-today"
    assert entry["Desktop Action new-block"]["Exec"] == "ml-day --new-block"


@pytest.mark.parametrize("flag", ["--show-today", "--new-block"])
def test_desktop_actions_are_flags_the_command_line_accepts(flag: str) -> None:
    args = build_parser().parse_args([flag])
    assert args.command is None
    assert getattr(args, flag.removeprefix("--").replace("-", "_")) is True
    plain = build_parser().parse_args([])
    assert plain.show_today is False and plain.new_block is False


def test_metainfo_release_matches_the_version() -> None:
    root = ET.parse(METAINFO).getroot()
    release = root.find("releases/release")
    assert release is not None
    assert release.get("version") == __version__
    assert root.findtext("project_license") == "GPL-3.0-or-later"
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.get("type") == "desktop-application"
    content_rating = root.find("content_rating")
    assert content_rating is not None and content_rating.get("type") == "oars-1.1"

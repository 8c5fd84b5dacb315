"""``ml-day install-desktop`` / ``uninstall-desktop``: the menu entry, icons and
metainfo in the user's XDG data folder (``~/.local/share``)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ml_day import APP_ID
from ml_day.freedesktop.entries import (
    DESKTOP_FILE_NAME,
    DESKTOP_TEMPLATE,
    METAINFO_FILE_NAME,
    METAINFO_TEMPLATE,
    copy_file_atomically,
    launcher_command,
    remove_file,
    with_launcher,
    write_text_atomically,
)
from ml_day.paths import xdg_data_home
from ml_day.resources import ICON_SIZES, png_icon, read_resource_text, resource_path

SCALABLE_ICON = f"icons/{APP_ID}.svg"
_TOOL_TIMEOUT_SECONDS = 60


@dataclass(frozen=True, slots=True)
class DesktopFiles:
    """Where each installed file goes under one XDG data folder."""

    data_home: Path

    @property
    def desktop_entry(self) -> Path:
        return self.data_home / "applications" / DESKTOP_FILE_NAME

    @property
    def metainfo(self) -> Path:
        return self.data_home / "metainfo" / METAINFO_FILE_NAME

    @property
    def icon_theme(self) -> Path:
        return self.data_home / "icons" / "hicolor"

    def icons(self) -> dict[str, Path]:
        """Resource name -> installed path, for every icon."""
        icons = {
            png_icon(size): self.icon_theme / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
            for size in ICON_SIZES
        }
        icons[SCALABLE_ICON] = self.icon_theme / "scalable" / "apps" / f"{APP_ID}.svg"
        return icons

    def all(self) -> list[Path]:
        return [self.desktop_entry, *self.icons().values(), self.metainfo]


@dataclass(slots=True)
class Outcome:
    """What an install or uninstall did, and what went wrong without failing it."""

    changed: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def install_desktop(
    data_home: Path | None = None, launcher: Sequence[str] | None = None
) -> Outcome:
    """Install (or refresh) the menu entry, icons and metainfo; idempotent."""
    files = DesktopFiles(data_home or xdg_data_home())
    command = list(launcher or launcher_command())
    outcome = Outcome()
    entry = with_launcher(read_resource_text(DESKTOP_TEMPLATE), command)
    write_text_atomically(files.desktop_entry, entry)
    outcome.changed.append(files.desktop_entry)
    for resource, target in files.icons().items():
        copy_file_atomically(resource_path(resource), target)
        outcome.changed.append(target)
    write_text_atomically(files.metainfo, read_resource_text(METAINFO_TEMPLATE))
    outcome.changed.append(files.metainfo)
    outcome.warnings.extend(_refresh_caches(files))
    return outcome


def uninstall_desktop(data_home: Path | None = None) -> Outcome:
    """Remove exactly the files ``install_desktop`` writes; idempotent."""
    files = DesktopFiles(data_home or xdg_data_home())
    outcome = Outcome()
    outcome.changed.extend(path for path in files.all() if remove_file(path))
    if outcome.changed:
        outcome.warnings.extend(_refresh_caches(files))
    return outcome


def _refresh_caches(files: DesktopFiles) -> list[str]:
    """Tell the menu and the icon theme about the change, where the tools exist.

    The icon cache is only updated when one is already there: creating one
    would leave a file behind that uninstalling must not remove, and without a
    cache the icon theme reads the folders directly.
    """
    warnings = []
    applications = files.desktop_entry.parent
    if applications.is_dir():
        warnings.extend(_run_tool(["update-desktop-database", "-q", str(applications)]))
    if (files.icon_theme / "icon-theme.cache").is_file():
        warnings.extend(
            _run_tool(["gtk-update-icon-cache", "-q", "-f", "-t", str(files.icon_theme)])
        )
    return warnings


def _run_tool(command: list[str]) -> list[str]:
    program = shutil.which(command[0])
    if program is None:
        return []
    try:
        result = subprocess.run(
            [program, *command[1:]],
            capture_output=True,
            text=True,
            check=False,
            timeout=_TOOL_TIMEOUT_SECONDS,
        )
    except (OSError, subprocess.SubprocessError) as error:
        return [f"{command[0]} did not run: {error}"]
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[0]
        return [f"{command[0]} failed: {detail}"]
    return []

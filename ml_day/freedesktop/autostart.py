"""Start at login: the user's XDG autostart entry (``~/.config/autostart``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ml_day import APP_ID, APP_NAME
from ml_day.freedesktop.entries import (
    DESKTOP_FILE_NAME,
    exec_value,
    launcher_command,
    remove_file,
    write_text_atomically,
)
from ml_day.paths import xdg_config_home


def autostart_entry_path() -> Path:
    return xdg_config_home() / "autostart" / DESKTOP_FILE_NAME


def autostart_entry_text(launcher: Sequence[str]) -> str:
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name={APP_NAME}\n"
        "Comment=Your day planner, started at login\n"
        f"Exec={exec_value(launcher)}\n"
        f"Icon={APP_ID}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def enable_autostart(launcher: Sequence[str] | None = None) -> Path:
    """Write the autostart entry (again); returns its path."""
    path = autostart_entry_path()
    write_text_atomically(path, autostart_entry_text(list(launcher or launcher_command())))
    return path


def disable_autostart() -> bool:
    """Remove the autostart entry; True when there was one."""
    return remove_file(autostart_entry_path())


def is_autostart_enabled() -> bool:
    """Whether the entry exists and is not switched off (``Hidden=true`` or
    ``X-GNOME-Autostart-enabled=false``, as session managers may write)."""
    try:
        text = autostart_entry_path().read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    group = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            group = line
            continue
        key, _, value = line.partition("=")
        if group != "[Desktop Entry]":
            continue
        if (key.strip(), value.strip().lower()) in {
            ("Hidden", "true"),
            ("X-GNOME-Autostart-enabled", "false"),
        }:
            return False
    return True

"""Desktop entry text: the launcher command and the ``Exec`` lines."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ml_day import APP_ID

SCRIPT_NAME = "ml-day"
DESKTOP_FILE_NAME = f"{APP_ID}.desktop"
DESKTOP_TEMPLATE = f"desktop/{DESKTOP_FILE_NAME}"
METAINFO_FILE_NAME = f"{APP_ID}.metainfo.xml"
METAINFO_TEMPLATE = f"desktop/{METAINFO_FILE_NAME}"

# Characters that make the Desktop Entry specification require a quoted argument.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_ESCAPED_IN_QUOTES = set('"`$\\')


class DesktopIntegrationError(Exception):
    """A file of the desktop integration could not be written or removed."""


def launcher_command() -> list[str]:
    """The absolute command that starts this installation of ML Day.

    A PyInstaller bundle is its own executable; otherwise the ``ml-day`` script
    that is running, or the one beside this Python (a virtualenv's ``bin/``),
    else this Python with ``-m ml_day``. Paths are absolute but not resolved,
    so a virtualenv's interpreter stays the virtualenv's.
    """
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).absolute())]
    running = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if running is not None and running.name == SCRIPT_NAME and running.is_file():
        return [str(running.absolute())]
    beside_python = Path(sys.executable).absolute().parent / SCRIPT_NAME
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return [str(beside_python)]
    return [str(Path(sys.executable).absolute()), "-m", "ml_day"]


def quote_exec_argument(argument: str) -> str:
    """One argument of an ``Exec`` key, quoted and escaped as the specification asks."""
    text = argument.replace("%", "%%")
    if argument and not any(char in _RESERVED for char in argument):
        return text
    inner = "".join(f"\\{char}" if char in _ESCAPED_IN_QUOTES else char for char in text)
    # The value is also a desktop-entry string, whose own escape for "\" is "\\".
    return '"' + inner.replace("\\", "\\\\") + '"'


def exec_value(command: Sequence[str]) -> str:
    return " ".join(quote_exec_argument(part) for part in command)


def with_launcher(template: str, launcher: Sequence[str]) -> str:
    """The entry ``template`` with each ``Exec=ml-day ...`` starting ``launcher``
    instead, and ``TryExec`` naming the launcher's executable."""
    lines = []
    for line in template.splitlines():
        key, sep, value = line.partition("=")
        program, _, rest = value.partition(" ")
        if sep and key == "Exec" and program == SCRIPT_NAME:
            lines.append(f"Exec={exec_value([*launcher, *rest.split()])}")
        elif sep and key == "TryExec" and program == SCRIPT_NAME:
            lines.append(f"TryExec={launcher[0]}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all; errors name the path."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _replace(path, text.encode("utf-8"))
    except OSError as error:
        raise DesktopIntegrationError(f"cannot write {path}: {_reason(error)}") from error


def copy_file_atomically(source: Path, target: Path) -> None:
    try:
        data = source.read_bytes()
    except OSError as error:
        raise DesktopIntegrationError(f"cannot read {source}: {_reason(error)}") from error
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace(target, data)
    except OSError as error:
        raise DesktopIntegrationError(f"cannot write {target}: {_reason(error)}") from error


def remove_file(path: Path) -> bool:
    """Remove ``path`` if it is there; True when something was removed."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except NotADirectoryError:
        return False  # a parent is a regular file: our file cannot be there
    except OSError as error:
        raise DesktopIntegrationError(f"cannot remove {path}: {_reason(error)}") from error
    return True


def _replace(path: Path, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        Path(temporary).chmod(0o644)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _reason(error: OSError) -> str:
    return error.strerror or str(error)

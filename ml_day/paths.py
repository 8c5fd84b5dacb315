"""The one module that knows where ML Day keeps its files.

Defaults follow the XDG base directories through platformdirs; ``--data-dir``
or ``ML_DAY_DATA_DIR`` puts the database, settings and logs in one folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "ML_DAY_DATA_DIR"
_APP_DIR_NAME = "ml-day"
DATABASE_NAME = "plan.sqlite3"
SETTINGS_NAME = "settings.ini"
LOG_NAME = "ml-day.log"
BACKUPS_NAME = "backups"


@dataclass(frozen=True, slots=True)
class AppPaths:
    data_dir: Path
    log_dir: Path
    chosen: bool = False
    """The data folder was chosen (``--data-dir``, ``ML_DAY_DATA_DIR``) rather
    than the platform's default."""

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_NAME

    @property
    def settings(self) -> Path:
        return self.data_dir / SETTINGS_NAME

    @property
    def backups(self) -> Path:
        """The folder of daily backups of the database (beside it, so a copy of
        the data folder carries them along)."""
        return self.data_dir / BACKUPS_NAME

    @property
    def log_file(self) -> Path:
        return self.log_dir / LOG_NAME


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """Where the files go: an explicit folder, else ``ML_DAY_DATA_DIR``, else
    the platform's user data and log folders."""
    chosen = data_dir if data_dir is not None else os.environ.get(DATA_DIR_ENV) or None
    if chosen is not None:
        root = Path(chosen).expanduser().absolute()
        return AppPaths(data_dir=root, log_dir=root / "logs", chosen=True)
    # Imported only when needed: platformdirs loads tempfile, shutil and random
    # (several milliseconds), which a command given --data-dir never uses.
    from platformdirs import user_data_path, user_log_path  # noqa: PLC0415

    return AppPaths(
        data_dir=user_data_path(_APP_DIR_NAME, appauthor=False),
        log_dir=user_log_path(_APP_DIR_NAME, appauthor=False),
    )


def _xdg_home(variable: str, default: str) -> Path:
    """An XDG base directory: the variable if it holds an absolute path (the
    specification says to ignore relative ones), else ``~/default``."""
    value = os.environ.get(variable, "")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / default


def xdg_data_home() -> Path:
    """Where user-level menu entries, icons and metainfo go (``~/.local/share``)."""
    return _xdg_home("XDG_DATA_HOME", ".local/share")


def xdg_config_home() -> Path:
    """Where the user's autostart entries go (``~/.config``)."""
    return _xdg_home("XDG_CONFIG_HOME", ".config")

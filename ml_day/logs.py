"""Logging to a rotating file in the platform's log folder."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from ml_day.overrides import override

if TYPE_CHECKING:
    from logging.handlers import RotatingFileHandler

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
MAX_LOG_BYTES = 1_000_000
LOG_BACKUPS = 3


def setup_logging(
    log_file: Path, *, level: int = logging.INFO, stderr_fallback: bool = True
) -> Path | None:
    """Send the ``ml_day`` loggers to ``log_file`` (rotated at 1 MB, 3 kept).

    Returns the file in use, or None when it cannot be written; then warnings
    and errors go to stderr if ``stderr_fallback`` (the window), or nowhere (the
    command line, whose one-line messages already say what went wrong).
    """
    root = logging.getLogger("ml_day")
    root.setLevel(level)
    for old in list(root.handlers):
        root.removeHandler(old)
        old.close()
    handler: logging.Handler
    in_use: Path | None
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("a", encoding="utf-8"):
            pass  # it can be written; the handler opens it again at its first record
        handler = RotatingFileOnFirstRecord(log_file)
        in_use = log_file
    except OSError:
        handler = logging.StreamHandler() if stderr_fallback else logging.NullHandler()
        handler.setLevel(logging.WARNING)
        in_use = None
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    root.propagate = False
    return in_use


class RotatingFileOnFirstRecord(logging.Handler):
    """A :class:`logging.handlers.RotatingFileHandler` made when the first record
    comes: importing ``logging.handlers`` (it loads ``socket`` and ``pickle``)
    costs several milliseconds, and most command-line runs log nothing."""

    def __init__(self, log_file: Path) -> None:
        super().__init__()
        self._log_file = log_file
        self._file: RotatingFileHandler | None = None

    @override
    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._file is None:
                from logging.handlers import RotatingFileHandler  # noqa: PLC0415

                self._file = RotatingFileHandler(
                    self._log_file,
                    maxBytes=MAX_LOG_BYTES,
                    backupCount=LOG_BACKUPS,
                    encoding="utf-8",
                )
                self._file.setFormatter(self.formatter)
            # This handler's lock is held: the file handler needs no lock of its own.
            self._file.emit(record)
        except Exception:  # noqa: BLE001 - logging must never break the app
            self.handleError(record)

    @override
    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    @override
    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()

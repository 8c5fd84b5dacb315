"""Logging to a rotating file in the platform's log folder."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

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
        handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
        in_use = log_file
    except OSError:
        handler = logging.StreamHandler() if stderr_fallback else logging.NullHandler()
        handler.setLevel(logging.WARNING)
        in_use = None
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    root.propagate = False
    return in_use

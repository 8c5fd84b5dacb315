"""One group of in-process figures, in a process of its own:
``python -m bench.inprocess GROUP CONFIG CACHE WORK`` prints the group's rows as JSON.

Each group gets a fresh process, so that memory, Qt's caches and the garbage
collector's state left by one group do not weigh on the next.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from bench.config import CONFIGS, BenchConfig
from bench.table import Row, rows_to_json

GROUPS = ("drag", "scale", "memory")


def run_group(group: str, config: BenchConfig, cache: Path, work: Path) -> list[Row]:
    """The rows of ``group``, measured in this process (which must not need Qt yet)."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    qInstallMessageHandler(_quiet)
    runners: dict[str, Callable[[], list[Row]]] = {
        "drag": lambda: _drag(config, work),
        "scale": lambda: _scale(config, cache, work),
        "memory": lambda: _memory(config, work),
    }
    return runners[group]()


def _drag(config: BenchConfig, work: Path) -> list[Row]:
    from bench.drag import drag_rows  # noqa: PLC0415

    return drag_rows(config, work)


def _scale(config: BenchConfig, cache: Path, work: Path) -> list[Row]:
    from bench.scale import scale_rows  # noqa: PLC0415

    return scale_rows(config, cache, work)


def _memory(config: BenchConfig, work: Path) -> list[Row]:
    from bench.memory import memory_rows  # noqa: PLC0415

    return memory_rows(config, work)


def _quiet(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's messages, less the offscreen platform's note that it has no window manager."""
    if "does not support propagateSizeHints" not in message and kind != QtMsgType.QtDebugMsg:
        sys.stderr.write(f"qt: {message}\n")


def main() -> int:
    group, config_name, cache, work = sys.argv[1:5]
    rows = run_group(group, CONFIGS[config_name], Path(cache), Path(work))
    sys.stdout.write(rows_to_json(rows) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Floor for idling: an empty ``QApplication`` waiting in its event loop.

Usage: ``python -m bench.floors.empty_app SECONDS``; prints the idle figures
(:mod:`bench.idle_meter`) as one JSON line.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from bench.idle_meter import IdleMeter, print_and_quit

SETTLE_MS = 1000
"""Let the start-up finish before measuring, as the app's probe does."""


def main() -> int:
    seconds = float(sys.argv[1])
    app = QApplication(sys.argv[:1])
    meter = IdleMeter(app)
    QTimer.singleShot(SETTLE_MS, lambda: meter.start(seconds, print_and_quit(app)))
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())

"""Floor for the first paint: a bare ``QMainWindow``, shown and painted once.

Prints ``first-paint <time.monotonic_ns()>`` once the window is painted (taken
after the paint, as the app's own report does), then quits.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

if TYPE_CHECKING:
    from typing_extensions import override
else:  # the floor loads nothing it does not need (typing_extensions is ~5 ms)

    def override(method):
        return method


WINDOW_SIZE = (560, 820)
"""The planner window's default size."""


class FirstPaint(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self._app = app

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.Paint:
            return False
        watched.removeEventFilter(self)
        handled = watched.event(event)
        sys.stdout.write(f"first-paint {time.monotonic_ns()}\n")
        sys.stdout.flush()
        QTimer.singleShot(0, self._app.quit)
        return handled


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(*WINDOW_SIZE)
    report = FirstPaint(app)
    window.installEventFilter(report)
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())

"""Unexpected errors and Qt's own messages, routed into logging and shown to the user."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

log = logging.getLogger("ml_day.gui")
qt_log = logging.getLogger("ml_day.qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    where = f" ({context.category})" if context.category else ""
    qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s%s", message, where)


def route_qt_messages() -> None:
    """Send Qt's warnings to the log instead of the terminal."""
    qInstallMessageHandler(_qt_message)


def install_error_dialog(log_file: Path | None) -> None:
    """Log any uncaught exception and show it in a dialog, instead of exiting silently."""
    where = f"Details were written to {log_file}." if log_file else "Details were printed."

    def handle(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        log.critical("unexpected error", exc_info=(kind, error, trace))
        if log_file is None:
            traceback.print_exception(kind, error, trace)
        if QApplication.instance() is None:
            return
        from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415 - loaded when needed

        box = QMessageBox(QMessageBox.Icon.Critical, "ML Day: unexpected error", "")
        box.setObjectName("unexpectedErrorDialog")
        box.setText(f"Something went wrong: {error}")
        box.setInformativeText(f"Every change you made is saved as you make it. {where}")
        box.setDetailedText("".join(traceback.format_exception(kind, error, trace)))
        box.exec()

    sys.excepthook = handle

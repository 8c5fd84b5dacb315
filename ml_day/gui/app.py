"""Starting the planner: paint today first, then load the database layer.

The order matters for start-up time: the quick read path (standard library
``sqlite3``) gives today's blocks for the first paint; the ORM, several hundred
milliseconds to import, is loaded right after the window is on screen.
"""

from __future__ import annotations

import logging
import signal
import socket

from PySide6.QtCore import QSettings, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ml_day import APP_ID, APP_NAME, __version__
from ml_day.core.clock import Clock, today
from ml_day.gui.errors import install_error_dialog, route_qt_messages
from ml_day.gui.main_window import MainWindow
from ml_day.gui.store import PlanStore
from ml_day.paths import AppPaths

log = logging.getLogger("ml_day.gui")

EXIT_STORAGE_FAILED = 1


def create_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    return app


def settings_for(paths: AppPaths) -> QSettings:
    return QSettings(str(paths.settings), QSettings.Format.IniFormat)


def run_gui(paths: AppPaths, clock: Clock, argv: list[str]) -> int:
    """Open the planner window on today and run until the user quits."""
    app = create_application(argv)
    route_qt_messages()
    install_error_dialog(paths.log_file)
    stop_on_signals(app)

    store = PlanStore(paths)
    window = MainWindow(store, clock, settings_for(paths))
    window.show_day(today(clock), store.quick_day(today(clock)) or [])
    window.show()

    def finish_start() -> None:
        from ml_day.persistence.errors import StorageError  # noqa: PLC0415

        try:
            store.open()
        except StorageError as error:
            log.error("cannot open the plan: %s", error)
            QMessageBox.critical(window, f"{APP_NAME}: cannot open the plan", str(error))
            app.exit(EXIT_STORAGE_FAILED)

    QTimer.singleShot(0, finish_start)
    log.info("%s %s started (data in %s)", APP_NAME, __version__, paths.data_dir)
    status = app.exec()
    store.close()
    return status


def stop_on_signals(app: QApplication) -> None:
    """Quit cleanly on SIGTERM/SIGINT (logout, Ctrl+C), without polling.

    Python runs signal handlers only when it gets control; a socket pair woken
    by the signal hands control to it from Qt's event loop.
    """
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def drain() -> None:
        try:
            reader.recv(64)
        except OSError:
            return

    notifier.activated.connect(drain)
    app.setProperty("_signal_sockets", (reader, writer, notifier))

    def quit_on_signal(number: int, _frame: object) -> None:
        log.info("received signal %d; quitting", number)
        for window in app.topLevelWidgets():
            window.close()
        app.quit()

    signal.signal(signal.SIGTERM, quit_on_signal)
    signal.signal(signal.SIGINT, quit_on_signal)

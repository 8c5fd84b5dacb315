"""Starting the planner: paint today first, then open the plan, then the rest.

The order matters for start-up time:

1. The quick read path (standard library ``sqlite3``) gives today's blocks, and
   the window paints them as a sketch, with nothing heavy imported yet.
2. Right after that first paint, the database layer (the ORM, several hundred
   milliseconds to import) opens the plan: from then on edits are accepted.
3. The window completes itself (the timeline takes the sketch's place, the
   menus get their actions), and the notifier and the tray start.

Steps 2 and 3 import outside PySide6's import hook (see
:mod:`ml_day.gui.plain_imports`).
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QSocketNotifier
from PySide6.QtWidgets import QApplication, QWidget

from ml_day import APP_ID, APP_NAME, __version__
from ml_day.core.clock import Clock, SystemClock, wall_now_quickly
from ml_day.gui.errors import install_error_dialog, route_qt_messages
from ml_day.gui.first_paint import after_first_paint, report_startup_if_asked
from ml_day.gui.main_window import MainWindow
from ml_day.gui.plain_imports import plain_imports
from ml_day.gui.single_instance import (
    Action,
    InstanceRequest,
    InstanceServer,
    apply_activation_tokens,
    forward_to_running_instance,
    socket_path,
)
from ml_day.paths import AppPaths
from ml_day.persistence.quick_read import preview_new_plan, read_day_quickly
from ml_day.resources import ICON_SIZES, png_icon, resource_path

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

    from ml_day.gui.notifier import Notifier
    from ml_day.gui.store import PlanStore
    from ml_day.gui.tray import TrayIcon

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


def application_icon() -> QIcon:
    """The app's icon, from the PNGs rendered from its SVG (crisp at every size)."""

    from PySide6.QtGui import QIcon  # noqa: PLC0415

    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(resource_path(png_icon(size))))
    return icon


def settings_for(paths: AppPaths) -> QSettings:
    return QSettings(str(paths.settings), QSettings.Format.IniFormat)


def run_gui(
    paths: AppPaths,
    clock: Clock,
    argv: list[str],
    *,
    new_block: bool = False,
    show_today: bool = False,
) -> int:
    """Open the planner window on today and run until the user quits; with
    ``new_block`` (the menu entry's "New block" action), start a new block.

    If the plan is already open in a running app, hand it the request (raise
    the window, show today, start a new block) and return at once.
    """
    action = Action.NEW_BLOCK if new_block else Action.SHOW_TODAY if show_today else Action.RAISE
    request = InstanceRequest.from_environment(action)
    instance_socket = socket_path(paths)
    if forward_to_running_instance(instance_socket, request):
        log.info("%s is already running; asked it to %s", APP_NAME, action.value)
        return 0
    app = create_application(argv)
    settings = settings_for(paths)
    day = wall_now_quickly(clock).date()
    quick = read_day_quickly(paths.database, day)
    if quick is None and not paths.database.exists():
        quick = preview_new_plan(day)  # the first launch shows the built-in day at once
    window = MainWindow(None, clock, settings, sketched=[] if quick is None else quick.blocks)
    window.show()
    assert window.sketch is not None  # the window is not complete yet
    report = report_startup_if_asked(app, window.sketch)  # for the benchmark only

    window.quitRequested.connect(app.quit)
    services: list[Notifier | TrayIcon | InstanceServer] = []
    stores: list[PlanStore] = []

    def finish_start() -> None:
        with plain_imports():
            finish_start_outside_hook()

    def finish_start_outside_hook() -> None:
        from ml_day.gui.store import PlanStore  # noqa: PLC0415

        route_qt_messages()
        install_error_dialog(paths.log_file)
        stop_on_signals(app)
        log.info("%s %s started (data in %s)", APP_NAME, __version__, paths.data_dir)
        # The plan first: edits are accepted as soon as it is open.
        store = PlanStore(paths)
        stores.append(store)
        if report is not None:
            store.ready.connect(report.edits_accepted)
        if not open_plan(store, window, clock):
            app.exit(EXIT_STORAGE_FAILED)
            return
        # The icon waits too: QIcon's type alone takes milliseconds to load.
        app.setWindowIcon(application_icon())
        server = InstanceServer(instance_socket, parent=app)
        if not server.listen() and forward_to_running_instance(instance_socket, request):
            # Another launch of the same plan started at the same moment and won.
            window.quit_application()
            return
        server.requested.connect(lambda later: answer_later_launch(window, later))
        services.append(server)
        window.complete(store)

        from ml_day.gui.recovery import DailyBackups  # noqa: PLC0415

        DailyBackups(store, clock, parent=app).run()
        services.extend(start_notifications(app, store, clock, window, settings))
        if new_block:
            window.timeline.setFocus()
            window.timeline.begin_create()

    # The database layer is loaded once today is on screen, not before.
    after_first_paint(window.sketch, finish_start)
    status = app.exec()
    for service in reversed(services):
        service.close()
    for store in stores:
        store.close()
    return status


def answer_later_launch(window: MainWindow, request: InstanceRequest) -> None:
    """Do what a later launch of the same plan asked for, in this running app."""
    apply_activation_tokens(request)
    window.bring_to_front()
    if not window.is_complete:
        return  # still opening the plan (a dialog may be asking about it)
    if request.action in (Action.SHOW_TODAY, Action.NEW_BLOCK):
        window.show_today()
    if request.action is Action.NEW_BLOCK and window.timeline.is_editable():
        window.timeline.setFocus()
        window.timeline.begin_create()


def start_notifications(
    app: QApplication, store: PlanStore, clock: Clock, window: MainWindow, settings: QSettings
) -> tuple[Notifier, TrayIcon]:
    """The notifier and the tray icon, with the delivery backends chosen now:
    the notification service, the tray balloon, the in-window banner.

    Called after the first paint: nothing here is needed to show the day.
    """
    from ml_day.gui.notifier import Notifier, rules_from_settings  # noqa: PLC0415
    from ml_day.gui.tray import TrayIcon, delivery_chain  # noqa: PLC0415

    notifier = Notifier(store, clock, [], rules=lambda: rules_from_settings(settings), parent=app)
    tray = TrayIcon(store, clock, notifier, parent=app)
    notifier.set_backends(delivery_chain(tray, window.banner))
    window.preferencesChanged.connect(lambda _preferences: notifier.rules_changed())
    tray.openPlannerRequested.connect(window.bring_to_front)
    tray.quitRequested.connect(window.quit_application)
    if tray.system_tray is not None:
        # With a tray the app keeps running when its window is closed.
        app.setQuitOnLastWindowClosed(False)
        window.set_close_to_tray(True)
        window.hiddenToTray.connect(lambda: show_tray_hint_once(notifier, settings))
    else:
        log.info("no system tray here: closing the window quits ML Day")
    tray.show()
    notifier.start()
    return notifier, tray


def show_tray_hint_once(notifier: Notifier, settings: QSettings) -> None:
    """Tell the user, the first time only, that closing the window left ML Day running.

    It goes through the notifier's backends (off the UI thread): a direct
    ``QSystemTrayIcon.showMessage`` would wait on a hung notification daemon.
    """
    if settings.value("window/tray_hint_shown", False, type=bool):
        return
    settings.setValue("window/tray_hint_shown", True)
    settings.sync()
    notifier.tell(
        f"{APP_NAME} is still running",
        "It keeps announcing your day from the tray. Quit from the tray menu.",
    )


def open_plan(store: PlanStore, window: QWidget, clock: Clock | None = None) -> bool:
    """Open the plan's database; on failure explain why in a dialog and return False.

    A damaged file is set aside and a new plan started, with the newest backup
    offered; a plan from a newer ML Day is left alone unless the user chooses
    otherwise (see :mod:`ml_day.gui.recovery`). ``clock`` names set-aside files.
    """
    from ml_day.persistence.errors import (  # noqa: PLC0415
        CorruptDatabaseError,
        NewerDatabaseError,
        StorageError,
    )

    try:
        store.open()
    except CorruptDatabaseError as error:
        from ml_day.gui.recovery import recover_damaged_plan  # noqa: PLC0415

        log.error("cannot open the plan: %s", error)
        return recover_damaged_plan(store, window, clock or SystemClock(), error)
    except NewerDatabaseError as error:
        from ml_day.gui.recovery import handle_newer_plan  # noqa: PLC0415

        log.error("cannot open the plan: %s", error)
        return handle_newer_plan(store, window, clock or SystemClock(), error)
    except StorageError as error:
        log.error("cannot open the plan: %s", error)
        from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415 - an error path

        box = QMessageBox(
            QMessageBox.Icon.Critical,
            f"{APP_NAME}: cannot open the plan",
            str(error),
            QMessageBox.StandardButton.Close,
            window,
        )
        box.setObjectName("storageErrorDialog")
        box.setInformativeText("Nothing was changed. ML Day will close.")
        box.exec()
        return False
    return True


class _SignalWakeup(QObject):
    """Hands POSIX signals to Python from Qt's event loop, without polling.

    Python runs signal handlers only when it gets control; the signal writes a
    byte to a socket pair, and the socket notifier gives Python that control.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        import signal  # noqa: PLC0415 - both after the first paint
        import socket  # noqa: PLC0415

        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        signal.set_wakeup_fd(self._writer.fileno())
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def _drain(self) -> None:
        with contextlib.suppress(OSError):
            self._reader.recv(64)


def stop_on_signals(app: QApplication) -> None:
    """Quit cleanly (windows closed, settings saved) on SIGTERM and SIGINT."""
    import signal  # noqa: PLC0415 - after the first paint

    _SignalWakeup(app)

    def quit_on_signal(number: int, _frame: object) -> None:
        log.info("received signal %d; quitting", number)
        for window in app.topLevelWidgets():
            if isinstance(window, MainWindow):
                # A real quit, not "hide to the tray"; a signal cannot wait for answers.
                window.quit_application(ask=False)
            else:
                window.close()
        app.quit()

    signal.signal(signal.SIGTERM, quit_on_signal)
    signal.signal(signal.SIGINT, quit_on_signal)

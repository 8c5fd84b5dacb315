"""The tray balloon as a delivery backend (``QSystemTrayIcon.showMessage``)."""

from __future__ import annotations

from PySide6.QtWidgets import QSystemTrayIcon

from ml_day.gui.tray.tray_icon import TrayIcon
from ml_day.notify.backends import STATUS_NOTIFIER_WATCHER, DeliveryError, name_on_session_bus

BALLOON_MS = 10_000
WATCHER_PROBE_SECONDS = 0.5


def balloons_go_to_the_notification_service() -> bool:
    """Whether Qt's tray is the D-Bus (StatusNotifierItem) kind, whose
    ``showMessage`` is a Notify call to the same notification service the
    freedesktop backend uses (Qt picks that kind when a watcher owns
    ``org.kde.StatusNotifierWatcher``; otherwise it draws its own balloon)."""
    return name_on_session_bus(STATUS_NOTIFIER_WATCHER, timeout=WATCHER_PROBE_SECONDS)


class TrayBalloonBackend:
    """Shows a message from the tray icon: next in line when no notification
    service answers on D-Bus. Qt calls: the notifier calls it on the UI thread.

    On a D-Bus tray the balloon goes to the notification service itself, so it
    is no fallback for it: the backend then says it is unavailable and the
    next one (the in-window banner) gets the message. ``via_notification_service``
    tells which kind the tray is; None asks the session bus once, at the first
    :meth:`available` call.
    """

    name = "tray"
    ui_thread = True

    def __init__(self, tray: TrayIcon, *, via_notification_service: bool | None = None) -> None:
        self._tray = tray
        self._via_service = via_notification_service

    def available(self) -> bool:
        icon = self._tray.system_tray
        if icon is None or not icon.isVisible() or not QSystemTrayIcon.supportsMessages():
            return False
        if self._via_service is None:
            self._via_service = balloons_go_to_the_notification_service()
        return not self._via_service

    def send(self, summary: str, body: str, *, urgency: str = "normal", app_icon: str = "") -> None:
        del app_icon
        icon = self._tray.system_tray
        if icon is None or not icon.isVisible():
            msg = "there is no tray icon to show the message from"
            raise DeliveryError(msg)
        kind = (
            QSystemTrayIcon.MessageIcon.Warning
            if urgency == "critical"
            else QSystemTrayIcon.MessageIcon.Information
        )
        icon.showMessage(summary, body, kind, BALLOON_MS)

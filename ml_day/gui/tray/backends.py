"""The delivery chain the notifier tries, in order, for each message."""

from __future__ import annotations

from ml_day.gui.banner import Banner, BannerBackend
from ml_day.gui.tray.balloon import TrayBalloonBackend, balloons_go_to_the_notification_service
from ml_day.gui.tray.tray_icon import TrayIcon
from ml_day.notify.backends import DeliveryBackend, FreedesktopBackend


def delivery_chain(
    tray: TrayIcon | None, banner: Banner | None, *, freedesktop: bool = True
) -> list[DeliveryBackend]:
    """The freedesktop notification service, then the tray balloon (if there is
    a tray that draws its own balloons), then the in-window banner (if the
    window has one). Asks the session bus once which kind of tray Qt uses."""
    chain: list[DeliveryBackend] = []
    if freedesktop:
        chain.append(FreedesktopBackend())
    if tray is not None and tray.system_tray is not None:
        via_service = balloons_go_to_the_notification_service()
        chain.append(TrayBalloonBackend(tray, via_notification_service=via_service))
    if banner is not None:
        chain.append(BannerBackend(banner))
    return chain

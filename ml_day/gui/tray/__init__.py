"""The tray: an icon with now/next, a menu, and the tray balloon as a delivery backend."""

from ml_day.gui.tray.backends import delivery_chain
from ml_day.gui.tray.balloon import TrayBalloonBackend
from ml_day.gui.tray.icon import ICON_SIZES, paint_status_icon, status_icon
from ml_day.gui.tray.tray_icon import TrayIcon, tray_available

__all__ = [
    "ICON_SIZES",
    "TrayBalloonBackend",
    "TrayIcon",
    "delivery_chain",
    "paint_status_icon",
    "status_icon",
    "tray_available",
]

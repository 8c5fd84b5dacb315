"""Delivering notifications to the desktop: backends with no Qt in them.

The Qt notifier in ``ml_day.gui.tray`` adds its own backends (tray balloon,
in-window banner) that follow the same :class:`DeliveryBackend` protocol.
"""

from ml_day.notify.backends import (
    DeliveryBackend,
    DeliveryError,
    FreedesktopBackend,
    NullBackend,
    ServerInformation,
    choose_backend,
    name_on_session_bus,
)

__all__ = [
    "DeliveryBackend",
    "DeliveryError",
    "FreedesktopBackend",
    "NullBackend",
    "ServerInformation",
    "choose_backend",
    "name_on_session_bus",
]

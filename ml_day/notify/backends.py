"""How a notification reaches the user: one small interface, several backends.

The notifier (Qt side) decides *what* to announce and *when*; a backend only
delivers one message. The backend is chosen once at start with
:func:`choose_backend`: the freedesktop notification service on the D-Bus
session bus when one is there, else the tray balloon or an in-window banner
(Qt backends, in ``ml_day.gui.tray``), else :class:`NullBackend`.

This module has no Qt: ``ml-day notify-test`` uses it from the command line.
:class:`FreedesktopBackend` talks D-Bus with jeepney rather than QtDBus because
PySide6's QtDBus cannot send the ``uint32`` ``replaces_id`` argument of
``Notify``. Every call opens its own short connection with a timeout, so a
backend object is safe to use from any thread, recovers by itself when the
daemon or the bus restarts, and never blocks for longer than its timeout (a
frozen daemon is a :class:`DeliveryError`, not a frozen planner).
"""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from jeepney import DBusAddress, DBusErrorResponse, Message, MessageType, message_bus
from jeepney import new_method_call as _new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection

from ml_day import APP_ID, APP_NAME
from ml_day.overrides import override

log = logging.getLogger("ml_day.notify")

NOTIFICATIONS_SERVICE = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
URGENCY_LEVELS: Mapping[str, int] = {"low": 0, "normal": 1, "critical": 2}
"""The freedesktop urgency byte for each urgency name."""
STATUS_NOTIFIER_WATCHER = "org.kde.StatusNotifierWatcher"
"""Owned on the session bus when a D-Bus (StatusNotifierItem) tray host runs."""
MAX_SUMMARY = 200
MAX_BODY = 1000
"""Longer texts are clipped: a notification is a glance (and a 10 MB block
title must not stall the daemon or the bus)."""
NO_SERVICE = f"no notification service on the session bus ({NOTIFICATIONS_SERVICE})"
NO_BUS = "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"

_NOTIFY_SIGNATURE = "susssasa{sv}i"
_UNKNOWN_SERVICE_ERRORS = frozenset(
    {
        "org.freedesktop.DBus.Error.ServiceUnknown",
        "org.freedesktop.DBus.Error.NameHasNoOwner",
    }
)


class DeliveryError(Exception):
    """A notification could not be delivered; ``str()`` is one line saying why."""


class DeliveryBackend(Protocol):
    """One way to show a notification to the user."""

    name: str
    """``"freedesktop"``, ``"tray"``, ``"banner"`` or ``"none"``."""

    def available(self) -> bool:
        """Whether this backend can deliver now: cheap, and bounded (about 1 s)."""
        ...

    def send(self, summary: str, body: str, *, urgency: str = "normal", app_icon: str = "") -> None:
        """Deliver one notification. May block briefly (never the UI thread);
        raises :class:`DeliveryError` when it cannot."""
        ...


@dataclass(frozen=True, slots=True)
class ServerInformation:
    """What ``GetServerInformation`` says about the notification daemon."""

    name: str
    vendor: str
    version: str
    spec_version: str

    @override
    def __str__(self) -> str:
        """``dunst 1.9.0``: the name and the version number without its date."""
        number = self.version.split()[0] if self.version.split() else ""
        return f"{self.name} {number}".strip()


def session_bus_address(environ: Mapping[str, str] | None = None) -> str | None:
    """The session bus address: ``DBUS_SESSION_BUS_ADDRESS``, else the
    ``$XDG_RUNTIME_DIR/bus`` socket a systemd user session provides (libdbus
    and sd-bus fall back to it too), else None."""
    env = os.environ if environ is None else environ
    address = env.get("DBUS_SESSION_BUS_ADDRESS", "").strip()
    if address:
        return address
    runtime_dir = env.get("XDG_RUNTIME_DIR", "").strip()
    if runtime_dir:
        socket_path = Path(runtime_dir) / "bus"
        try:
            if stat.S_ISSOCK(socket_path.stat().st_mode):
                return f"unix:path={socket_path}"
        except OSError:
            return None
    return None


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, marked with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def escape_markup(text: str) -> str:
    """Text made safe for a daemon that reads markup in the body."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


class FreedesktopBackend:
    """``org.freedesktop.Notifications.Notify`` over the D-Bus session bus.

    ``environ`` replaces ``os.environ`` when looking for the session bus (the
    desktop test rig passes its own); it is read at each call, so a backend
    made early still follows the environment it is given. ``timeout`` bounds
    one delivery, ``probe_timeout`` one :meth:`available` check.
    """

    name = "freedesktop"

    def __init__(
        self,
        *,
        environ: Mapping[str, str] | None = None,
        timeout: float = 2.0,
        probe_timeout: float = 1.0,
        app_name: str = APP_NAME,
        desktop_entry: str = APP_ID,
    ) -> None:
        self._environ = environ
        self._timeout = timeout
        self._probe_timeout = probe_timeout
        self._app_name = app_name
        self._desktop_entry = desktop_entry
        self._body_markup: bool | None = None
        self.problem: str | None = None
        """Why the last :meth:`available` check said no (one line), else None."""

    def available(self) -> bool:
        """A session bus is there and ``org.freedesktop.Notifications`` has an
        owner on it or can be started by the bus (D-Bus activation)."""
        deadline = time.monotonic() + self._probe_timeout
        try:
            with self._connect(deadline) as connection:
                owned = _call(connection, message_bus.NameHasOwner(NOTIFICATIONS_SERVICE), deadline)
                found = bool(owned[0])
                if not found:
                    names = _call(connection, message_bus.ListActivatableNames(), deadline)
                    found = NOTIFICATIONS_SERVICE in names[0]
        except DeliveryError as error:
            self.problem = str(error)
        else:
            self.problem = None if found else NO_SERVICE
        if self.problem is not None:
            log.warning("freedesktop notifications are not available: %s", self.problem)
            return False
        return True

    def send(self, summary: str, body: str, *, urgency: str = "normal", app_icon: str = "") -> None:
        if urgency not in URGENCY_LEVELS:
            msg = f"unknown urgency {urgency!r} (expected one of {', '.join(URGENCY_LEVELS)})"
            raise ValueError(msg)
        deadline = time.monotonic() + self._timeout
        try:
            with self._connect(deadline) as connection:
                if self._body_markup is None:
                    capabilities = _call(connection, _notifications("GetCapabilities"), deadline)
                    self._body_markup = "body-markup" in capabilities[0]
                hints: dict[str, tuple[str, Any]] = {
                    "desktop-entry": ("s", self._desktop_entry),
                    "urgency": ("y", URGENCY_LEVELS[urgency]),
                }
                text = clip(body, MAX_BODY)
                if self._body_markup:
                    text = escape_markup(text)
                arguments: tuple[Any, ...] = (
                    self._app_name,
                    0,
                    app_icon,
                    clip(summary, MAX_SUMMARY),
                    text,
                    [],
                    hints,
                    -1,
                )
                _call(connection, _notifications("Notify", _NOTIFY_SIGNATURE, arguments), deadline)
        except DeliveryError as error:
            log.warning("notification %r not delivered: %s", clip(summary, MAX_SUMMARY), error)
            raise

    def server_information(self) -> ServerInformation:
        """The daemon's name and version (``GetServerInformation``)."""
        deadline = time.monotonic() + self._timeout
        with self._connect(deadline) as connection:
            reply = _call(connection, _notifications("GetServerInformation"), deadline)
        return ServerInformation(*(str(value) for value in reply[:4]))

    def _connect(self, deadline: float) -> DBusConnection:
        return _connect(self._environ, deadline)


def name_on_session_bus(
    name: str, *, environ: Mapping[str, str] | None = None, timeout: float = 1.0
) -> bool:
    """Whether ``name`` has an owner on the session bus now (False without a
    bus); bounded by ``timeout``. With :data:`STATUS_NOTIFIER_WATCHER` it tells
    a D-Bus tray (whose balloons Qt sends to the notification service) from
    an XEmbed one (whose balloons Qt draws itself)."""
    deadline = time.monotonic() + timeout
    try:
        with _connect(environ, deadline) as connection:
            return bool(_call(connection, message_bus.NameHasOwner(name), deadline)[0])
    except DeliveryError as error:
        log.info("cannot ask the session bus about %s: %s", name, error)
        return False


def _connect(environ: Mapping[str, str] | None, deadline: float) -> DBusConnection:
    address = session_bus_address(environ)
    if address is None:
        raise DeliveryError(NO_BUS)
    try:
        return open_dbus_connection(address, auth_timeout=_remaining(deadline))
    except TimeoutError:
        msg = f"the D-Bus session bus at {address} did not answer in time"
        raise DeliveryError(msg) from None
    except OSError as error:
        reason = error.strerror or _one_line(error)
        msg = f"cannot connect to the D-Bus session bus at {address}: {reason}"
        raise DeliveryError(msg) from None
    except (ValueError, RuntimeError, DBusErrorResponse) as error:
        # A malformed or non-unix address, or a refused authentication.
        msg = f"cannot use the D-Bus session bus at {address}: {_one_line(error)}"
        raise DeliveryError(msg) from None


def _notifications(
    method: str, signature: str | None = None, body: tuple[Any, ...] = ()
) -> Message:
    address = DBusAddress(NOTIFICATIONS_PATH, NOTIFICATIONS_SERVICE, NOTIFICATIONS_SERVICE)
    return _new_method_call(address, method, signature, body)


def _remaining(deadline: float) -> float:
    return max(deadline - time.monotonic(), 0.001)


def _call(connection: DBusConnection, message: Message, deadline: float) -> tuple[Any, ...]:
    """Send ``message`` and return the reply's body; every failure is a DeliveryError."""
    timeout = _remaining(deadline)
    try:
        reply = connection.send_and_get_reply(message, timeout=timeout)
    except TimeoutError:
        msg = f"the notification service did not answer within {timeout:.1f} s"
        raise DeliveryError(msg) from None
    except OSError as error:
        msg = f"the D-Bus session bus closed the connection: {error.strerror or _one_line(error)}"
        raise DeliveryError(msg) from None
    if reply.header.message_type is MessageType.error:
        failure = DBusErrorResponse(reply)
        if failure.name in _UNKNOWN_SERVICE_ERRORS:
            raise DeliveryError(NO_SERVICE)
        detail = f": {_one_line(failure.data[0])}" if failure.data else ""
        msg = f"the notification service failed ({failure.name}{detail})"
        raise DeliveryError(msg)
    return reply.body


class NullBackend:
    """Delivers nothing; logs what it would have shown. Always available."""

    name = "none"

    def available(self) -> bool:
        return True

    def send(self, summary: str, body: str, *, urgency: str = "normal", app_icon: str = "") -> None:
        del app_icon
        log.info(
            "notification not shown (no delivery backend, %s): %s — %s",
            urgency,
            clip(summary, MAX_SUMMARY),
            clip(body, MAX_BODY),
        )


def choose_backend(candidates: Sequence[DeliveryBackend]) -> DeliveryBackend:
    """The first candidate that is available, else a :class:`NullBackend`.

    A candidate whose check raises counts as unavailable (and is logged): the
    choice at start must never stop the planner from starting.
    """
    for backend in candidates:
        try:
            ready = backend.available()
        except Exception:
            log.exception("checking the %s notification backend failed", backend.name)
            continue
        if ready:
            log.info("notifications go through the %s backend", backend.name)
            return backend
    log.warning("no notification backend is available; notifications are only logged")
    return NullBackend()

"""A StatusNotifierWatcher for the desktop test rig, written with jeepney.

Run as ``python tests/desktop/sni_watcher.py`` with ``DBUS_SESSION_BUS_ADDRESS``
pointing at the rig's private bus. It owns ``org.kde.StatusNotifierWatcher``
there, which is what makes Qt 6 use its D-Bus StatusNotifierItem tray (and
report ``QSystemTrayIcon.isSystemTrayAvailable()``): without a watcher Qt falls
back to an XEmbed tray that needs a real panel.

It implements what Qt and the KDE/AppIndicator protocol use:
``RegisterStatusNotifierItem`` (a bus name, or an object path on the caller's
connection), ``RegisterStatusNotifierHost``, the properties
``RegisteredStatusNotifierItems``, ``IsStatusNotifierHostRegistered`` (always
true: the rig stands in for a panel) and ``ProtocolVersion`` (0), the
``StatusNotifierItemRegistered``/``Unregistered`` and
``StatusNotifierHostRegistered`` signals, and introspection (QtDBus
introspects an interface before reading its properties). An item whose owner
leaves the bus is unregistered, as a real watcher does.

Each event is printed on one line (the rig keeps it in ``sni-watcher.log``).
"""

from __future__ import annotations

import sys
from typing import Any

from jeepney import (
    DBusAddress,
    HeaderFields,
    MatchRule,
    Message,
    MessageFlag,
    MessageType,
    message_bus,
    new_error,
    new_method_return,
    new_signal,
)
from jeepney.io.blocking import DBusConnection, open_dbus_connection

WATCHER_NAME = "org.kde.StatusNotifierWatcher"
WATCHER_INTERFACE = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
ITEM_DEFAULT_PATH = "/StatusNotifierItem"
PROPERTIES_INTERFACE = "org.freedesktop.DBus.Properties"
INTROSPECTABLE_INTERFACE = "org.freedesktop.DBus.Introspectable"
PEER_INTERFACE = "org.freedesktop.DBus.Peer"
UNKNOWN_OBJECT = "org.freedesktop.DBus.Error.UnknownObject"
UNKNOWN_METHOD = "org.freedesktop.DBus.Error.UnknownMethod"
NAME_FLAG_DO_NOT_QUEUE = 4
PRIMARY_OWNER = 1

INTROSPECTION = f"""<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
  <interface name="{WATCHER_INTERFACE}">
    <method name="RegisterStatusNotifierItem"><arg name="service" type="s" direction="in"/></method>
    <method name="RegisterStatusNotifierHost"><arg name="service" type="s" direction="in"/></method>
    <property name="RegisteredStatusNotifierItems" type="as" access="read"/>
    <property name="IsStatusNotifierHostRegistered" type="b" access="read"/>
    <property name="ProtocolVersion" type="i" access="read"/>
    <signal name="StatusNotifierItemRegistered"><arg type="s"/></signal>
    <signal name="StatusNotifierItemUnregistered"><arg type="s"/></signal>
    <signal name="StatusNotifierHostRegistered"/>
    <signal name="StatusNotifierHostUnregistered"/>
  </interface>
  <interface name="{PROPERTIES_INTERFACE}">
    <method name="Get">
      <arg name="interface" type="s" direction="in"/>
      <arg name="name" type="s" direction="in"/>
      <arg name="value" type="v" direction="out"/>
    </method>
    <method name="GetAll">
      <arg name="interface" type="s" direction="in"/>
      <arg name="properties" type="a{{sv}}" direction="out"/>
    </method>
    <method name="Set">
      <arg name="interface" type="s" direction="in"/>
      <arg name="name" type="s" direction="in"/>
      <arg name="value" type="v" direction="in"/>
    </method>
    <signal name="PropertiesChanged">
      <arg type="s"/><arg type="a{{sv}}"/><arg type="as"/>
    </signal>
  </interface>
  <interface name="{INTROSPECTABLE_INTERFACE}">
    <method name="Introspect"><arg name="xml" type="s" direction="out"/></method>
  </interface>
  <interface name="{PEER_INTERFACE}">
    <method name="Ping"/>
  </interface>
</node>
"""


class Watcher:
    """The watcher's state and its answers to each message."""

    def __init__(self, connection: DBusConnection) -> None:
        self.connection = connection
        self.items: list[str] = []
        """Registered items as ``bus name + object path``, in order of registration."""
        self.owners: dict[str, str] = {}
        """Item -> the bus name whose departure unregisters it."""
        self.hosts: list[str] = []
        self.emitter = DBusAddress(WATCHER_PATH, interface=WATCHER_INTERFACE)

    def properties(self) -> dict[str, tuple[str, Any]]:
        return {
            "RegisteredStatusNotifierItems": ("as", list(self.items)),
            "IsStatusNotifierHostRegistered": ("b", True),
            "ProtocolVersion": ("i", 0),
        }

    def handle(self, message: Message) -> None:
        kind = message.header.message_type
        if kind is MessageType.signal:
            self._on_signal(message)
        elif kind is MessageType.method_call:
            reply = self._answer(message)
            if not message.header.flags & MessageFlag.no_reply_expected:
                self.connection.send(reply)

    def _answer(self, message: Message) -> Message:
        fields = message.header.fields
        path = fields.get(HeaderFields.path)
        interface = fields.get(HeaderFields.interface)
        member = str(fields.get(HeaderFields.member))
        if path != WATCHER_PATH:
            return new_error(message, UNKNOWN_OBJECT, "s", (f"no object {path}",))
        if interface in (WATCHER_INTERFACE, None) and member.startswith("Register"):
            return self._answer_registration(message, member)
        if interface == PROPERTIES_INTERFACE:
            return self._answer_properties(message, member)
        if member == "Introspect":
            return new_method_return(message, "s", (INTROSPECTION,))
        if member == "Ping":
            return new_method_return(message)
        return new_error(message, UNKNOWN_METHOD, "s", (f"no method {member}",))

    def _answer_registration(self, message: Message, member: str) -> Message:
        service = str(message.body[0]) if message.body else ""
        if member == "RegisterStatusNotifierItem":
            self._register_item(service, str(message.header.fields.get(HeaderFields.sender, "")))
        elif member == "RegisterStatusNotifierHost":
            self.hosts.append(service)
            self.connection.send(new_signal(self.emitter, "StatusNotifierHostRegistered"))
            log(f"host registered: {service}")
        else:
            return new_error(message, UNKNOWN_METHOD, "s", (f"no method {member}",))
        return new_method_return(message)

    def _answer_properties(self, message: Message, member: str) -> Message:
        values = self.properties()
        if member == "GetAll":
            return new_method_return(message, "a{sv}", (values,))
        if member == "Get":
            name = str(message.body[1])
            if name in values:
                return new_method_return(message, "v", (values[name],))
            return new_error(
                message, "org.freedesktop.DBus.Error.UnknownProperty", "s", (f"no {name}",)
            )
        return new_error(
            message, "org.freedesktop.DBus.Error.PropertyReadOnly", "s", ("read-only",)
        )

    def _register_item(self, service: str, sender: str) -> None:
        if service.startswith("/"):
            bus_name, path = sender, service
        else:
            bus_name, path = service, ITEM_DEFAULT_PATH
        item = bus_name + path
        if item in self.items:
            return
        self.items.append(item)
        self.owners[item] = bus_name
        log(f"item registered: {item}")
        self.connection.send(new_signal(self.emitter, "StatusNotifierItemRegistered", "s", (item,)))
        changed = {"RegisteredStatusNotifierItems": ("as", list(self.items))}
        self.connection.send(
            new_signal(
                DBusAddress(WATCHER_PATH, interface=PROPERTIES_INTERFACE),
                "PropertiesChanged",
                "sa{sv}as",
                (WATCHER_INTERFACE, changed, []),
            )
        )

    def _on_signal(self, message: Message) -> None:
        if message.header.fields.get(HeaderFields.member) != "NameOwnerChanged":
            return
        name, _old_owner, new_owner = (str(value) for value in message.body)
        if new_owner:
            return
        for item in [item for item, owner in self.owners.items() if owner == name]:
            self.items.remove(item)
            del self.owners[item]
            log(f"item unregistered: {item}")
            self.connection.send(
                new_signal(self.emitter, "StatusNotifierItemUnregistered", "s", (item,))
            )


def log(text: str) -> None:
    print(text, flush=True)


def main() -> int:
    connection = open_dbus_connection("SESSION")
    owner_changes = MatchRule(
        type=MessageType.signal,
        sender="org.freedesktop.DBus",
        interface="org.freedesktop.DBus",
        member="NameOwnerChanged",
    )
    connection.send_and_get_reply(message_bus.AddMatch(owner_changes), timeout=5)
    watcher = Watcher(connection)
    reply = connection.send_and_get_reply(
        message_bus.RequestName(WATCHER_NAME, NAME_FLAG_DO_NOT_QUEUE), timeout=5
    )
    if reply.header.message_type is MessageType.error or reply.body[0] != PRIMARY_OWNER:
        log(f"cannot own {WATCHER_NAME}: {reply.body}")
        return 3
    log(f"owning {WATCHER_NAME}")
    try:
        while True:
            watcher.handle(connection.receive())
    except (ConnectionError, OSError):
        log("the bus went away")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The rig's tray host: Qt sees a system tray and registers its icon with the
rig's StatusNotifierWatcher, whose menu the tests can read and click."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from jeepney import DBusAddress, MessageType, message_bus, new_method_call
from jeepney.io.blocking import open_dbus_connection

from ml_day.notify import name_on_session_bus
from ml_day.notify.backends import STATUS_NOTIFIER_WATCHER
from tests.desktop.rig import HERE, PROJECT_ROOT, DesktopRig, wait_until
from tests.desktop.sni_watcher import WATCHER_INTERFACE, WATCHER_NAME, WATCHER_PATH
from tests.desktop.tray_probe import MESSAGE

pytestmark = [pytest.mark.desktop, pytest.mark.timeout(60)]


def test_a_qt_tray_icon_registers_with_the_watcher(desktop: DesktopRig) -> None:
    probe = subprocess.Popen(
        [sys.executable, str(HERE / "tray_probe.py")],
        env=desktop.env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        (item,) = desktop.wait_for_tray_items(1)
        properties = desktop.tray_item_properties(item)
        menu = desktop.tray_menu(item)
        desktop.click_tray_menu(item, "Quit")
        output, errors = probe.communicate(timeout=10)
    finally:
        if probe.poll() is None:
            probe.kill()
            probe.communicate(timeout=10)

    assert "tray available: True" in output, errors
    assert "icon visible: True" in output, errors
    assert properties["Status"] == "Active"
    assert properties["ToolTip"][2] == "Now: Deep work until 12:00"
    labels = [entry.label for entry in menu]
    assert labels == [
        "Now: Deep work until 12:00 (37 min left)",
        "Next: Lunch at 12:00",
        "",
        "Quit",
    ]
    assert [entry.enabled for entry in menu] == [False, False, True, True]
    assert menu[2].separator
    assert "quit clicked" in output
    assert probe.returncode == 0
    # The icon's process is gone, and with it its registration.
    wait_until(lambda: desktop.registered_tray_items() == [], 5, "the item stayed registered")


def test_on_a_dbus_tray_qt_sends_its_balloons_to_the_notification_service(
    desktop: DesktopRig,
) -> None:
    # Fact the Qt notifier relies on: with a StatusNotifierWatcher, Qt's
    # QSystemTrayIcon.showMessage is a freedesktop Notify to the same daemon,
    # so it is no fallback when that daemon is gone (a banner is).
    assert name_on_session_bus(STATUS_NOTIFIER_WATCHER, environ=desktop.env)
    probe = subprocess.Popen(
        [sys.executable, str(HERE / "tray_probe.py"), "--message"],
        env=desktop.env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        desktop.wait_for_notifications(1)
        (record,) = desktop.history()
    finally:
        probe.kill()
        output, errors = probe.communicate(timeout=10)
    assert "supports messages: True" in output, errors
    assert (record["summary"], record["body"]) == MESSAGE
    assert record["appname"] == "tray-probe"


def test_the_watcher_speaks_the_protocol(desktop: DesktopRig) -> None:
    watcher = DBusAddress(WATCHER_PATH, WATCHER_NAME, WATCHER_INTERFACE)
    item = open_dbus_connection(desktop.bus_address)
    try:
        getter = new_method_call(
            DBusAddress(WATCHER_PATH, WATCHER_NAME, "org.freedesktop.DBus.Properties"),
            "GetAll",
            "s",
            (WATCHER_INTERFACE,),
        )
        reply = item.send_and_get_reply(getter, timeout=5)
        values = {key: value[1] for key, value in reply.body[0].items()}
        assert values == {
            "RegisteredStatusNotifierItems": [],
            "IsStatusNotifierHostRegistered": True,
            "ProtocolVersion": 0,
        }
        # An AppIndicator-style item registers an object path on its own connection.
        register = new_method_call(
            watcher, "RegisterStatusNotifierItem", "s", ("/org/ayatana/NotificationItem/x",)
        )
        assert item.send_and_get_reply(register, timeout=5).header.message_type is (
            MessageType.method_return
        )
        (registered,) = desktop.registered_tray_items()
        bus_name, _, path = registered.partition("/")
        assert path == "org/ayatana/NotificationItem/x"
        # The bus name is this connection's own: the process id behind it is ours.
        owner = item.send_and_get_reply(message_bus.GetConnectionUnixProcessID(bus_name), timeout=5)
        assert owner.body == (os.getpid(),)
        introspection = item.send_and_get_reply(
            new_method_call(watcher.with_interface("org.freedesktop.DBus.Introspectable"),
                            "Introspect"),
            timeout=5,
        ).body[0]  # fmt: skip
        assert 'name="IsStatusNotifierHostRegistered"' in introspection
    finally:
        item.close()
    # The item's connection is gone, and with it its registration.
    wait_until(lambda: desktop.registered_tray_items() == [], 5, "the item stayed registered")

"""A real, private desktop for end-to-end tests: X server, session bus,
notification daemon and tray host, all under one folder.

:func:`running_desktop` starts, under ``root`` and with an environment of its
own (nothing is read from or sent to the developer's session):

- **Xvfb** on a free display (``-displayfd`` reports the number once the
  server accepts clients; ``-nolisten tcp``);
- a private **D-Bus session bus** (``dbus-daemon`` with a minimal config
  whose only service directory is the rig's own, empty unless a test calls
  :meth:`DesktopRig.add_activatable_service`: nothing is D-Bus-activated
  behind the tests' back, and a killed daemon stays dead);
- **dunst** on that display and bus, with its own config file;
- a **StatusNotifierWatcher** (``sni_watcher.py``, jeepney) so Qt sees a tray
  host and uses its D-Bus tray.

Readiness is polled on the bus (the well-known name gets an owner), never a
fixed sleep; the whole desktop starts in a few hundred milliseconds.

Reading notifications back: :meth:`DesktopRig.notifications` asks dunst itself
through its own D-Bus interface ``org.dunstproject.cmd0`` with jeepney:
``NotificationCloseAll`` (dunst lists a notification in its history only
once it is closed) then ``NotificationListHistory``. That is exactly what
``dunstctl close-all`` and ``dunstctl history`` do, without their dependency
on ``busctl`` (the systemd package) and its JSON.

Run ``python tests/desktop/rig.py --screenshot FILE.png`` to show a sample
notification on the rig's screen and save a screenshot of it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from jeepney import DBusAddress, MessageType, Properties, message_bus, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parents[1]
WATCHER_SCRIPT = HERE / "sni_watcher.py"

NOTIFICATIONS_NAME = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
DUNST_INTERFACE = "org.dunstproject.cmd0"
WATCHER_NAME = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
DBUSMENU_INTERFACE = "com.canonical.dbusmenu"

SCREEN = "1280x800x24"
START_TIMEOUT = 10.0
"""Upper bound for any one part to become ready (it normally takes milliseconds)."""
STOP_TIMEOUT = 3.0
MAX_SOCKET_PATH = 100
"""A unix socket path must fit in 108 bytes."""

REQUIRED = {
    "Xvfb": "xvfb",
    "dbus-daemon": "dbus",
    "dunst": "dunst",
    "import": "imagemagick",
}
"""Each program the rig runs, and the Debian package that installs it."""

PASSED_THROUGH = ("PATH", "LANG", "LC_ALL", "TZ", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE")
"""The only variables the rig's environment takes from the test process."""

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{services}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

DUNST_CONFIG = """[global]
    font = DejaVu Sans 11
    width = 420
    origin = top-right
    offset = 16x16
    frame_width = 2
    markup = full
    format = "<b>%s</b>\\n%b"
    history_length = 500
    idle_threshold = 0
    show_age_threshold = -1
    sticky_history = yes
    browser = /bin/false
    dmenu = /bin/false

[urgency_low]
    timeout = 20
[urgency_normal]
    timeout = 20
[urgency_critical]
    timeout = 0
"""


class RigError(RuntimeError):
    """The rig could not start; the message says which part and why."""


class Notification(NamedTuple):
    """One notification as the daemon received it (compares equal to a pair)."""

    summary: str
    body: str


class MenuEntry(NamedTuple):
    """One entry of a tray item's menu (a separator has ``separator=True``)."""

    id: int
    label: str
    enabled: bool
    separator: bool
    children: tuple[MenuEntry, ...]


class DesktopRig:
    """A running private desktop; see the module docstring."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.logs = root / "logs"
        self.display = ""
        self.bus_address = ""
        self.env: dict[str, str] = {}
        """The environment for anything run on this desktop (pass it to subprocesses)."""
        self._processes: dict[str, subprocess.Popen[bytes]] = {}
        self._paused: set[str] = set()

    # ------------------------------------------------------------ what tests use

    def notifications(self) -> list[Notification]:
        """Every notification dunst received, oldest first.

        Closes the ones on screen first: dunst lists a notification in its
        history only after it is closed. Take screenshots before calling this.
        """
        return [Notification(str(item["summary"]), str(item["body"])) for item in self.history()]

    def history(self) -> list[dict[str, Any]]:
        """dunst's full record of each notification, oldest first: ``appname``,
        ``summary``, ``body``, ``message`` (the markup dunst draws), ``icon_path``,
        ``id``, ... Closes the ones on screen first, as :meth:`notifications` does."""
        dunst = DBusAddress(NOTIFICATIONS_PATH, NOTIFICATIONS_NAME, DUNST_INTERFACE)
        with self._bus() as connection:
            _reply(connection, new_method_call(dunst, "NotificationCloseAll"))
            (entries,) = _reply(connection, new_method_call(dunst, "NotificationListHistory"))
        records = [{key: value[1] for key, value in entry.items()} for entry in entries]
        return sorted(records, key=lambda record: int(record["id"]))

    def notification_count(self) -> int:
        """How many notifications dunst has (on screen, waiting or in its
        history), without closing any: for waiting before a screenshot."""
        dunst = DBusAddress(NOTIFICATIONS_PATH, NOTIFICATIONS_NAME, DUNST_INTERFACE)
        with self._bus() as connection:
            values = _properties(connection, dunst)
        counts = ("displayedLength", "waitingLength", "historyLength")
        return sum(int(values[name]) for name in counts)

    def wait_for_notifications(self, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until dunst has at least ``count`` notifications (none closed)."""
        wait_until(
            lambda: self.notification_count() >= count,
            timeout,
            f"dunst did not receive {count} notification(s) within {timeout} s",
        )

    def registered_tray_items(self) -> list[str]:
        """The tray items registered with the watcher (``bus name + object path``)."""
        watcher = DBusAddress(WATCHER_PATH, WATCHER_NAME, WATCHER_NAME)
        with self._bus() as connection:
            ((_signature, items),) = _reply(
                connection, Properties(watcher).get("RegisteredStatusNotifierItems")
            )
        return [str(item) for item in items]

    def wait_for_tray_items(self, count: int = 1, timeout: float = 10.0) -> list[str]:
        """Wait until at least ``count`` tray items are registered; returns them."""
        wait_until(
            lambda: len(self.registered_tray_items()) >= count,
            timeout,
            f"no {count} tray item(s) registered within {timeout} s",
        )
        return self.registered_tray_items()

    def tray_item_properties(self, item: str) -> dict[str, Any]:
        """The ``org.kde.StatusNotifierItem`` properties of a registered item
        (``Title``, ``ToolTip``, ``Status``, ``Menu``, ...), values unwrapped."""
        bus_name, path = _split_item(item)
        address = DBusAddress(path, bus_name, "org.kde.StatusNotifierItem")
        with self._bus() as connection:
            return _properties(connection, address)

    def tray_menu(self, item: str) -> list[MenuEntry]:
        """The item's context menu as the tray host reads it (``com.canonical.dbusmenu``)."""
        bus_name, _path = _split_item(item)
        menu_path = str(self.tray_item_properties(item)["Menu"])
        address = DBusAddress(menu_path, bus_name, DBUSMENU_INTERFACE)
        with self._bus() as connection:
            _revision, (_id, _properties, children) = _reply(
                connection, new_method_call(address, "GetLayout", "iias", (0, -1, []))
            )
        return [_menu_entry(child) for child in children]

    def click_tray_menu(self, item: str, label: str) -> None:
        """Click the menu entry with this label, as a tray host does."""
        bus_name, _path = _split_item(item)
        entries = _flatten(self.tray_menu(item))
        matches = [entry for entry in entries if entry.label == label]
        if not matches:
            msg = f"no menu entry {label!r}; the menu has {[e.label for e in entries]}"
            raise RigError(msg)
        menu_path = str(self.tray_item_properties(item)["Menu"])
        address = DBusAddress(menu_path, bus_name, DBUSMENU_INTERFACE)
        event = (matches[0].id, "clicked", ("i", 0), 0)
        with self._bus() as connection:
            _reply(connection, new_method_call(address, "Event", "isvu", event))

    def kill_daemon(self) -> None:
        """Kill dunst (SIGKILL, as a crash would) and wait until its name is gone."""
        self._stop("dunst", kill=True)
        self.wait_for_name(NOTIFICATIONS_NAME, present=False)

    def stop_tray_host(self) -> None:
        """Stop the tray watcher, as on a desktop without a tray (GNOME without
        the AppIndicator extension), and wait until its name is gone."""
        self._stop("sni-watcher", kill=False)
        self.wait_for_name(WATCHER_NAME, present=False)

    def pause_daemon(self) -> None:
        """Freeze dunst (SIGSTOP): it keeps its name on the bus but answers nothing."""
        self._processes["dunst"].send_signal(signal.SIGSTOP)
        self._paused.add("dunst")

    def resume_daemon(self) -> None:
        self._processes["dunst"].send_signal(signal.SIGCONT)
        self._paused.discard("dunst")

    def start_daemon(self) -> None:
        """Start dunst (again, after :meth:`kill_daemon`); returns once it serves."""
        self._spawn_dunst()
        self.wait_for_name(NOTIFICATIONS_NAME, process="dunst")

    def add_activatable_service(self, name: str, command: str) -> None:
        """Make ``name`` D-Bus-activatable on the rig's bus: the bus runs
        ``command`` (with the bus's bare environment) when a call is sent to it."""
        service = self.root / "dbus-services" / f"{name}.service"
        service.write_text(f"[D-BUS Service]\nName={name}\nExec={command}\n", encoding="utf-8")
        with self._bus() as connection:
            _reply(connection, message_bus.ReloadConfig())

    def screenshot(self, path: Path, *, crop: str | None = None) -> Path:
        """Save the screen as an image (ImageMagick ``import``); ``crop`` is an
        ImageMagick geometry such as ``520x110+760+0`` (width x height + x + y)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        region = ["-crop", crop, "+repage"] if crop else []
        result = subprocess.run(
            ["import", "-window", "root", *region, str(path)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if result.returncode != 0 or not path.is_file():
            msg = f"screenshot failed: {result.stderr.strip() or result.returncode}"
            raise RigError(msg)
        return path

    def wait_for_name(self, name: str, *, present: bool = True, process: str | None = None) -> None:
        """Poll the bus until ``name`` has an owner (or none, with ``present=False``)."""
        deadline = time.monotonic() + START_TIMEOUT
        with self._bus() as connection:
            while True:
                (owned,) = _reply(connection, message_bus.NameHasOwner(name))
                if bool(owned) == present:
                    return
                if process is not None and self._processes[process].poll() is not None:
                    msg = f"{process} exited with status {self._processes[process].returncode}"
                    raise RigError(f"{msg}; {self._log_tail(process)}")
                if time.monotonic() > deadline:
                    state = "own" if present else "release"
                    msg = f"nobody came to {state} {name} on the rig's bus within {START_TIMEOUT} s"
                    raise RigError(f"{msg}; {self._log_tail(process)}" if process else msg)
                time.sleep(0.005)

    # ------------------------------------------------------------ start and stop

    def start(self) -> None:
        """Start every part; raises :class:`RigError` (call :meth:`stop` after it too)."""
        for program, package in REQUIRED.items():
            if shutil.which(program) is None:
                msg = (
                    f"'{program}' is missing: install the Debian package '{package}' "
                    "(sh packaging/dev/setup.sh test installs every package the tests need)"
                )
                raise RigError(msg)
        self.logs.mkdir(parents=True, exist_ok=True)
        home = self.root / "home"
        runtime = self.root / "runtime"
        for folder in (home, runtime, self.root / "data"):
            folder.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o700)
        socket = self.root / "bus"
        if len(str(socket)) > MAX_SOCKET_PATH:
            msg = f"the rig's folder is too deep for a unix socket ({socket}); use a shorter one"
            raise RigError(msg)
        services = self.root / "dbus-services"
        services.mkdir(exist_ok=True)
        bus_config = BUS_CONFIG.format(socket=socket, services=services)
        (self.root / "bus.conf").write_text(bus_config, encoding="utf-8")
        # The X server and the bus start side by side; both report readiness on a pipe.
        display_read, display_write = os.pipe()
        address_read, address_write = os.pipe()
        try:
            self._spawn(
                "Xvfb",
                ["Xvfb", "-displayfd", str(display_write), "-nolisten", "tcp", "-noreset",
                 "-screen", "0", SCREEN],
                pass_fds=(display_write,),
            )  # fmt: skip
            self._spawn(
                "dbus-daemon",
                ["dbus-daemon", f"--config-file={self.root / 'bus.conf'}", "--nofork",
                 "--nosyslog", f"--print-address={address_write}"],
                pass_fds=(address_write,),
            )  # fmt: skip
            os.close(display_write)
            os.close(address_write)
            display_write = address_write = -1
            self.bus_address = self._read_line(address_read, "dbus-daemon")
            self.display = ":" + self._read_line(display_read, "Xvfb")
        finally:
            for fd in (display_read, address_read, display_write, address_write):
                if fd >= 0:
                    os.close(fd)
        self.env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
        self.env.update(
            {
                "HOME": str(home),
                "XDG_RUNTIME_DIR": str(runtime),
                "XDG_CONFIG_HOME": str(home / ".config"),
                "XDG_DATA_HOME": str(home / ".local" / "share"),
                "XDG_STATE_HOME": str(home / ".local" / "state"),
                "XDG_CACHE_HOME": str(home / ".cache"),
                "DISPLAY": self.display,
                "DBUS_SESSION_BUS_ADDRESS": self.bus_address,
                "QT_QPA_PLATFORM": "xcb",
                "ML_DAY_DATA_DIR": str(self.root / "data"),
            }
        )
        self.env.setdefault("LANG", "C.UTF-8")
        # dunst and the watcher start side by side, then both are awaited on the bus.
        self._spawn_dunst()
        self._spawn("sni-watcher", [sys.executable, str(WATCHER_SCRIPT)])
        self.wait_for_name(NOTIFICATIONS_NAME, process="dunst")
        self.wait_for_name(WATCHER_NAME, process="sni-watcher")

    def stop(self) -> None:
        """Stop everything, the last started first; SIGKILL what lingers."""
        for name in reversed(list(self._processes)):
            self._stop(name)

    def _stop(self, name: str, *, kill: bool = False) -> None:
        process = self._processes.pop(name, None)
        if process is None:
            return
        if name in self._paused:
            self._paused.discard(name)
            process.send_signal(signal.SIGCONT)
        if process.poll() is None:
            if kill:
                process.kill()
            else:
                process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT)

    def _spawn_dunst(self) -> None:
        config = self.root / "dunstrc"
        config.write_text(DUNST_CONFIG, encoding="utf-8")
        self._spawn("dunst", ["dunst", "-config", str(config)])

    def _spawn(self, name: str, command: list[str], pass_fds: tuple[int, ...] = ()) -> None:
        log_file = self.logs / f"{name}.log"
        with log_file.open("ab") as output:
            self._processes[name] = subprocess.Popen(
                command,
                env=self.env or _bare_environment(self.root),
                cwd=self.root,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                pass_fds=pass_fds,
            )

    def _read_line(self, fd: int, name: str) -> str:
        """One line a child writes on a pipe when it is ready, with a deadline."""
        deadline = time.monotonic() + START_TIMEOUT
        data = b""
        while b"\n" not in data:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([fd], [], [], max(remaining, 0))
            if not ready:
                msg = f"{name} did not start within {START_TIMEOUT} s; {self._log_tail(name)}"
                raise RigError(msg)
            chunk = os.read(fd, 4096)
            if not chunk:
                msg = f"{name} exited before it was ready; {self._log_tail(name)}"
                raise RigError(msg)
            data += chunk
        return data.decode().strip()

    def _log_tail(self, name: str) -> str:
        log_file = self.logs / f"{name}.log"
        text = log_file.read_text(errors="replace").strip() if log_file.is_file() else ""
        return f"its log ends: {text[-600:]!r}" if text else "its log is empty"

    @contextlib.contextmanager
    def _bus(self) -> Iterator[DBusConnection]:
        connection = open_dbus_connection(self.bus_address, auth_timeout=2.0)
        try:
            yield connection
        finally:
            connection.close()


def _properties(connection: DBusConnection, address: DBusAddress) -> dict[str, Any]:
    """Every property of ``address``'s interface, values unwrapped from their variants."""
    getter = DBusAddress(address.object_path, address.bus_name, "org.freedesktop.DBus.Properties")
    (values,) = _reply(connection, new_method_call(getter, "GetAll", "s", (address.interface,)))
    return {key: value[1] for key, value in values.items()}


def _split_item(item: str) -> tuple[str, str]:
    """``:1.20/StatusNotifierItem`` -> (``:1.20``, ``/StatusNotifierItem``)."""
    bus_name, slash, path = item.partition("/")
    return bus_name, slash + path if slash else "/StatusNotifierItem"


def _menu_entry(node: tuple[str, Any]) -> MenuEntry:
    """A dbusmenu layout node ``(ia{sv}av)``, wrapped in a variant."""
    entry_id, properties, children = node[1]
    values = {key: value[1] for key, value in properties.items()}
    return MenuEntry(
        id=int(entry_id),
        label=_plain_label(str(values.get("label", ""))),
        enabled=bool(values.get("enabled", True)),
        separator=values.get("type") == "separator",
        children=tuple(_menu_entry(child) for child in children),
    )


def _plain_label(label: str) -> str:
    """A dbusmenu label without its mnemonic marks: ``_Quit`` -> ``Quit``, ``a__b`` -> ``a_b``."""
    plain: list[str] = []
    escaped = False
    for char in label:
        if char == "_" and not escaped:
            escaped = True
            continue
        plain.append(char)
        escaped = False
    return "".join(plain)


def _flatten(entries: list[MenuEntry] | tuple[MenuEntry, ...]) -> list[MenuEntry]:
    found: list[MenuEntry] = []
    for entry in entries:
        found.append(entry)
        found.extend(_flatten(entry.children))
    return found


def _bare_environment(root: Path) -> dict[str, str]:
    """What Xvfb and the bus get before the rig's environment exists."""
    env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env["HOME"] = str(root / "home")
    return env


def _reply(connection: DBusConnection, message: Any) -> tuple[Any, ...]:
    reply = connection.send_and_get_reply(message, timeout=5)
    if reply.header.message_type is MessageType.error:
        msg = f"D-Bus call failed: {reply.body}"
        raise RigError(msg)
    return reply.body


def wait_until(condition: Callable[[], bool], timeout: float, failure: str) -> None:
    """Poll ``condition`` every 20 ms; RigError(``failure``) after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RigError(failure)
        time.sleep(0.02)


@contextlib.contextmanager
def running_desktop(root: Path) -> Iterator[DesktopRig]:
    """A started :class:`DesktopRig` under ``root``, stopped on exit."""
    rig = DesktopRig(root)
    try:
        rig.start()
        yield rig
    finally:
        rig.stop()


def _environment_for_shell(env: Mapping[str, str]) -> str:
    keys = ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "QT_QPA_PLATFORM", "ML_DAY_DATA_DIR")
    return " ".join(f"{key}={env[key]}" for key in keys)


def main() -> int:
    """Show a sample notification on a fresh rig and save a screenshot of it."""
    import tempfile

    from ml_day.notify.backends import FreedesktopBackend

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--screenshot", type=Path, required=True, metavar="FILE.png")
    parser.add_argument(
        "--crop", default="500x100+780+0", help="ImageMagick geometry; '' for the whole screen"
    )
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="ml-day-rig-") as folder,
        running_desktop(Path(folder)) as rig,
    ):
        print(f"rig: {_environment_for_shell(rig.env)}")
        backend = FreedesktopBackend(environ=rig.env)
        backend.send(
            "Lunch with the team starts now — until 13:00", "Lunch with the team · Deep work ends"
        )
        rig.wait_for_notifications(1)
        time.sleep(0.3)  # dunst draws right after it accepts; give the frame time to land
        rig.screenshot(args.screenshot.resolve(), crop=args.crop or None)
        print(f"saved {args.screenshot}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT_ROOT))
    sys.exit(main())

"""The whole planner on a real desktop: X server, session bus, dunst, tray host.

The app runs as its own process (``app_driver.py``: the real ``run_gui`` with a
clock that starts just before a block and then runs at real speed), so the
notification goes through the real single-shot timer, the real delivery
thread and the real D-Bus daemon. These tests wait a few real seconds: they
are the end-to-end rig.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop.rig import HERE, PROJECT_ROOT, DesktopRig, MenuEntry, wait_until

pytestmark = [pytest.mark.desktop, pytest.mark.timeout(120)]

DAY = "2026-11-27"
ZONE = "Europe/Berlin"


def app_env(desktop: DesktopRig) -> dict[str, str]:
    return {**desktop.env, "TZ": ZONE}


def run_cli(desktop: DesktopRig, data_dir: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "ml_day", "--data-dir", str(data_dir), *args],
        env=app_env(desktop),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "plan"


class RunningApp:
    def __init__(self, desktop: DesktopRig, data_dir: Path, start: str) -> None:
        self.data_dir = data_dir
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "app_driver.py"), str(data_dir), f"{DAY}T{start}", ZONE],
            env=app_env(desktop),
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def log(self) -> str:
        path = self.data_dir / "logs" / "ml-day.log"
        return path.read_text(encoding="utf-8") if path.is_file() else ""

    def wait_for_log(self, text: str, timeout: float = 20) -> None:
        wait_until(
            lambda: text in self.log() or self.process.poll() is not None,
            timeout,
            f"the app never logged {text!r}",
        )
        assert self.process.poll() is None, f"the app exited: {self.process.communicate()[1]}"

    def quit(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        _, errors = self.process.communicate(timeout=15)
        assert "Traceback" not in errors, errors
        return self.process.returncode

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()  # reaps the process and closes its pipes


@pytest.fixture
def launch(desktop: DesktopRig, data_dir: Path) -> Iterator[object]:
    started: list[RunningApp] = []

    def start(at: str) -> RunningApp:
        app = RunningApp(desktop, data_dir, at)
        started.append(app)
        return app

    yield start
    for app in started:
        app.kill()


def labels(entries: list[MenuEntry]) -> list[str]:
    flat: list[str] = []
    for entry in entries:
        flat.append(entry.label)
        flat.extend(labels(list(entry.children)))
    return flat


def test_a_block_start_reaches_the_notification_daemon(
    desktop: DesktopRig, data_dir: Path, launch: object
) -> None:
    run_cli(desktop, data_dir, "add", "Rig check", "--date", DAY,
            "--start", "15:30", "--end", "15:45", "--category", "testing")  # fmt: skip
    assert callable(launch)
    app: RunningApp = launch("15:29:52")
    app.wait_for_log("plan open")
    desktop.wait_for_notifications(1, timeout=20)
    app.wait_for_log("delivered through freedesktop")
    received = [(item.summary, item.body) for item in desktop.notifications()]
    assert received == [("Rig check starts now — until 15:45", "Rig check")]
    assert app.quit() == 0


def test_the_tray_icon_is_embedded_and_its_menu_shows_now_and_next(
    desktop: DesktopRig, data_dir: Path, launch: object
) -> None:
    assert callable(launch)
    app: RunningApp = launch("11:23:00")
    (item,) = desktop.wait_for_tray_items(1, timeout=30)
    entries = labels(desktop.tray_menu(item))
    assert "Now: Deep work until 12:00 (37 min left)" in entries
    assert "Next: Lunch with the team at 12:00" in entries
    assert any(label.replace("&", "") == "Quit" for label in entries)
    desktop.click_tray_menu(item, next(lbl for lbl in entries if lbl.replace("&", "") == "Quit"))
    _, errors = app.process.communicate(timeout=30)
    assert app.process.returncode == 0, errors


def test_a_frozen_daemon_neither_freezes_the_app_nor_loses_the_message(
    desktop: DesktopRig, data_dir: Path, launch: object
) -> None:
    run_cli(desktop, data_dir, "add", "Rig check", "--date", DAY,
            "--start", "15:30", "--end", "15:45", "--category", "testing")  # fmt: skip
    desktop.pause_daemon()  # on the bus, but never answers
    assert callable(launch)
    app: RunningApp = launch("15:29:52")
    (item,) = desktop.wait_for_tray_items(1, timeout=30)
    app.wait_for_log("announcing: Rig check starts now")
    # While the delivery thread waits on the frozen daemon, the UI thread
    # still answers the tray host.
    assert "Now: Rig check until 15:45 (15 min left)" in labels(desktop.tray_menu(item))
    app.wait_for_log("delivered through banner", timeout=30)
    assert "the freedesktop notification backend failed" in app.log()
    assert app.quit() == 0


def test_without_a_daemon_the_message_still_arrives_in_the_window(
    desktop: DesktopRig, data_dir: Path, launch: object
) -> None:
    run_cli(desktop, data_dir, "add", "Rig check", "--date", DAY,
            "--start", "15:30", "--end", "15:45", "--category", "testing")  # fmt: skip
    desktop.kill_daemon()
    assert callable(launch)
    app: RunningApp = launch("15:29:52")
    app.wait_for_log("delivered through banner", timeout=30)
    assert "announcing: Rig check starts now — until 15:45" in app.log()
    assert app.quit() == 0


def test_without_a_tray_host_the_window_stays_and_notifications_arrive(
    desktop: DesktopRig, data_dir: Path, launch: object
) -> None:
    run_cli(desktop, data_dir, "add", "Rig check", "--date", DAY,
            "--start", "15:30", "--end", "15:45", "--category", "testing")  # fmt: skip
    desktop.stop_tray_host()
    assert callable(launch)
    app: RunningApp = launch("15:29:52")
    app.wait_for_log("no system tray here: closing the window quits ML Day")
    desktop.wait_for_notifications(1, timeout=20)
    assert [n.summary for n in desktop.notifications()] == ["Rig check starts now — until 15:45"]
    assert app.quit() == 0


def test_environment_is_private(desktop: DesktopRig) -> None:
    assert desktop.env["DBUS_SESSION_BUS_ADDRESS"] != os.environ.get("DBUS_SESSION_BUS_ADDRESS")

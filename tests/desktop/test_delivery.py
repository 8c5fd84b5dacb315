"""Notifications reach a real notification daemon (dunst) on a private desktop,
and a missing or frozen daemon is a quick, clear failure, never a hang."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from ml_day import APP_NAME
from ml_day.notify.backends import (
    MAX_BODY,
    MAX_SUMMARY,
    NO_SERVICE,
    NOTIFICATIONS_SERVICE,
    DeliveryError,
    FreedesktopBackend,
    name_on_session_bus,
)
from tests.desktop.rig import PROJECT_ROOT, DesktopRig

pytestmark = [pytest.mark.desktop, pytest.mark.timeout(60)]

HANG_LIMIT = 3.0
"""Seconds. Exceeding it means "it hung", not "it was slow": this is no benchmark."""
LUNCH = ("Lunch starts now — until 13:00", "Lunch with the team · Deep work ends")
TEST_NOTIFICATION = ("ML Day test notification", "Notifications reach you through freedesktop.")


def notify_test(desktop: DesktopRig) -> subprocess.CompletedProcess[str]:
    """The real ``python -m ml_day notify-test`` process on the rig's desktop."""
    return subprocess.run(
        [sys.executable, "-m", "ml_day", "notify-test"],
        env=desktop.env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_the_freedesktop_backend_finds_dunst_and_delivers(desktop: DesktopRig) -> None:
    backend = FreedesktopBackend(environ=desktop.env)
    assert backend.available()
    assert backend.problem is None

    backend.send(*LUNCH)

    assert desktop.notifications() == [LUNCH]
    (record,) = desktop.history()
    assert record["appname"] == APP_NAME
    server = backend.server_information()
    assert server.name == "dunst"
    assert str(server).startswith("dunst ")


def test_markup_characters_in_a_body_show_as_text(desktop: DesktopRig) -> None:
    # dunst reads markup in the body (capability "body-markup"): the backend
    # escapes it, so "<b>" and "&" in a block's title are shown, not parsed.
    backend = FreedesktopBackend(environ=desktop.env)
    backend.send("Q&A <prep> in 5 minutes", "Bring <b>notes</b> & questions", urgency="critical")

    (record,) = desktop.history()
    assert record["summary"] == "Q&A <prep> in 5 minutes"
    assert record["body"] == "Bring &lt;b&gt;notes&lt;/b&gt; &amp; questions"
    assert "Bring &lt;b&gt;notes&lt;/b&gt; &amp; questions" in record["message"]


def test_a_huge_title_arrives_clipped(desktop: DesktopRig) -> None:
    # PRODUCT.md's bad input: a 10 MB block title must not stall the daemon.
    title = "Deep work " * 1_000_000
    FreedesktopBackend(environ=desktop.env).send(title, title)

    (notification,) = desktop.notifications()
    assert len(notification.summary) == MAX_SUMMARY
    assert len(notification.body) == MAX_BODY
    assert notification.summary.startswith("Deep work Deep work")
    assert notification.body.endswith("…")


def test_notify_test_delivers_through_dunst(desktop: DesktopRig) -> None:
    result = notify_test(desktop)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("delivered through freedesktop (dunst ")
    assert result.stderr == ""
    assert desktop.notifications() == [TEST_NOTIFICATION]


def test_without_a_daemon_the_backend_says_so_at_once(desktop: DesktopRig) -> None:
    backend = FreedesktopBackend(environ=desktop.env)
    assert name_on_session_bus(NOTIFICATIONS_SERVICE, environ=desktop.env)
    desktop.kill_daemon()
    assert not name_on_session_bus(NOTIFICATIONS_SERVICE, environ=desktop.env)

    started = time.monotonic()
    assert not backend.available()
    assert time.monotonic() - started < HANG_LIMIT
    assert backend.problem == NO_SERVICE

    started = time.monotonic()
    with pytest.raises(DeliveryError, match=r"org\.freedesktop\.Notifications"):
        backend.send(*LUNCH)
    assert time.monotonic() - started < HANG_LIMIT


def test_notify_test_without_a_daemon_fails_with_one_line(desktop: DesktopRig) -> None:
    desktop.kill_daemon()

    started = time.monotonic()
    result = notify_test(desktop)
    elapsed = time.monotonic() - started

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("ml-day: error: no notification service on the session bus")
    assert "(org.freedesktop.Notifications)" in result.stderr
    assert "tray icon or an in-window banner" in result.stderr
    assert elapsed < 30  # interpreter start included: only "it did not hang"


def test_a_frozen_daemon_is_a_delivery_error_not_a_hang(desktop: DesktopRig) -> None:
    backend = FreedesktopBackend(environ=desktop.env, timeout=1.0)
    backend.send(*LUNCH)  # learns the capabilities while the daemon answers
    desktop.pause_daemon()

    # The bus still lists the frozen daemon as the owner: only a timeout can tell.
    started = time.monotonic()
    with pytest.raises(DeliveryError, match="did not answer"):
        backend.send("Client call in 5 minutes", "Meetings and client calls, 13:00–14:00")
    assert time.monotonic() - started < HANG_LIMIT

    desktop.resume_daemon()
    assert desktop.notifications()[0] == LUNCH


def test_the_backend_recovers_when_the_daemon_comes_back(desktop: DesktopRig) -> None:
    backend = FreedesktopBackend(environ=desktop.env)
    desktop.kill_daemon()
    assert not backend.available()

    desktop.start_daemon()

    assert backend.available()
    backend.send(*LUNCH)
    assert desktop.notifications() == [LUNCH]


def test_an_activatable_service_that_fails_to_start_is_a_delivery_error(
    desktop: DesktopRig,
) -> None:
    # A desktop may list a notification service for D-Bus activation that then
    # fails to start: available() trusts the listing, send() reports the failure.
    desktop.kill_daemon()
    desktop.add_activatable_service(NOTIFICATIONS_SERVICE, "/bin/false")
    backend = FreedesktopBackend(environ=desktop.env)
    assert backend.available()

    started = time.monotonic()
    with pytest.raises(DeliveryError, match=r"the notification service failed \(.*Spawn"):
        backend.send(*LUNCH)
    assert time.monotonic() - started < HANG_LIMIT


def test_dunst_draws_the_notification_on_the_rigs_screen(
    desktop: DesktopRig, tmp_path: Path
) -> None:
    from PySide6.QtGui import QImage

    FreedesktopBackend(environ=desktop.env).send(*LUNCH)
    desktop.wait_for_notifications(1)

    # dunst draws just after it accepts; poll the screen for its box (top right).
    deadline = time.monotonic() + 10
    while True:
        image = QImage(str(desktop.screenshot(tmp_path / "screen.png")))
        assert (image.width(), image.height()) == (1280, 800)
        box = [
            image.pixelColor(x, y).lightness()
            for x in range(1280 - 16 - 400, 1280 - 16, 8)
            for y in range(20, 60, 4)
        ]
        lit = sum(1 for value in box if value > 20) / len(box)
        if lit > 0.5 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert lit > 0.5, "no notification box at the top right of the screen"
    corner = [image.pixelColor(x, y).lightness() for x in range(0, 400, 20) for y in (700, 780)]
    assert max(corner) < 20, "the rest of the screen should stay the bare black root window"

"""Choosing a delivery backend, and what the freedesktop backend does without
a desktop: pure tests, no bus, no Qt (the desktop rig tests the real thing)."""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ml_day.main import main
from ml_day.notify import (
    DeliveryBackend,
    DeliveryError,
    FreedesktopBackend,
    NullBackend,
    ServerInformation,
    choose_backend,
    name_on_session_bus,
)
from ml_day.notify.backends import (
    MAX_BODY,
    NO_BUS,
    clip,
    escape_markup,
    session_bus_address,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HANG_LIMIT = 3.0


class FakeBackend:
    def __init__(self, name: str, *, ready: bool, broken: bool = False) -> None:
        self.name = name
        self.ready = ready
        self.broken = broken
        self.checks = 0
        self.sent: list[tuple[str, str]] = []

    def available(self) -> bool:
        self.checks += 1
        if self.broken:
            msg = "the check itself failed"
            raise RuntimeError(msg)
        return self.ready

    def send(self, summary: str, body: str, *, urgency: str = "normal", app_icon: str = "") -> None:
        self.sent.append((summary, body))


@pytest.fixture
def notify_log(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> Iterator[pytest.LogCaptureFixture]:
    # ml_day.logs.setup_logging (run by any earlier in-process CLI test) stops
    # the "ml_day" loggers from propagating; let caplog see them again.
    monkeypatch.setattr(logging.getLogger("ml_day"), "propagate", True)
    with caplog.at_level(logging.INFO, logger="ml_day.notify"):
        yield caplog


def test_the_first_available_backend_is_chosen_and_later_ones_are_not_probed() -> None:
    missing = FakeBackend("freedesktop", ready=False)
    tray = FakeBackend("tray", ready=True)
    banner = FakeBackend("banner", ready=True)

    assert choose_backend([missing, tray, banner]) is tray
    assert (missing.checks, tray.checks, banner.checks) == (1, 1, 0)


def test_without_an_available_backend_the_null_backend_is_chosen(
    notify_log: pytest.LogCaptureFixture,
) -> None:
    chosen = choose_backend([FakeBackend("freedesktop", ready=False)])
    assert isinstance(chosen, NullBackend)
    assert chosen.name == "none"
    assert isinstance(choose_backend([]), NullBackend)
    assert "no notification backend is available" in notify_log.text


def test_a_backend_whose_check_raises_is_skipped_and_logged(
    notify_log: pytest.LogCaptureFixture,
) -> None:
    broken = FakeBackend("freedesktop", ready=True, broken=True)
    banner = FakeBackend("banner", ready=True)

    assert choose_backend([broken, banner]) is banner
    assert "checking the freedesktop notification backend failed" in notify_log.text


def test_the_null_backend_is_always_available_and_only_logs(
    notify_log: pytest.LogCaptureFixture,
) -> None:
    backend = NullBackend()
    assert backend.available()
    backend.send("Lunch starts now — until 13:00", "Lunch with the team", urgency="low")
    assert "Lunch starts now — until 13:00" in notify_log.text
    assert notify_log.records[-1].name == "ml_day.notify"


def test_the_real_backends_follow_the_protocol() -> None:
    # mypy checks the assignment; the names are the contract with the Qt side.
    backends: list[DeliveryBackend] = [FreedesktopBackend(environ={}), NullBackend()]
    assert [backend.name for backend in backends] == ["freedesktop", "none"]


def test_without_a_session_bus_freedesktop_is_unavailable_at_once(
    notify_log: pytest.LogCaptureFixture,
) -> None:
    backend = FreedesktopBackend(environ={})
    started = time.monotonic()
    assert not backend.available()
    assert time.monotonic() - started < HANG_LIMIT
    assert backend.problem == NO_BUS
    assert "DBUS_SESSION_BUS_ADDRESS is not set" in notify_log.text
    with pytest.raises(DeliveryError, match="no D-Bus session bus"):
        backend.send("Lunch", "Lunch with the team")


def test_without_a_session_bus_no_name_is_on_it() -> None:
    assert not name_on_session_bus("org.kde.StatusNotifierWatcher", environ={})


def test_a_bus_address_where_nobody_listens_is_a_delivery_error(tmp_path: Path) -> None:
    backend = FreedesktopBackend(environ={"DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path}/bus"})
    assert not backend.available()
    assert backend.problem is not None
    assert backend.problem.startswith("cannot connect to the D-Bus session bus at unix:path=")
    with pytest.raises(DeliveryError, match="cannot connect") as caught:
        backend.send("Lunch", "Lunch with the team")
    assert "\n" not in str(caught.value)


def test_a_bus_address_jeepney_cannot_use_is_a_delivery_error() -> None:
    backend = FreedesktopBackend(environ={"DBUS_SESSION_BUS_ADDRESS": "tcp:host=localhost,port=1"})
    assert not backend.available()
    assert backend.problem is not None
    assert backend.problem.startswith("cannot use the D-Bus session bus at tcp:")


def test_an_unknown_urgency_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown urgency 'urgent'"):
        FreedesktopBackend(environ={}).send("Lunch", "", urgency="urgent")


def test_the_session_bus_address_comes_from_the_environment_or_the_runtime_folder(
    tmp_path: Path,
) -> None:
    address = "unix:path=/run/user/1000/bus"
    assert session_bus_address({"DBUS_SESSION_BUS_ADDRESS": address}) == address
    assert session_bus_address({}) is None
    assert session_bus_address({"XDG_RUNTIME_DIR": str(tmp_path)}) is None
    (tmp_path / "bus").write_text("not a socket")
    assert session_bus_address({"XDG_RUNTIME_DIR": str(tmp_path)}) is None
    (tmp_path / "bus").unlink()
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(tmp_path / "bus"))
        found = session_bus_address({"XDG_RUNTIME_DIR": str(tmp_path)})
    finally:
        listener.close()
    assert found == f"unix:path={tmp_path / 'bus'}"


def test_server_information_reads_as_name_and_version() -> None:
    info = ServerInformation("dunst", "knopwob", "1.9.0 (2022-06-27)", "1.2")
    assert str(info) == "dunst 1.9.0"
    assert str(ServerInformation("notifyd", "", "", "1.2")) == "notifyd"


def test_long_texts_are_clipped_with_an_ellipsis() -> None:
    assert clip("Lunch", 10) == "Lunch"
    assert clip("Deep work: code, data", 10) == "Deep work…"
    assert len(clip("x" * 10_000_000, MAX_BODY)) == MAX_BODY


def test_markup_characters_are_escaped() -> None:
    assert escape_markup("Q&A <prep> > 5") == "Q&amp;A &lt;prep&gt; &gt; 5"


def test_notify_test_without_a_session_bus_fails_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # no bus socket there

    status = main(["--data-dir", str(tmp_path / "data"), "notify-test"])

    captured = capsys.readouterr()
    assert status == 1
    assert captured.out == ""
    assert captured.err == (
        "ml-day: error: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set); "
        "the planner window falls back to its tray icon or an in-window banner\n"
    )


def test_the_notify_package_loads_neither_qt_nor_sql() -> None:
    code = (
        "import json, sys\n"
        "import ml_day.notify, ml_day.notify.backends\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout))
    assert not loaded & {"PySide6", "shiboken6", "sqlmodel", "sqlalchemy", "sqlite3", "pydantic"}
    assert "jeepney" in loaded

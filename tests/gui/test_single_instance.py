"""One app per plan: a later launch hands its request to the running window."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ml_day import APP_ID
from ml_day.core.clock import ManualClock
from ml_day.gui.app import answer_later_launch, settings_for
from ml_day.gui.main_window import MainWindow
from ml_day.gui.single_instance import (
    Action,
    InstanceRequest,
    InstanceServer,
    forward_to_running_instance,
    socket_path,
)
from ml_day.gui.store import PlanStore
from ml_day.paths import AppPaths, resolve_paths

FRIDAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def runtime_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "run"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    return folder


@pytest.fixture
def server(qtbot: QtBot, paths: AppPaths) -> Iterator[InstanceServer]:
    listening = InstanceServer(socket_path(paths))
    assert listening.listen()
    yield listening
    discard(qtbot, listening)


def discard(qtbot: QtBot, server: InstanceServer) -> None:
    server.close()
    server.deleteLater()
    qtbot.wait(1)


def requests_of(server: InstanceServer) -> list[InstanceRequest]:
    """What the server emits, collected (``qtbot.waitSignal`` on this signal's
    Python payload left a dangling connection that crashed the interpreter at exit)."""
    received: list[InstanceRequest] = []
    server.requested.connect(received.append)
    return received


def forward_in_background(path: Path, request: InstanceRequest) -> Callable[[], bool | None]:
    """Send ``request`` from a thread (the server answers from this thread's event
    loop); returns a function that gives the answer once there is one."""
    answers: list[bool] = []
    thread = threading.Thread(
        target=lambda: answers.append(forward_to_running_instance(path, request)), daemon=True
    )
    thread.start()
    return lambda: answers[0] if answers else None


def test_the_socket_is_named_after_the_application_id(
    runtime_dir: Path, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ML_DAY_DATA_DIR", raising=False)
    default = resolve_paths()
    assert socket_path(default) == runtime_dir / APP_ID
    # Another plan folder is another instance, with its own socket.
    other = socket_path(paths)
    assert other.parent == runtime_dir
    assert other.name.startswith(f"{APP_ID}.")
    assert other != socket_path(resolve_paths(paths.data_dir.parent / "elsewhere"))
    assert other == socket_path(resolve_paths(paths.data_dir))


def test_without_a_runtime_folder_the_socket_lives_in_a_private_folder(
    paths: AppPaths, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    folder = socket_path(paths).parent
    assert folder == tmp_path / "tmp" / f"{APP_ID}-{os.getuid()}"
    assert folder.stat().st_mode & 0o777 == 0o700


def test_requests_survive_the_wire_and_garbage_is_refused() -> None:
    request = InstanceRequest(Action.NEW_BLOCK, (("XDG_ACTIVATION_TOKEN", "abc"),))
    assert InstanceRequest.decode(request.encode().strip()) == request
    for garbage in [b"", b"\xff\xfe", b"[]", b'{"action": "format-disk"}', b"{", b"null"]:
        assert InstanceRequest.decode(garbage) is None


def test_nobody_listening_means_this_launch_starts(paths: AppPaths) -> None:
    assert not forward_to_running_instance(socket_path(paths), InstanceRequest(Action.RAISE))


def test_a_later_launch_is_answered_and_its_request_emitted(
    qtbot: QtBot, server: InstanceServer
) -> None:
    request = InstanceRequest(Action.SHOW_TODAY, (("DESKTOP_STARTUP_ID", "launcher-1"),))
    received = requests_of(server)
    answer = forward_in_background(server.path, request)
    qtbot.waitUntil(lambda: answer() is not None, timeout=5000)
    assert received == [request]
    assert answer() is True


def test_a_malformed_request_is_answered_with_an_error_and_ignored(
    qtbot: QtBot, server: InstanceServer
) -> None:
    emitted = requests_of(server)
    replies: list[bytes] = []

    def send_garbage() -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(5)
            client.connect(str(server.path))
            client.sendall(b"not json\n")
            replies.append(client.recv(64))

    thread = threading.Thread(target=send_garbage, daemon=True)
    thread.start()
    qtbot.waitUntil(lambda: bool(replies), timeout=5000)
    assert replies == [b"error\n"]
    assert emitted == []


def test_a_second_server_for_the_same_plan_finds_the_name_taken(
    qtbot: QtBot, server: InstanceServer
) -> None:
    second = InstanceServer(server.path)
    assert second.listen() is False
    discard(qtbot, second)
    # The first one still answers.
    answer = forward_in_background(server.path, InstanceRequest(Action.RAISE))
    qtbot.waitUntil(lambda: answer() is not None, timeout=5000)
    assert answer() is True


def test_a_socket_left_by_a_crashed_app_is_replaced(qtbot: QtBot, paths: AppPaths) -> None:
    path = socket_path(paths)
    crashed = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    crashed.bind(str(path))
    crashed.close()  # the file stays, nobody listens: what a killed app leaves
    assert path.exists()
    server = InstanceServer(path)
    assert server.listen()
    received = requests_of(server)
    answer = forward_in_background(path, InstanceRequest(Action.RAISE))
    qtbot.waitUntil(lambda: answer() is not None, timeout=5000)
    assert answer() is True
    assert [request.action for request in received] == [Action.RAISE]
    discard(qtbot, server)


# The offscreen platform has no window manager to raise windows for.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_new_block_from_a_later_launch_shows_the_hidden_window_on_today(
    qtbot: QtBot, paths: AppPaths
) -> None:
    clock = ManualClock.at_local(dt.datetime(2026, 11, 27, 11, 23), "Europe/Berlin")
    store = PlanStore(paths)
    window = MainWindow(store, clock, settings_for(paths))
    qtbot.addWidget(window)
    window.show_day(FRIDAY)
    window.show()
    store.open()
    window.show_day(FRIDAY + dt.timedelta(days=3))
    window.hide()  # closed to the tray
    server = InstanceServer(socket_path(paths))
    assert server.listen()
    server.requested.connect(lambda request: answer_later_launch(window, request))
    answer = forward_in_background(server.path, InstanceRequest(Action.NEW_BLOCK))
    qtbot.waitUntil(lambda: answer() is not None, timeout=5000)
    assert answer() is True
    assert window.isVisible()
    assert window.day == FRIDAY
    assert window.timeline.is_creating()
    assert window.timeline.title_editor().is_open()
    discard(qtbot, server)
    store.close()


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.slow
def test_a_second_real_launch_hands_over_and_exits(tmp_path: Path, runtime_dir: Path) -> None:
    """Two real processes, as a user double-clicking the menu entry twice."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "TZ": "Europe/Berlin",
        "XDG_RUNTIME_DIR": str(runtime_dir),
    }
    data_dir = tmp_path / "data"
    command = [sys.executable, "-m", "ml_day", "--data-dir", str(data_dir)]
    first = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    log_file = data_dir / "logs" / "ml-day.log"

    def log_text() -> str:
        return log_file.read_text(encoding="utf-8") if log_file.is_file() else ""

    try:
        assert wait_for(lambda: "plan open" in log_text(), 30), "the first app did not start"
        second = subprocess.run(
            [*command, "--new-block"],
            check=False,
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode == 0, second.stderr
        assert wait_for(lambda: "a later launch asked to new-block" in log_text(), 10)
        assert "is already running; asked it to new-block" in log_text()
        assert first.poll() is None, "the first app must keep running"
        first.send_signal(signal.SIGTERM)
        _, stderr = first.communicate(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, stderr
    assert log_text().count(" started (data in ") == 1

"""Starting the planner: storage failures explained, unexpected errors shown, a real process."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ml_day.core.timemodel import ONE_DAY
from ml_day.gui.app import application_icon, open_plan
from ml_day.gui.errors import install_error_dialog
from ml_day.gui.store import PlanStore
from ml_day.logs import setup_logging
from ml_day.paths import resolve_paths


class DialogReader:
    """Reads and closes the next modal dialog, as a user would dismiss it."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.names: list[str] = []

    def arm(self) -> None:
        QTimer.singleShot(0, self._read)

    def _read(self) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QMessageBox):
            QTimer.singleShot(10, self._read)
            return
        self.names.append(dialog.objectName())
        self.texts.append(f"{dialog.text()}\n{dialog.informativeText()}")
        dialog.done(QMessageBox.StandardButton.Close.value)


@pytest.fixture
def restore_excepthook() -> Iterator[None]:
    original = sys.excepthook
    yield
    sys.excepthook = original


def test_a_newer_database_is_explained_and_left_untouched(qtbot: QtBot, tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path)
    first = PlanStore(paths)
    first.open()
    first.close()
    connection = sqlite3.connect(paths.database)
    connection.execute("PRAGMA user_version = 7")
    connection.commit()
    connection.close()
    before = paths.database.read_bytes()
    parent = QWidget()
    qtbot.addWidget(parent)
    reader = DialogReader()
    reader.arm()
    store = PlanStore(paths)
    assert open_plan(store, parent) is False
    assert not store.is_ready
    assert reader.names == ["storageErrorDialog"]
    assert "newer ML Day" in reader.texts[0]
    assert str(paths.database) in reader.texts[0]
    assert "Nothing was changed" in reader.texts[0]
    assert paths.database.read_bytes() == before


def test_an_unexpected_error_shows_a_dialog_naming_the_log(
    qtbot: QtBot, tmp_path: Path, restore_excepthook: None
) -> None:
    log_file = tmp_path / "logs" / "ml-day.log"
    assert setup_logging(log_file) == log_file
    install_error_dialog(log_file)
    reader = DialogReader()
    reader.arm()
    try:
        raise RuntimeError("the flux capacitor overheated")
    except RuntimeError as error:
        sys.excepthook(RuntimeError, error, error.__traceback__)
    assert reader.names == ["unexpectedErrorDialog"]
    assert "the flux capacitor overheated" in reader.texts[0]
    assert str(log_file) in reader.texts[0]
    for handler in logging.getLogger("ml_day").handlers:
        handler.flush()
    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected error" in logged and "RuntimeError: the flux capacitor" in logged


def wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.05)
    return False


def test_the_application_icon_has_every_size(qtbot: QtBot) -> None:
    icon = application_icon()
    sizes = {(size.width(), size.height()) for size in icon.availableSizes()}
    assert {(16, 16), (32, 32), (256, 256)} <= sizes
    assert not icon.pixmap(16, 16).isNull()


@pytest.mark.parametrize("flags", [[], ["--new-block"]])
def test_the_real_app_starts_creates_its_database_and_quits_on_sigterm(
    tmp_path: Path, flags: list[str]
) -> None:
    """The whole program as a user starts it (also from the menu's "New block"
    action); the only test here that waits (a few seconds)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TZ": "Europe/Berlin"}
    data_dir = tmp_path / "data"
    process = subprocess.Popen(
        [sys.executable, "-m", "ml_day", "--data-dir", str(data_dir), *flags],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    log_file = data_dir / "logs" / "ml-day.log"
    try:
        opened = wait_for(
            lambda: log_file.is_file() and "plan open" in log_file.read_text(encoding="utf-8"),
            30,
        )
        assert opened, "the app did not open its plan"
        assert process.poll() is None, "the app exited on its own"
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr
    assert (data_dir / "plan.sqlite3").is_file()
    connection = sqlite3.connect(data_dir / "plan.sqlite3")
    days = [dt.date.fromisoformat(row[0]) for row in connection.execute("SELECT date FROM day")]
    connection.close()
    # Today, the day before (its night runs into today), and the days the
    # notifier reads around today (yesterday's eve and tomorrow), in a row.
    days.sort()
    assert len(days) == 4
    assert [later - earlier for earlier, later in itertools.pairwise(days)] == [ONE_DAY] * 3
    settings = (data_dir / "settings.ini").read_text(encoding="utf-8")
    assert "[window]" in settings and "geometry=@ByteArray(" in settings
    assert "received signal 15; quitting" in log_file.read_text(encoding="utf-8")

"""Closing the window with a tray keeps the app running; quitting is explicit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ml_day.core.clock import ManualClock
from ml_day.gui.app import settings_for, show_tray_hint_once
from ml_day.gui.main_window import MainWindow
from ml_day.gui.notifier import Notifier
from ml_day.gui.store import PlanStore
from ml_day.paths import resolve_paths
from tests.gui.test_notifier import RecordingBackend


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no window manager
def test_closing_hides_to_the_tray_with_a_one_time_hint(qtbot: QtBot, tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path)
    clock = ManualClock.at_local(dt.datetime(2026, 11, 27, 11, 23), "Europe/Berlin")
    store = PlanStore(paths)
    store.open()
    settings = settings_for(paths)
    window = MainWindow(store, clock, settings)
    qtbot.addWidget(window)
    recorder = RecordingBackend()  # stands in for the notification daemon (desktop rig only)
    notifier = Notifier(store, clock, [recorder])
    notifier.start()
    window.set_close_to_tray(True)
    window.hiddenToTray.connect(lambda: show_tray_hint_once(notifier, settings))
    quits: list[bool] = []
    window.quitRequested.connect(lambda: quits.append(True))
    window.show()

    assert window.close() is False  # the close was turned into "hide"
    assert not window.isVisible()
    qtbot.waitUntil(lambda: recorder.summaries == ["ML Day is still running"])
    window.bring_to_front()
    assert window.isVisible()
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert recorder.summaries == ["ML Day is still running"]  # once only
    assert quits == []

    window.bring_to_front()
    window.quit_application()
    assert not window.isVisible()
    assert quits == [True]
    assert QApplication.instance() is not None
    notifier.close()
    store.close()

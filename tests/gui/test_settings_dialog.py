"""The Preferences dialog: real clicks and keys, a real settings file, applied live."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTime, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from ml_day.core.clock import ManualClock
from ml_day.core.editing import DEFAULT_SNAP_MINUTES
from ml_day.core.notifications import NotificationRules, QuietHours
from ml_day.gui.app import settings_for
from ml_day.gui.main_window import MainWindow
from ml_day.gui.notifier import Notifier, rules_from_settings
from ml_day.gui.preferences import Preferences, load_preferences
from ml_day.gui.settings_dialog import SettingsDialog
from ml_day.gui.store import PlanStore
from ml_day.paths import AppPaths
from tests.gui.test_accessibility import assert_every_control_described

FRIDAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder


@pytest.fixture
def window(qtbot: QtBot, store: PlanStore, clock: ManualClock, paths: AppPaths) -> MainWindow:
    main = MainWindow(store, clock, settings_for(paths))
    qtbot.addWidget(main)
    main.show_day(FRIDAY)
    main.resize(600, 700)
    with qtbot.waitActive(main):
        main.show()
        main.activateWindow()
    store.open()
    return main


def open_dialog(qtbot: QtBot, window: MainWindow) -> SettingsDialog:
    window.timeline.setFocus()
    QTest.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(SettingsDialog, "settingsDialog")
    assert isinstance(dialog, SettingsDialog), "Ctrl+, must open the preferences"
    qtbot.waitExposed(dialog)
    return dialog


def click(dialog: SettingsDialog, which: QDialogButtonBox.StandardButton) -> None:
    button = dialog.buttons.button(which)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def type_into(widget: object, text: str) -> None:
    from PySide6.QtWidgets import QWidget

    assert isinstance(widget, QWidget)
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(widget, text)


def test_the_dialog_shows_the_saved_preferences_and_describes_every_control(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.set_snap_minutes(30)
    dialog = open_dialog(qtbot, window)
    assert dialog.snap_box.currentData() == 30
    assert not dialog.fit_hours.isChecked() and not dialog.first_hour.isEnabled()
    assert dialog.lead_boxes["meeting"].value() == 5  # the category's own default
    assert dialog.silent_boxes["sleep"].isChecked()
    assert not dialog.lead_boxes["sleep"].isEnabled()
    assert dialog.deadline_edit.text() == "30, 10"
    assert not dialog.start_at_login.isChecked()
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        assert_every_control_described(dialog.tabs.currentWidget())
    assert_every_control_described(dialog)


def test_ok_saves_everything_and_the_window_applies_it_at_once(
    qtbot: QtBot, window: MainWindow, paths: AppPaths
) -> None:
    changed: list[Preferences] = []
    window.preferencesChanged.connect(changed.append)
    dialog = open_dialog(qtbot, window)

    dialog.tabs.setCurrentIndex(1)
    dialog.snap_box.setFocus()
    QTest.keyClick(dialog.snap_box, Qt.Key.Key_End)  # the last choice: 30 minutes
    QTest.mouseClick(dialog.fit_hours, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    type_into(dialog.first_hour, "8")
    type_into(dialog.last_hour, "18")

    dialog.tabs.setCurrentIndex(2)
    type_into(dialog.lead_boxes["meeting"], "10")
    dialog.silent_boxes["commute"].setFocus()
    QTest.keyClick(dialog.silent_boxes["commute"], Qt.Key.Key_Space)
    type_into(dialog.deadline_edit, "45, 15")
    QTest.mouseClick(dialog.quiet_hours, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    dialog.quiet_start.setTime(QTime(21, 30))
    dialog.quiet_end.setTime(QTime(6, 45))
    click(dialog, QDialogButtonBox.StandardButton.Ok)

    assert not dialog.isVisible()
    assert window.timeline.snap_minutes() == 30
    assert window.timeline.visible_hours() == (8, 18)
    usable = window.timeline.viewport().height() - 2 * window.timeline.scale().top_margin
    assert window.timeline.pixels_per_hour() == pytest.approx(max(usable / 10, 32.0))
    assert len(changed) == 1

    text = paths.settings.read_text(encoding="utf-8")
    assert "visible_hours=8-18" in text
    assert "quiet_hours=21:30-06:45" in text
    rules = rules_from_settings(settings_for(paths))
    assert rules == NotificationRules(
        pre_alert_minutes={"meeting": 10},
        silent_categories=frozenset({"sleep", "commute"}),
        deadline_warnings=(45, 15),
        quiet_hours=QuietHours(dt.time(21, 30), dt.time(6, 45)),
    )
    assert changed[0].notification_rules().quiet_hours == rules.quiet_hours
    # A window opened later on the same settings starts with them.
    again = MainWindow(window._store, window._clock, settings_for(paths))
    qtbot.addWidget(again)
    assert again.timeline.visible_hours() == (8, 18)
    assert again.timeline.snap_minutes() == 30


def test_an_invalid_value_disables_ok_and_saves_nothing(
    qtbot: QtBot, window: MainWindow, paths: AppPaths
) -> None:
    dialog = open_dialog(qtbot, window)
    before = paths.settings.read_text(encoding="utf-8") if paths.settings.exists() else ""
    dialog.tabs.setCurrentIndex(2)
    type_into(dialog.deadline_edit, "soon")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text().startswith("Deadline warnings: write minutes")
    QTest.keyClick(dialog.deadline_edit, Qt.Key.Key_Return)  # Enter must not save either
    assert dialog.isVisible()
    type_into(dialog.deadline_edit, "20")
    assert ok.isEnabled() and not dialog.error_label.isVisible()

    dialog.tabs.setCurrentIndex(1)
    dialog.fit_hours.setChecked(True)
    dialog.first_hour.setValue(12)
    dialog.last_hour.setValue(9)
    assert not ok.isEnabled()
    assert "first hour must come before the last" in dialog.error_label.text()
    click(dialog, QDialogButtonBox.StandardButton.Cancel)
    after = paths.settings.read_text(encoding="utf-8") if paths.settings.exists() else ""
    assert after == before
    assert window.timeline.visible_hours() is None


def test_restore_defaults_puts_the_controls_back(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_dialog(qtbot, window)
    dialog.lead_boxes["meeting"].setValue(42)
    dialog.silent_boxes["sleep"].setChecked(False)
    dialog.deadline_edit.setText("5")
    dialog.quiet_hours.setChecked(True)
    click(dialog, QDialogButtonBox.StandardButton.RestoreDefaults)
    assert dialog.lead_boxes["meeting"].value() == 5
    assert dialog.silent_boxes["sleep"].isChecked()
    assert dialog.deadline_edit.text() == "30, 10"
    assert not dialog.quiet_hours.isChecked()
    assert dialog.snap_box.currentData() == DEFAULT_SNAP_MINUTES


def test_start_at_login_writes_and_removes_the_autostart_entry(
    qtbot: QtBot, window: MainWindow, config_home: Path
) -> None:
    entry = config_home / "autostart" / "org.mlday.MLDay.desktop"
    dialog = open_dialog(qtbot, window)
    QTest.mouseClick(dialog.start_at_login, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    click(dialog, QDialogButtonBox.StandardButton.Apply)
    assert entry.is_file()
    assert "Exec=" in entry.read_text(encoding="utf-8")
    assert dialog.isVisible()  # Apply keeps the dialog open
    QTest.mouseClick(dialog.start_at_login, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    click(dialog, QDialogButtonBox.StandardButton.Ok)
    assert not entry.exists()


def test_an_unwritable_autostart_folder_is_explained_and_the_box_reverts(
    qtbot: QtBot, window: MainWindow, config_home: Path
) -> None:
    config_home.mkdir(parents=True)
    (config_home / "autostart").write_text("a file where the folder should be")
    dialog = open_dialog(qtbot, window)
    dialog.start_at_login.setChecked(True)
    messages: list[str] = []

    def read_message() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, read_message)
            return
        messages.append(box.text())
        box.accept()

    QTimer.singleShot(0, read_message)
    click(dialog, QDialogButtonBox.StandardButton.Apply)
    assert len(messages) == 1
    assert messages[0].startswith("Could not add the login entry: ")
    assert str(config_home / "autostart") in messages[0]
    assert not dialog.start_at_login.isChecked()


def test_turning_off_keep_in_tray_makes_closing_quit(qtbot: QtBot, window: MainWindow) -> None:
    window.set_close_to_tray(True)  # as when a tray is there
    hidden: list[bool] = []
    quits: list[bool] = []
    window.hiddenToTray.connect(lambda: hidden.append(True))
    window.quitRequested.connect(lambda: quits.append(True))
    dialog = open_dialog(qtbot, window)
    assert dialog.close_to_tray.isEnabled() and dialog.close_to_tray.isChecked()
    QTest.mouseClick(dialog.close_to_tray, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    click(dialog, QDialogButtonBox.StandardButton.Ok)
    window.close()
    assert hidden == []
    assert quits == [True]


def test_without_a_tray_the_option_is_explained_not_offered(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = open_dialog(qtbot, window)
    assert not dialog.close_to_tray.isEnabled()
    page = dialog.tabs.widget(0)
    assert page is not None
    assert "closing the window quits" in " ".join(
        label.text() for label in page.findChildren(type(dialog.error_label))
    )


def test_the_notifier_replans_on_new_rules(
    qtbot: QtBot, window: MainWindow, store: PlanStore, clock: ManualClock, paths: AppPaths
) -> None:
    settings = settings_for(paths)
    notifier = Notifier(store, clock, [], rules=lambda: rules_from_settings(settings))
    window.preferencesChanged.connect(lambda _p: notifier.rules_changed())
    notifier.start()
    try:
        # At 11:23 the next thing due is the meeting's pre-alert at 12:55, after lunch at 12:00.
        berlin = clock.zone()
        due = notifier.next_wakeup
        assert due is not None
        assert due.astimezone(berlin).time() == dt.time(12, 0)
        dialog = open_dialog(qtbot, window)
        dialog.quiet_hours.setChecked(True)
        dialog.quiet_start.setTime(QTime(11, 30))
        dialog.quiet_end.setTime(QTime(13, 0))
        click(dialog, QDialogButtonBox.StandardButton.Ok)
        due = notifier.next_wakeup
        assert due is not None
        assert due.astimezone(berlin).time() == dt.time(13, 0)
        assert load_preferences(settings).quiet_hours == QuietHours(dt.time(11, 30), dt.time(13))
    finally:
        notifier.close()

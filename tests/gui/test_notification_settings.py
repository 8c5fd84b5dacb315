"""The window and the command line read the same notification rules from the
settings file: the window through QSettings, the command line without Qt."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar
from PySide6.QtCore import QSettings

from ml_day.cli.settings_file import notification_rules
from ml_day.core.clock import ManualClock
from ml_day.core.notifications import NotificationRules, QuietHours
from ml_day.gui.notifier import rules_from_settings
from ml_day.gui.preferences import Preferences, save_preferences
from ml_day.main import main


def written_by_the_window(path: Path, preferences: Preferences) -> QSettings:
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    save_preferences(settings, preferences, [])
    return settings


@pytest.mark.parametrize(
    "preferences",
    [
        Preferences(),
        Preferences(
            lead_minutes={"meeting": 10, "deep work": 3, "réunion": 15, "€ budget": 20},
            silent_categories=frozenset({"sleep", "commute"}),
            deadline_warnings=(45, 15),
            quiet_hours=QuietHours(dt.time(22), dt.time(7)),
        ),
        Preferences(silent_categories=frozenset(), deadline_warnings=()),
    ],
)
def test_both_readers_agree_on_what_the_window_wrote(
    tmp_path: Path, preferences: Preferences
) -> None:
    path = tmp_path / "settings.ini"
    settings = written_by_the_window(path, preferences)
    from_qt = rules_from_settings(settings)
    assert from_qt == preferences.normalised([]).notification_rules()
    assert notification_rules(path) == from_qt


def test_a_hand_written_file_reads_the_same_and_bad_values_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    path.write_text(
        "[notifications]\n"
        "lead_minutes\\meeting=10\n"
        "lead_minutes\\meal=soon\n"
        "silent=sleep, commute\n"
        "deadline_warnings=30, 10, 5\n"
        "quiet_hours=late\n",
        encoding="utf-8",
    )
    expected = NotificationRules(
        pre_alert_minutes={"meeting": 10},
        silent_categories=frozenset({"sleep", "commute"}),
        deadline_warnings=(30, 10, 5),
    )
    assert rules_from_settings(QSettings(str(path), QSettings.Format.IniFormat)) == expected
    assert notification_rules(path) == expected


def test_a_missing_or_broken_file_gives_the_defaults(tmp_path: Path) -> None:
    assert notification_rules(tmp_path / "none.ini") == NotificationRules()
    broken = tmp_path / "broken.ini"
    broken.write_bytes(b"\xff\xfe[not ini")
    assert notification_rules(broken) == NotificationRules()


def test_an_exported_calendar_s_alarms_follow_the_settings(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    clock = ManualClock.at_local(dt.datetime(2026, 11, 27, 8, 0), "Europe/Berlin")
    assert main(["--data-dir", str(data_dir), "agenda"], clock) == 0
    written_by_the_window(data_dir / "settings.ini", Preferences(lead_minutes={"meeting": 10}))
    output = tmp_path / "day.ics"
    assert main(["--data-dir", str(data_dir), "export", "-o", str(output)], clock) == 0
    calendar = Calendar.from_ical(output.read_bytes())
    meeting = next(
        event
        for event in calendar.walk("VEVENT")
        if str(event.get("SUMMARY", "")).startswith("Meetings and client calls")
    )
    triggers = [alarm.get("TRIGGER").dt for alarm in meeting.walk("VALARM")]
    assert dt.timedelta(minutes=-10) in triggers
    assert dt.timedelta(minutes=-5) not in triggers

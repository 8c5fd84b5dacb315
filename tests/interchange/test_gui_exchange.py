"""Import and export in the real window: the preview, keys, a dropped file, Undo."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from ml_day.core.clock import ManualClock
from ml_day.gui.app import settings_for
from ml_day.gui.exchange import ExportDialog
from ml_day.gui.import_preview import ImportPreviewDialog
from ml_day.gui.main_window import MainWindow
from ml_day.gui.store import PlanStore
from ml_day.interchange.import_plan import Action
from ml_day.interchange.importing import prepare_import
from ml_day.paths import AppPaths, resolve_paths
from ml_day.persistence.database import Database
from ml_day.persistence.exchange import apply_import, blocks_by_uid
from ml_day.persistence.repository import PlanRepository
from tests.interchange.conftest import BERLIN, OpenPlan

FRIDAY = dt.date(2026, 11, 27)


def ics(*events: tuple[str, str, str, str]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Other//EN"]
    for uid, title, start, end in events:
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"SUMMARY:{title}", f"DTSTART:{start}",
                  f"DTEND:{end}", "END:VEVENT"]  # fmt: skip
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


MEETINGS = (
    ics(
        ("standup@work", "Standup", "20261127T080000Z", "20261127T081500Z"),
        ("review@work", "Design review", "20261127T140000Z", "20261127T150000Z"),
        ("offsite@work", "Offsite", "20261130", "20261201"),
    )
    .replace(b"DTSTART:20261130", b"DTSTART;VALUE=DATE:20261130")
    .replace(b"DTEND:20261201", b"DTEND;VALUE=DATE:20261201")
)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return resolve_paths(tmp_path / "data")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock.at_local(dt.datetime(2026, 11, 27, 11, 23), "Europe/Berlin")


@pytest.fixture
def store(paths: AppPaths) -> Iterator[PlanStore]:
    plan_store = PlanStore(paths)
    yield plan_store
    plan_store.close()


@pytest.fixture
def window(qtbot: QtBot, store: PlanStore, clock: ManualClock, paths: AppPaths) -> MainWindow:
    main = MainWindow(store, clock, settings_for(paths))
    qtbot.addWidget(main)
    main.show_day(FRIDAY, store.quick_day(FRIDAY) or [])
    with qtbot.waitActive(main):
        main.show()
        main.activateWindow()
    store.open()
    return main


def stored_titles(paths: AppPaths) -> list[str]:
    with sqlite3.connect(paths.database) as connection:
        return sorted(row[0] for row in connection.execute("SELECT title FROM block"))


def shown_titles(window: MainWindow) -> list[str]:
    return [block.title for block in window.timeline.blocks()]


def open_preview(qtbot: QtBot, window: MainWindow) -> ImportPreviewDialog:
    qtbot.waitUntil(
        lambda: window.exchange.preview is not None and window.exchange.preview.isVisible()
    )
    preview = window.exchange.preview
    assert preview is not None
    return preview


def drag_files(paths_: list[Path]) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths_])
    return mime


def drop_on(window: MainWindow, mime: QMimeData) -> tuple[bool, bool]:
    """Drag ``mime`` over the window and drop it; (entering accepted, drop accepted)."""
    where = window.rect().center()
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(window, enter)
    drop = QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(window, drop)
    return enter.isAccepted(), drop.isAccepted()


# ---------------------------------------------------------------- the preview
def test_the_preview_lists_what_will_be_added_and_skipped(
    qtbot: QtBot, open_plan: OpenPlan
) -> None:
    plan = open_plan("plan")
    result = prepare_import(MEETINGS, source="work.ics", zone=BERLIN, first_day=FRIDAY, days=7,
                            stored=lambda uids: blocks_by_uid(plan.database, uids))  # fmt: skip
    dialog = ImportPreviewDialog(result)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Import work.ics"
    assert dialog.heading.text() == "Importing work.ics: 2 to add, 0 to change, 1 skipped."
    rows = [
        [dialog.items.topLevelItem(index).text(column) for column in range(4)]  # type: ignore[union-attr]
        for index in range(dialog.items.topLevelItemCount())
    ]
    assert rows == [
        ["Add", "Fri 27 Nov 2026 09:00–09:15", "Standup", "general"],
        ["Add", "Fri 27 Nov 2026 15:00–16:00", "Design review", "general"],
        ["Skip", "", 'Event "Offsite"', "it is an all-day event (ML Day plans the hours of a day)"],
    ]
    assert dialog.import_button.text() == "&Import 2 events"
    assert dialog.import_button.isDefault()
    assert dialog.items.accessibleName() == "Events in the file"
    # Tab reaches the list and the buttons; Enter imports, wherever the focus is.
    dialog.items.setFocus()
    QTest.keyClick(dialog.items, Qt.Key.Key_Down)
    QTest.keyClick(dialog.items, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_escape_cancels_the_preview(qtbot: QtBot, open_plan: OpenPlan) -> None:
    plan = open_plan("plan")
    result = prepare_import(MEETINGS, source="work.ics", zone=BERLIN, first_day=FRIDAY, days=7,
                            stored=lambda uids: blocks_by_uid(plan.database, uids))  # fmt: skip
    dialog = ImportPreviewDialog(result)
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_a_file_with_nothing_new_offers_only_close(qtbot: QtBot, open_plan: OpenPlan) -> None:
    plan = open_plan("plan")
    empty = ics()
    result = prepare_import(empty, source="empty.ics", zone=BERLIN, first_day=FRIDAY, days=7,
                            stored=lambda uids: blocks_by_uid(plan.database, uids))  # fmt: skip
    dialog = ImportPreviewDialog(result)
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    assert dialog.import_button.text() == "Nothing to import"
    assert dialog.cancel_button.text() == "&Close"
    assert dialog.heading.text() == "empty.ics holds no events."


# ---------------------------------------------------------------- in the window
def test_ctrl_i_imports_after_the_preview_and_ctrl_z_undoes_it_all(
    qtbot: QtBot, window: MainWindow, paths: AppPaths, tmp_path: Path
) -> None:
    file = tmp_path / "work.ics"
    file.write_bytes(MEETINGS)
    # A native file dialog cannot be driven here: the test answers it.
    window.exchange.choose_open = lambda _parent, _suggested: file
    before = stored_titles(paths)
    QTest.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    preview = open_preview(qtbot, window)
    assert stored_titles(paths) == before  # nothing is written while the preview shows
    QTest.keyClick(preview, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Standup" in shown_titles(window))
    assert sorted([*before, "Design review", "Standup"]) == stored_titles(paths)
    assert window.statusBar().currentMessage() == (
        "Imported work.ics: added 2, changed 0, unchanged 0, skipped 1"
    )
    assert window.undo_action.text() == "Undo Import work.ics"

    window.timeline.setFocus()
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_titles(paths) == before
    assert "Standup" not in shown_titles(window)
    QTest.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert sorted([*before, "Design review", "Standup"]) == stored_titles(paths)
    with sqlite3.connect(paths.database) as connection:
        uids = {row[0] for row in connection.execute("SELECT uid FROM block")}
    assert {"standup@work", "review@work"} <= uids  # redo keeps the file's identities


def test_dropping_an_ics_file_on_the_window_previews_it(
    qtbot: QtBot, window: MainWindow, paths: AppPaths, tmp_path: Path
) -> None:
    file = tmp_path / "work.ics"
    file.write_bytes(MEETINGS)
    before = stored_titles(paths)
    assert drop_on(window, drag_files([file])) == (True, True)
    preview = open_preview(qtbot, window)
    assert preview.plan.count(Action.ADD) == 2
    preview.import_button.click()
    qtbot.waitUntil(lambda: "Design review" in shown_titles(window))
    assert len(stored_titles(paths)) == len(before) + 2

    # The same file again: nothing to add, and nothing stored twice.
    assert drop_on(window, drag_files([file])) == (True, True)
    again = open_preview(qtbot, window)
    assert again.plan.count(Action.SAME) == 2 and not again.import_button.isEnabled()
    QTest.keyClick(again, Qt.Key.Key_Escape)
    assert len(stored_titles(paths)) == len(before) + 2


def test_other_files_are_not_taken(window: MainWindow, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a calendar", encoding="utf-8")
    assert drop_on(window, drag_files([text])) == (False, False)
    assert window.exchange.preview is None


def test_a_dropped_broken_file_says_why_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, paths: AppPaths, tmp_path: Path
) -> None:
    file = tmp_path / "broken.ics"
    file.write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:Cut")
    before = stored_titles(paths)
    drop_on(window, drag_files([file]))
    qtbot.waitUntil(lambda: window.exchange.last_warning is not None)
    warning = window.exchange.last_warning
    assert warning is not None
    assert warning.text() == (
        "broken.ics was not imported: the file is cut short: "
        "it ends in the middle of its first entry."
    )
    assert window.exchange.preview is None
    assert stored_titles(paths) == before
    warning.close()


def test_ctrl_e_exports_the_days_chosen(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.exchange.export_dialog is not None)
    dialog = window.exchange.export_dialog
    assert isinstance(dialog, ExportDialog)
    assert dialog.first_day() == FRIDAY
    assert dialog.path().name == "ml-day-2026-11-27.ics"
    target = tmp_path / "week"
    dialog.file_field.setText(str(target))
    dialog.day_count.setValue(2)
    QTest.keyClick(dialog.file_field, Qt.Key.Key_Return)
    written = tmp_path / "week.ics"
    qtbot.waitUntil(written.exists)
    calendar = Calendar.from_ical(written.read_bytes())
    assert len(calendar.events) == 21  # Thursday night's sleep, then two template days
    assert window.statusBar().currentMessage() == f"Exported 21 blocks to {written}"


def test_the_file_menu_offers_import_and_export_with_their_keys(window: MainWindow) -> None:
    menu = window.menuBar().actions()[0].menu()
    assert isinstance(menu, QWidget)
    texts = {action.text(): action.shortcut().toString() for action in menu.actions()}
    assert texts["&Import…"] == "Ctrl+I"
    assert texts["&Export…"] == "Ctrl+E"
    assert window.acceptDrops()


def test_a_preview_left_open_while_another_program_imports_adds_nothing_twice(
    qtbot: QtBot, window: MainWindow, store: PlanStore, paths: AppPaths, tmp_path: Path
) -> None:
    file = tmp_path / "work.ics"
    file.write_bytes(MEETINGS)
    drop_on(window, drag_files([file]))
    preview = open_preview(qtbot, window)
    # Meanwhile, the command line imports the same file into the same plan.
    other = Database.open(paths.database)
    try:
        plan = PlanRepository(other)
        result = prepare_import(MEETINGS, source="work.ics", zone=BERLIN, first_day=FRIDAY,
                                days=7, stored=lambda uids: blocks_by_uid(other, uids))  # fmt: skip
        apply_import(plan, result.edit(), result.whole_days)
    finally:
        other.close()
    after_other = stored_titles(paths)
    QTest.keyClick(preview, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.exchange.last_warning is not None)
    assert window.exchange.last_warning is not None
    assert "The plan changed while the preview was open" in window.exchange.last_warning.text()
    assert stored_titles(paths) == after_other
    assert after_other.count("Standup") == 1
    window.exchange.last_warning.close()

"""The block editor dialog, filled in by typing into its real fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from ml_day.core.blocks import BlockDraft, Category
from ml_day.gui.block_editor import DELETE_REQUESTED, BlockEditor

if TYPE_CHECKING:
    from collections.abc import Callable

    from pytestqt.qtbot import QtBot

BERLIN = ZoneInfo("Europe/Berlin")
CATEGORIES = [
    Category("meal", "#e67e22", id=1),
    Category("meeting", "#3a7bd5", id=2),
    Category("sleep", "#34495e", silent=True, id=3),
]
LUNCH = BlockDraft(
    title="Lunch with the team",
    category="meal",
    start=dt.datetime(2026, 11, 27, 12, 0),
    end=dt.datetime(2026, 11, 27, 13, 0),
    notes="Table for six",
)


@pytest.fixture
def open_editor(qtbot: QtBot) -> Callable[..., BlockEditor]:
    def make(
        draft: BlockDraft = LUNCH, *, done: bool | None = False, deletable: bool = True
    ) -> BlockEditor:
        editor = BlockEditor(
            draft, categories=CATEGORIES, zone=BERLIN, done=done, deletable=deletable
        )
        qtbot.addWidget(editor)
        with qtbot.waitActive(editor):
            editor.show()
            editor.activateWindow()
        return editor

    return make


def retype(field: QWidget, text: str) -> None:
    """Select everything in ``field`` and type ``text`` over it, key by key."""
    field.setFocus(Qt.FocusReason.OtherFocusReason)
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        QTest.keyClicks(field, text)
    else:
        QTest.keyClick(field, Qt.Key.Key_Backspace)


def shown(editor: BlockEditor, label: QWidget) -> bool:
    return label.isVisibleTo(editor)


def test_the_fields_show_the_block_and_it_can_be_saved(
    open_editor: Callable[..., BlockEditor],
) -> None:
    editor = open_editor()
    assert editor.windowTitle() == "Edit block"
    assert editor.title_edit.text() == "Lunch with the team"
    assert editor.category_box.currentText() == "meal"
    assert [editor.category_box.itemText(i) for i in range(editor.category_box.count())] == [
        "meal",
        "meeting",
        "sleep",
    ]
    assert editor.start_edit.text() == "2026-11-27 12:00"
    assert editor.end_edit.text() == "2026-11-27 13:00"
    assert editor.notes_edit.toPlainText() == "Table for six"
    assert editor.duration_label.text() == "1 h"
    assert editor.ok_button.isEnabled()
    for label in (editor.title_error, editor.category_error, editor.span_error):
        assert not shown(editor, label)
    assert QApplication.focusWidget() is editor.title_edit
    assert editor.title_edit.selectedText() == "Lunch with the team"


def test_every_field_has_an_accessible_name(open_editor: Callable[..., BlockEditor]) -> None:
    editor = open_editor()
    fields: list[QWidget] = [
        editor.title_edit,
        editor.category_box,
        editor.start_edit,
        editor.end_edit,
        editor.notes_edit,
        editor.fixed_box,
        editor.notify_box,
        editor.deadline_box,
        editor.duration_label,
    ]
    assert editor.done_box is not None
    fields.append(editor.done_box)
    assert [field.accessibleName() for field in fields] == [
        "Title",
        "Category",
        "Start",
        "End",
        "Notes",
        "Fixed",
        "Notifications",
        "Deadline at its end",
        "Duration",
        "Done",
    ]


def test_an_empty_title_is_shown_next_to_the_field_and_blocks_saving(
    open_editor: Callable[..., BlockEditor],
) -> None:
    editor = open_editor()
    retype(editor.title_edit, "")
    assert editor.title_edit.text() == ""
    assert shown(editor, editor.title_error)
    assert editor.title_error.text() == "The title is empty."
    assert editor.title_edit.accessibleDescription() == "The title is empty."
    assert not editor.ok_button.isEnabled()
    QTest.keyClick(editor.title_edit, Qt.Key.Key_Return)
    assert editor.isVisible()
    assert editor.result() != QDialog.DialogCode.Accepted
    editor.accept()  # even called directly, an invalid block is not accepted
    assert editor.isVisible()

    QTest.keyClicks(editor.title_edit, "Brunch")
    assert not shown(editor, editor.title_error)
    assert editor.ok_button.isEnabled()
    QTest.keyClick(editor.title_edit, Qt.Key.Key_Return)
    assert not editor.isVisible()
    assert editor.result() == QDialog.DialogCode.Accepted
    assert editor.draft().title == "Brunch"


def test_an_end_before_the_start_is_shown_under_the_end(
    open_editor: Callable[..., BlockEditor],
) -> None:
    editor = open_editor()
    retype(editor.end_edit, "2026-11-27 11:00")
    assert editor.end_edit.text() == "2026-11-27 11:00"
    assert shown(editor, editor.span_error)
    assert editor.span_error.text() == "The end (11:00) is not after the start (12:00)"
    assert not shown(editor, editor.title_error)
    assert editor.duration_label.text() == "—"
    assert not editor.ok_button.isEnabled()

    retype(editor.end_edit, "2026-11-27 12:03")
    assert editor.span_error.text() == "A block lasts at least 5 minutes."
    assert not editor.ok_button.isEnabled()

    retype(editor.end_edit, "2026-11-27 12:45")
    assert not shown(editor, editor.span_error)
    assert editor.duration_label.text() == "45 min"
    assert editor.ok_button.isEnabled()


def test_a_block_longer_than_a_day_is_refused(
    open_editor: Callable[..., BlockEditor],
) -> None:
    editor = open_editor()
    retype(editor.end_edit, "2026-11-28 13:30")
    assert editor.span_error.text() == "A block lasts at most 24 hours."
    assert not editor.ok_button.isEnabled()


def test_a_huge_pasted_title_is_too_long(open_editor: Callable[..., BlockEditor]) -> None:
    editor = open_editor()
    clipboard = QApplication.clipboard()
    clipboard.setText("x" * 10_000)
    editor.title_edit.setFocus()
    QTest.keyClick(editor.title_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(editor.title_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(editor.title_edit.text()) == 10_000
    assert shown(editor, editor.title_error)
    assert editor.title_error.text() == ("The title is too long (10,000 characters; at most 200)")
    assert not editor.ok_button.isEnabled()
    retype(editor.title_edit, "Short again")
    assert not shown(editor, editor.title_error)
    assert editor.ok_button.isEnabled()


def test_a_block_across_midnight_is_valid_and_shows_its_length(
    open_editor: Callable[..., BlockEditor],
) -> None:
    editor = open_editor()
    retype(editor.title_edit, "Sleep")
    retype(editor.category_box, "sleep")
    retype(editor.start_edit, "2026-11-27 22:30")
    assert editor.end_edit.text() == "2026-11-27 23:30"  # the end follows, keeping the length
    retype(editor.end_edit, "2026-11-28 06:00")
    assert not shown(editor, editor.span_error)
    assert editor.duration_label.text() == "7 h 30 min"
    assert editor.ok_button.isEnabled()
    QTest.keyClick(editor.end_edit, Qt.Key.Key_Return)
    assert editor.result() == QDialog.DialogCode.Accepted
    assert editor.draft() == BlockDraft(
        title="Sleep",
        category="sleep",
        start=dt.datetime(2026, 11, 27, 22, 30),
        end=dt.datetime(2026, 11, 28, 6, 0),
        notes="Table for six",
    )


def test_on_daylight_saving_days_the_real_length_is_shown(
    open_editor: Callable[..., BlockEditor],
) -> None:
    editor = open_editor()
    retype(editor.start_edit, "2026-03-29 01:30")
    retype(editor.end_edit, "2026-03-29 03:30")
    assert editor.duration_label.text() == "1 h (the clocks go forward)"
    assert editor.ok_button.isEnabled()
    retype(editor.start_edit, "2026-03-29 02:30")  # a wall time that does not happen
    assert editor.start_edit.text() == "2026-03-29 02:30"
    assert editor.end_edit.text() == "2026-03-29 04:30"
    assert editor.duration_label.text() == "1 h 30 min (the clocks go forward)"
    retype(editor.start_edit, "2026-10-25 01:30")
    retype(editor.end_edit, "2026-10-25 03:30")
    assert editor.duration_label.text() == "3 h (the clocks go back)"


def test_accepting_returns_the_block_as_typed(open_editor: Callable[..., BlockEditor]) -> None:
    editor = open_editor()
    retype(editor.title_edit, "  Client call  ")
    retype(editor.category_box, "Calls")
    assert shown(editor, editor.category_note)
    assert editor.category_note.text() == "A new category “calls” will be created."
    retype(editor.start_edit, "2026-11-27 16:00")
    retype(editor.end_edit, "2026-11-27 16:45")
    retype(editor.notes_edit, "Agenda:")
    QTest.keyClick(editor.notes_edit, Qt.Key.Key_Return)  # a new line, not OK
    assert editor.isVisible()
    QTest.keyClicks(editor.notes_edit, "metrics vs baseline")
    # The check boxes, reached with Tab from the notes and ticked with Space.
    QTest.keyClick(editor.notes_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.fixed_box
    QTest.keyClick(editor.fixed_box, Qt.Key.Key_Space)
    QTest.keyClick(editor.fixed_box, Qt.Key.Key_Tab)
    QTest.keyClick(editor.notify_box, Qt.Key.Key_Space)
    QTest.keyClick(editor.notify_box, Qt.Key.Key_Tab)
    QTest.keyClick(editor.deadline_box, Qt.Key.Key_Space)
    QTest.keyClick(editor.deadline_box, Qt.Key.Key_Tab)
    assert editor.done_box is not None
    QTest.keyClick(editor.done_box, Qt.Key.Key_Space)
    editor.title_edit.setFocus()
    QTest.keyClick(editor.title_edit, Qt.Key.Key_Enter)
    assert editor.result() == QDialog.DialogCode.Accepted
    assert editor.draft() == BlockDraft(
        title="Client call",
        category="calls",
        start=dt.datetime(2026, 11, 27, 16, 0),
        end=dt.datetime(2026, 11, 27, 16, 45),
        notes="Agenda:\nmetrics vs baseline",
        fixed=True,
        notify=False,
        deadline=True,
    )
    assert editor.is_done() is True


def test_tab_walks_the_fields_in_order(open_editor: Callable[..., BlockEditor]) -> None:
    editor = open_editor()
    expected: list[QWidget] = [
        editor.category_box,
        editor.start_edit,
        editor.end_edit,
        editor.notes_edit,
        editor.fixed_box,
        editor.notify_box,
        editor.deadline_box,
    ]
    assert editor.done_box is not None
    expected.append(editor.done_box)
    for field in expected:
        current = QApplication.focusWidget()
        assert current is not None
        QTest.keyClick(current, Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert focused is not None
        assert focused is field or field.isAncestorOf(focused)  # a combo box's line edit


def test_escape_cancels(open_editor: Callable[..., BlockEditor]) -> None:
    editor = open_editor()
    retype(editor.title_edit, "Not kept")
    QTest.keyClick(editor.title_edit, Qt.Key.Key_Escape)
    assert not editor.isVisible()
    assert editor.result() == QDialog.DialogCode.Rejected


def test_the_delete_button_closes_with_a_delete_request(
    open_editor: Callable[..., BlockEditor],
) -> None:
    editor = open_editor()
    assert editor.delete_button is not None
    QTest.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    assert editor.result() == DELETE_REQUESTED


def test_a_new_block_waits_for_a_title_before_complaining(
    open_editor: Callable[..., BlockEditor],
) -> None:
    draft = BlockDraft(
        title="",
        category="meeting",
        start=dt.datetime(2026, 11, 27, 15, 0),
        end=dt.datetime(2026, 11, 27, 15, 30),
    )
    editor = open_editor(draft, done=None, deletable=False)
    assert editor.windowTitle() == "New block"
    assert editor.done_box is None
    assert editor.delete_button is None
    assert not shown(editor, editor.title_error)
    assert not editor.ok_button.isEnabled()
    QTest.keyClicks(editor.title_edit, "R")
    QTest.keyClick(editor.title_edit, Qt.Key.Key_Backspace)
    assert shown(editor, editor.title_error)
    QTest.keyClicks(editor.title_edit, "Review")
    assert editor.ok_button.isEnabled()
    assert editor.duration_label.text() == "30 min"
    assert editor.is_done() is None


def test_control_characters_in_notes_are_refused(
    open_editor: Callable[..., BlockEditor],
) -> None:
    editor = open_editor()
    editor.notes_edit.setFocus()
    QTest.keyClick(editor.notes_edit, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    editor.notes_edit.insertPlainText("\x07")
    assert shown(editor, editor.notes_error)
    assert editor.notes_error.text() == "The notes contain control characters."
    assert not editor.ok_button.isEnabled()


def test_the_category_shown_is_the_blocks_own_with_its_colour(
    open_editor: Callable[..., BlockEditor],
) -> None:
    editor = open_editor(replace(LUNCH, category="sleep"))
    box = editor.category_box
    assert (box.currentIndex(), box.currentText()) == (2, "sleep")
    assert box.itemIcon(box.currentIndex()).pixmap(12, 12).toImage().pixelColor(6, 6).name() == (
        "#34495e"
    )
    retype(box, "meeting")
    assert (box.currentIndex(), box.currentText()) == (1, "meeting")
    assert not shown(editor, editor.category_note)
    retype(box, "errands")
    assert (box.currentIndex(), box.currentText()) == (-1, "errands")
    assert shown(editor, editor.category_note)
    retype(box, "")
    assert shown(editor, editor.category_error)
    assert editor.category_error.text() == "The category name is empty."
    assert not editor.ok_button.isEnabled()

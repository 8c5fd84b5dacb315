"""Titles that break naive code, typed and pasted into the real block editor and the
in-place title editor: empty, 10 MB, with line breaks and other control
characters, right-to-left, emoji.

The rule is the plan's own (:func:`ml_day.core.blocks.clean_title`), the same
the command line applies: a title is one line of at most 200 characters. The
block editor shows the reason under the title and keeps OK disabled; the
in-place editor keeps what was typed and says why in a tooltip; nothing the
plan refuses is stored, and what is stored is exactly what was typed. And the
days the window can be asked to show stay within those a plan can hold.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QEvent, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from ml_day.core.blocks import (
    FIRST_DAY,
    LAST_DAY,
    MAX_TITLE_LENGTH,
    UNCATEGORISED,
    BlockDraft,
    Category,
)
from ml_day.core.clock import ManualClock
from ml_day.gui.app import settings_for
from ml_day.gui.block_editor import BlockEditor
from ml_day.gui.main_window import MainWindow
from ml_day.gui.store import PlanStore
from ml_day.gui.timeline.title_editor import TitleEditor
from ml_day.paths import AppPaths

BERLIN = ZoneInfo("Europe/Berlin")
FRIDAY = dt.date(2026, 11, 27)
CONTROL_MESSAGE = "the title contains control characters (such as tabs or line breaks)"
"""What the command line says too (tests/cli/test_bad_input.py)."""
TEN_MEGABYTES = 10 * 1024 * 1024
RIGHT_TO_LEFT = "اجتماع الفريق"
EMOJI = "Deep work 👩\u200d💻🚀"
PASTED_LINES = "Review pull request\n#123 from the data team"
CTRL = Qt.KeyboardModifier.ControlModifier


def paste(field: QWidget, text: str) -> None:
    """Replace the field's text by pasting ``text`` with the keyboard (Ctrl+A, Ctrl+V)."""
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(text)
    assert clipboard.text() == text, "the platform's clipboard did not take the text"
    QTest.keyClick(field, Qt.Key.Key_A, CTRL)
    QTest.keyClick(field, Qt.Key.Key_V, CTRL)


# ---------------------------------------------------------------- the block editor
@pytest.fixture
def editor(qtbot: QtBot) -> BlockEditor:
    draft = BlockDraft(
        title="Lunch with the team",
        category="meal",
        start=dt.datetime(2026, 11, 27, 12, 0),
        end=dt.datetime(2026, 11, 27, 13, 0),
    )
    categories = [UNCATEGORISED, Category(name="meal", colour="#e08a1e")]
    dialog = BlockEditor(draft, categories=categories, zone=BERLIN, done=False)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    return dialog


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        pytest.param("", "The title is empty.", id="empty"),
        pytest.param("   ", "The title is empty.", id="blank"),
        pytest.param(PASTED_LINES, "The title contains control characters", id="line-break"),
        pytest.param("Lunch\twith", "The title contains control characters", id="tab"),
        pytest.param("Lunch\u2028team", "The title contains control characters", id="separator"),
        pytest.param("\x1b[31mRed", "The title contains control characters", id="escape"),
        pytest.param(
            "é" * (MAX_TITLE_LENGTH + 1),
            "The title is too long (201 characters",
            id="201-characters",
        ),
    ],
)
def test_the_block_editor_refuses_a_bad_title_with_a_reason_under_it(
    editor: BlockEditor, title: str, shown: str
) -> None:
    if title:
        paste(editor.title_edit, title)
    else:
        editor.title_edit.clear()
    assert editor.title_edit.text() == title
    assert editor.title_error.isVisibleTo(editor)
    assert editor.title_error.text().startswith(shown)
    assert editor.title_edit.accessibleDescription() == editor.title_error.text()
    assert not editor.ok_button.isEnabled()
    QTest.keyClick(editor.title_edit, Qt.Key.Key_Return)
    assert editor.isVisible(), "Enter must not accept a title the plan refuses"


def test_a_ten_megabyte_paste_is_cut_by_the_field_and_refused_at_once(
    editor: BlockEditor,
) -> None:
    editor.title_edit.setText("x" * TEN_MEGABYTES)  # what a paste of it does, without the copy
    length = len(editor.title_edit.text())
    assert MAX_TITLE_LENGTH < length <= editor.title_edit.maxLength()
    assert editor.title_error.text() == (
        f"The title is too long ({length:,} characters; at most {MAX_TITLE_LENGTH})"
    )
    assert not editor.ok_button.isEnabled()
    QTest.keyClick(editor.title_edit, Qt.Key.Key_Backspace)  # still responsive
    assert len(editor.title_edit.text()) == length - 1


@pytest.mark.parametrize("title", [RIGHT_TO_LEFT, "ישיבת צוות", EMOJI, "Café ☕ 12:00"])
def test_the_block_editor_keeps_right_to_left_and_emoji_titles_exactly(
    editor: BlockEditor, title: str
) -> None:
    paste(editor.title_edit, title)
    assert editor.title_error.text() == ""
    assert editor.ok_button.isEnabled()
    assert editor.draft().title == title


def test_typing_right_to_left_text_key_by_key_is_kept(editor: BlockEditor) -> None:
    editor.title_edit.clear()
    type_text(editor.title_edit, RIGHT_TO_LEFT)
    assert editor.title_edit.text() == RIGHT_TO_LEFT
    assert editor.draft().title == RIGHT_TO_LEFT


def type_text(field: QWidget, text: str) -> None:
    """Key presses that carry ``text``, as an Arabic keyboard layout sends them
    (QTest.keyClicks knows Latin-1 keys only)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(field, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


# ---------------------------------------------------------------- the window
@pytest.fixture
def window(qtbot: QtBot, paths: AppPaths) -> Iterator[MainWindow]:
    clock = ManualClock.at_local(dt.datetime(2026, 11, 27, 11, 23), BERLIN)
    store = PlanStore(paths)
    main = MainWindow(store, clock, settings_for(paths))
    qtbot.addWidget(main)
    main.show_day(FRIDAY)
    with qtbot.waitActive(main):
        main.show()
        main.activateWindow()
    store.open()
    yield main
    store.close()


def stored_titles(paths: AppPaths) -> list[str]:
    with contextlib.closing(sqlite3.connect(paths.database)) as connection:
        return [row[0] for row in connection.execute("SELECT title FROM block ORDER BY id")]


def new_block_title_editor(window: MainWindow) -> TitleEditor:
    window.timeline.set_selected_blocks([])
    window.new_block_action.trigger()
    title_editor = window.timeline.title_editor()
    assert title_editor.is_open()
    return title_editor


# The offscreen platform cannot raise the tooltip's window above others, and says so.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_the_title_editor_keeps_a_pasted_line_break_open_and_says_why(
    window: MainWindow, paths: AppPaths
) -> None:
    before = stored_titles(paths)
    title_editor = new_block_title_editor(window)
    paste(title_editor, PASTED_LINES)
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Tab):
        QTest.keyClick(title_editor, key)
        assert title_editor.is_open() and title_editor.hasFocus()
        assert title_editor.text() == PASTED_LINES, "what was typed is kept"
        assert title_editor.problem() == CONTROL_MESSAGE.capitalize()
        assert title_editor.accessibleDescription() == title_editor.problem()
        assert QToolTip.isVisible() and QToolTip.text() == title_editor.problem()
    assert stored_titles(paths) == before

    # Mended (the line break becomes a space), Enter stores it.
    title_editor.setCursorPosition(len("Review pull request"))
    QTest.keyClick(title_editor, Qt.Key.Key_Delete)
    QTest.keyClick(title_editor, Qt.Key.Key_Space)
    assert title_editor.problem() == ""
    QTest.keyClick(title_editor, Qt.Key.Key_Return)
    assert not title_editor.is_open()
    assert stored_titles(paths) == [*before, "Review pull request #123 from the data team"]


def test_leaving_the_title_editor_with_a_bad_title_stores_nothing_and_says_why(
    window: MainWindow, paths: AppPaths
) -> None:
    before = stored_titles(paths)
    title_editor = new_block_title_editor(window)
    paste(title_editor, "Lunch\twith the team")
    window.timeline.setFocus()  # the focus leaves: the editor commits what it has
    assert not title_editor.is_open()
    assert window.statusBar().currentMessage() == f"Not saved: {CONTROL_MESSAGE}"
    assert stored_titles(paths) == before
    assert not window.undo_action.isEnabled()


@pytest.mark.parametrize("title", [RIGHT_TO_LEFT, EMOJI])
def test_the_title_editor_stores_right_to_left_and_emoji_titles_exactly(
    window: MainWindow, paths: AppPaths, title: str
) -> None:
    title_editor = new_block_title_editor(window)
    paste(title_editor, title)
    QTest.keyClick(title_editor, Qt.Key.Key_Return)
    assert stored_titles(paths)[-1] == title
    assert title in [block.title for block in window.timeline.blocks()]


def test_a_ten_megabyte_paste_into_the_title_editor_keeps_its_first_200_characters(
    window: MainWindow, paths: AppPaths
) -> None:
    title_editor = new_block_title_editor(window)
    title_editor.setText("y" * TEN_MEGABYTES)  # the field cuts it as it would cut a paste
    assert len(title_editor.text()) == MAX_TITLE_LENGTH
    QTest.keyClick(title_editor, Qt.Key.Key_Return)
    assert stored_titles(paths)[-1] == "y" * MAX_TITLE_LENGTH


class EditorAnswer:
    """Answers the block editor the window runs with ``exec()``: waits, one event
    loop turn at a time, for it to be the active modal dialog with the focus,
    then hands it to ``answer``; closes it if the answer failed (raised by
    :meth:`check`), so that the test never hangs."""

    def __init__(self, answer: Callable[[BlockEditor], None]) -> None:
        self._answer = answer
        self._turns = 0
        self.error: BaseException | None = None
        self.answered = False
        QTimer.singleShot(0, self._try)

    def _try(self) -> None:
        modal = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        if not isinstance(modal, BlockEditor) or focus is None or not modal.isAncestorOf(focus):
            self._turns += 1
            if self._turns < 1000:
                QTimer.singleShot(0, self._try)
            return
        try:
            self._answer(modal)
            self.answered = True
        except BaseException as error:  # noqa: BLE001 - re-raised by check()
            self.error = error
        if modal.isVisible():
            modal.reject()

    def check(self) -> None:
        if self.error is not None:
            raise self.error
        assert self.answered, "the block editor did not open"


def test_a_bad_title_in_the_block_editor_changes_nothing_stored(
    window: MainWindow, paths: AppPaths
) -> None:
    before = stored_titles(paths)
    lunch = next(b for b in window.timeline.blocks() if b.title == "Lunch with the team")

    def answer(editor: BlockEditor) -> None:
        paste(editor.title_edit, PASTED_LINES)
        assert editor.title_error.text() == CONTROL_MESSAGE.capitalize()
        QTest.keyClick(editor.title_edit, Qt.Key.Key_Return)
        assert editor.isVisible()
        QTest.keyClick(editor.title_edit, Qt.Key.Key_Escape)

    answered = EditorAnswer(answer)
    window.edit_block(lunch.id)
    answered.check()
    assert stored_titles(paths) == before
    assert not window.undo_action.isEnabled()


# ---------------------------------------------------------------- days beyond the calendar
def test_the_date_field_keeps_to_the_days_a_plan_can_hold(window: MainWindow) -> None:
    window.date_picker.setDate(QDate(9999, 12, 31))  # as picking it in the calendar does
    assert window.day == LAST_DAY
    window.next_button.click()
    assert window.day == LAST_DAY
    assert window.timeline.blocks()  # the last day, filled from the template like any other
    window.date_picker.setDate(QDate(1752, 9, 14))
    assert window.day == FIRST_DAY
    window.previous_button.click()
    assert window.day == FIRST_DAY

"""The block editor: one dialog to change everything about a block, or fill in a new one.

Every field is checked as it changes, with the domain's own rules
(:mod:`ml_day.core.blocks`), and a problem is shown in a red line right under
its field. The OK button stays disabled while anything is wrong, so the
dialog never hands back a block the plan would refuse.

Start and end are date and time, so a block can cross midnight. They are
wall-clock values: the editors use UTC internally only so that Qt does not
apply the machine's daylight-saving rules to them (02:30 on a spring-forward
night is a valid start for a plan). The duration shown is real elapsed time in
the plan's zone (01:30-03:30 on that night lasts "1 h").
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QDateTime, QEvent, Qt, QTime, QTimeZone
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPalette, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ml_day.core.blocks import (
    BlockDraft,
    PlanError,
    check_span,
    clean_category_name,
    clean_draft,
    clean_notes,
    clean_title,
)
from ml_day.core.timemodel import format_duration, real_duration
from ml_day.gui.timeline.palette import is_dark
from ml_day.overrides import override

if TYPE_CHECKING:
    from collections.abc import Sequence
    from zoneinfo import ZoneInfo

    from ml_day.core.blocks import Category

DELETE_REQUESTED = 2
"""The dialog's result code when the user pressed "Delete block" (besides Accepted/Rejected)."""

DATE_TIME_FORMAT = "yyyy-MM-dd HH:mm"
_WALL_ZONE = QTimeZone.utc()
"""The editors hold naive wall times; a zone without clock changes keeps them as typed."""
_ERROR_LIGHT = "#b3261e"
_ERROR_DARK = "#ff8a80"
_SWATCH_SIZE = 12


def to_qdatetime(wall: dt.datetime) -> QDateTime:
    """A naive wall time as the editors hold it."""
    return QDateTime(
        QDate(wall.year, wall.month, wall.day), QTime(wall.hour, wall.minute), _WALL_ZONE
    )


def from_qdatetime(value: QDateTime) -> dt.datetime:
    """The naive wall time an editor shows."""
    date, time = value.date(), value.time()
    return dt.datetime(date.year(), date.month(), date.day(), time.hour(), time.minute())  # noqa: DTZ001 - plans are wall-clock time


def _sentence(message: str) -> str:
    """ "the title is empty" -> "The title is empty." """
    text = message[:1].upper() + message[1:]
    return text if text.endswith((".", ")")) else text + "."


class BlockEditor(QDialog):
    """Edit a block's title, category, span, notes and flags.

    ``done`` is the block's done state for an existing block (a "Done" box is
    shown), or None for a new block. ``deletable`` adds a "Delete block"
    button that closes the dialog with :data:`DELETE_REQUESTED`.
    """

    def __init__(
        self,
        draft: BlockDraft,
        *,
        categories: Sequence[Category],
        zone: ZoneInfo,
        done: bool | None = None,
        deletable: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._zone = zone
        self._existing = done is not None
        self._touched: set[QWidget] = set()
        self._last_start = draft.start
        self.setObjectName("blockEditor")
        self.setWindowTitle("Edit block" if self._existing else "New block")
        self.setModal(True)
        self.setMinimumWidth(460)

        # ---------------------------------------------------------- fields
        self.title_edit = QLineEdit(draft.title, self)
        self.title_edit.setObjectName("titleEdit")
        self.title_edit.setAccessibleName("Title")
        self.title_edit.setPlaceholderText("What is this block for?")
        self.title_error = self._error_label("titleError", "Title problem")

        self.category_box = QComboBox(self)
        self.category_box.setObjectName("categoryBox")
        self.category_box.setAccessibleName("Category")
        self.category_box.setEditable(True)
        self.category_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.category_box.setToolTip("Pick a category or type a new name")
        category_text = self.category_box.lineEdit()
        if category_text is not None:  # always, as the box is editable
            category_text.setAccessibleName("Category")
            category_text.setAccessibleDescription("Pick a category or type a new name")
        self._known_categories = {category.name for category in categories}
        for category in categories:
            self.category_box.addItem(_swatch(category.colour), category.name)
        # Editable: setCurrentText would change the text but keep the first item
        # (and its colour) current.
        self.category_box.setCurrentIndex(self.category_box.findText(draft.category))
        self.category_box.setEditText(draft.category)
        self.category_note = QLabel(self)
        self.category_note.setObjectName("categoryNote")
        self.category_note.setEnabled(False)  # drawn in the palette's secondary colour
        self.category_note.hide()
        self.category_error = self._error_label("categoryError", "Category problem")

        self.start_edit = self._date_time_edit("startEdit", "Start", draft.start)
        self.start_edit.setToolTip("When the block starts; the end moves with it")
        self.end_edit = self._date_time_edit("endEdit", "End", draft.end)
        self.end_edit.setToolTip("When the block ends; a time before the start is refused")
        self.span_error = self._error_label("spanError", "Time problem")
        self.duration_label = QLabel(self)
        self.duration_label.setObjectName("durationLabel")
        self.duration_label.setAccessibleName("Duration")

        self.notes_edit = QPlainTextEdit(draft.notes, self)
        self.notes_edit.setObjectName("notesEdit")
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setToolTip("Anything to remember for this block (Tab leaves the notes)")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setPlaceholderText("Optional")
        line = self.notes_edit.fontMetrics().lineSpacing()
        self.notes_edit.setFixedHeight(line * 4 + 12)
        self.notes_error = self._error_label("notesError", "Notes problem")

        self.fixed_box = self._check_box(
            "&Fixed (stays put when the day is pushed)", "Fixed", draft.fixed
        )
        self.fixed_box.setToolTip("Pushing the rest of the day never moves this block")
        self.notify_box = self._check_box("N&otifications", "Notifications", draft.notify)
        self.notify_box.setToolTip("Announce this block's start and its reminders")
        self.deadline_box = self._check_box(
            "Dead&line at its end", "Deadline at its end", draft.deadline
        )
        self.deadline_box.setToolTip("Warn before the block ends, and at its end")
        self.done_box: QCheckBox | None = None
        if done is not None:
            self.done_box = self._check_box("&Done", "Done", done)
            self.done_box.setToolTip("The block is finished; it is drawn faded")

        # ---------------------------------------------------------- buttons
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok_button is not None
        self.ok_button: QPushButton = ok_button
        self.ok_button.setDefault(True)
        self.ok_button.setToolTip("Save the block (disabled while something is invalid)")
        cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel_button is not None:
            cancel_button.setToolTip("Close without changing the block")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.delete_button: QPushButton | None = None
        if deletable:
            self.delete_button = QPushButton("Delete block", self)
            self.delete_button.setObjectName("deleteButton")
            self.delete_button.setToolTip("Delete this block (it can be undone)")
            self.delete_button.setAutoDefault(False)
            self.delete_button.clicked.connect(lambda: self.done(DELETE_REQUESTED))

        # ---------------------------------------------------------- layout
        form = self._form_layout = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(6)
        form.addRow(self._buddy("&Title:", self.title_edit), self.title_edit)
        self._title_error_row = self._add_error_row(form, self.title_error)
        form.addRow(self._buddy("&Category:", self.category_box), self.category_box)
        self._category_note_row = self._add_error_row(form, self.category_note)
        self._category_error_row = self._add_error_row(form, self.category_error)
        form.addRow(self._buddy("&Start:", self.start_edit), self.start_edit)
        form.addRow(self._buddy("&End:", self.end_edit), self.end_edit)
        self._span_error_row = self._add_error_row(form, self.span_error)
        form.addRow("Lasts:", self.duration_label)
        form.addRow(self._buddy("&Notes:", self.notes_edit), self.notes_edit)
        self._notes_error_row = self._add_error_row(form, self.notes_error)
        flags = QVBoxLayout()
        flags.setSpacing(4)
        for box in (self.fixed_box, self.notify_box, self.deadline_box, self.done_box):
            if box is not None:
                flags.addWidget(box)
        form.addRow("", flags)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(8)
        bottom = QHBoxLayout()
        if self.delete_button is not None:
            bottom.addWidget(self.delete_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        # ---------------------------------------------------------- order and signals
        chain: list[QWidget] = [
            self.title_edit,
            self.category_box,
            self.start_edit,
            self.end_edit,
            self.notes_edit,
            self.fixed_box,
            self.notify_box,
            self.deadline_box,
        ]
        if self.done_box is not None:
            chain.append(self.done_box)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

        self.title_edit.textChanged.connect(lambda: self._edited(self.title_edit))
        self.category_box.editTextChanged.connect(self._category_typed)
        self.start_edit.dateTimeChanged.connect(self._start_changed)
        self.end_edit.dateTimeChanged.connect(lambda: self._edited(self.end_edit))
        self.notes_edit.textChanged.connect(lambda: self._edited(self.notes_edit))

        self.title_edit.setFocus()
        self.title_edit.selectAll()
        self._validate()

    # ------------------------------------------------------------ results
    def raw_draft(self) -> BlockDraft:
        """The fields as they are, unchecked."""
        return BlockDraft(
            title=self.title_edit.text(),
            category=self.category_box.currentText(),
            start=from_qdatetime(self.start_edit.dateTime()),
            end=from_qdatetime(self.end_edit.dateTime()),
            notes=self.notes_edit.toPlainText(),
            fixed=self.fixed_box.isChecked(),
            notify=self.notify_box.isChecked(),
            deadline=self.deadline_box.isChecked(),
        )

    def draft(self) -> BlockDraft:
        """The block as entered, normalised the way the plan stores it (title
        trimmed, category in lower case). Raises :class:`PlanError` while a
        field is invalid."""
        return clean_draft(self.raw_draft())

    def is_done(self) -> bool | None:
        """The "Done" box, or None for a new block."""
        return None if self.done_box is None else self.done_box.isChecked()

    def problems(self) -> dict[str, str]:
        """What is wrong, by field name ("title", "category", "span", "notes")."""
        raw = self.raw_draft()
        found: dict[str, str] = {}
        checks = (
            ("title", lambda: clean_title(raw.title)),
            ("category", lambda: clean_category_name(raw.category)),
            ("span", lambda: check_span(raw.start, raw.end)),
            ("notes", lambda: clean_notes(raw.notes)),
        )
        for name, check in checks:
            try:
                check()
            except PlanError as error:
                found[name] = _sentence(str(error))
        return found

    def is_valid(self) -> bool:
        return not self.problems()

    # ------------------------------------------------------------ Qt
    @override
    def accept(self) -> None:
        if not self._validate(show_all=True):
            return
        super().accept()

    # ------------------------------------------------------------ internals
    def _error_label(self, name: str, accessible_name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAccessibleName(accessible_name)
        palette = label.palette()
        colour = _ERROR_DARK if is_dark(self.palette()) else _ERROR_LIGHT
        palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
        label.setPalette(palette)
        return label

    def _add_error_row(self, form: QFormLayout, label: QLabel) -> int:
        form.addRow("", label)
        row = form.rowCount() - 1
        form.setRowVisible(row, False)
        return row

    def _buddy(self, text: str, field: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(field)
        return label

    def _date_time_edit(self, name: str, accessible_name: str, value: dt.datetime) -> WallClockEdit:
        edit = WallClockEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible_name)
        edit.setTimeZone(_WALL_ZONE)
        edit.setDisplayFormat(DATE_TIME_FORMAT)
        edit.setCalendarPopup(True)
        edit.setDateTime(to_qdatetime(value))
        return edit

    def _check_box(self, text: str, accessible_name: str, checked: bool) -> QCheckBox:
        box = QCheckBox(text, self)
        box.setAccessibleName(accessible_name)
        box.setChecked(checked)
        return box

    def _start_changed(self) -> None:
        """Moving the start keeps the block's length: the end follows."""
        start = from_qdatetime(self.start_edit.dateTime())
        end = from_qdatetime(self.end_edit.dateTime())
        length = end - self._last_start
        self._last_start = start
        if length > dt.timedelta(0):
            self.end_edit.blockSignals(True)
            self.end_edit.setDateTime(to_qdatetime(start + length))
            self.end_edit.blockSignals(False)
        self._edited(self.start_edit)

    def _category_typed(self, text: str) -> None:
        """Keep the current item (and so the colour swatch shown) in step with the text."""
        box = self.category_box
        index = box.findText(text)
        if index != box.currentIndex() and (index >= 0 or box.currentIndex() >= 0):
            line = box.lineEdit()
            cursor = line.cursorPosition() if line is not None else len(text)
            box.blockSignals(True)
            box.setCurrentIndex(index)
            if index < 0:
                box.setEditText(text)
            if line is not None:
                line.setCursorPosition(cursor)
            box.blockSignals(False)
        self._edited(box)

    def _edited(self, field: QWidget) -> None:
        self._touched.add(field)
        self._validate()

    def _validate(self, *, show_all: bool = False) -> bool:
        """Show each field's problem under it; enable OK only when there is none."""
        problems = self.problems()
        shown = show_all or self._existing
        rows = (
            ("title", self.title_error, self._title_error_row, (self.title_edit,)),
            ("category", self.category_error, self._category_error_row, (self.category_box,)),
            (
                "span",
                self.span_error,
                self._span_error_row,
                (self.start_edit, self.end_edit),
            ),
            ("notes", self.notes_error, self._notes_error_row, (self.notes_edit,)),
        )
        form = self._form_layout
        for name, label, row, fields in rows:
            message = problems.get(name, "")
            visible = bool(message) and (shown or any(f in self._touched for f in fields))
            label.setText(message if visible else "")
            form.setRowVisible(row, visible)
            for field in fields:
                field.setAccessibleDescription(message)
        self._show_category_note(problems)
        self._show_duration(problems)
        self.ok_button.setEnabled(not problems)
        return not problems

    def _show_category_note(self, problems: dict[str, str]) -> None:
        note = ""
        if "category" not in problems:
            name = clean_category_name(self.category_box.currentText())
            if name not in self._known_categories:
                note = f"A new category “{name}” will be created."
        self.category_note.setText(note)
        self._form_layout.setRowVisible(self._category_note_row, bool(note))

    def _show_duration(self, problems: dict[str, str]) -> None:
        if "span" in problems:
            self.duration_label.setText("—")
            return
        start = from_qdatetime(self.start_edit.dateTime())
        end = from_qdatetime(self.end_edit.dateTime())
        real = real_duration(start, end, self._zone)
        text = format_duration(real)
        if real < end - start:
            text += " (the clocks go forward)"
        elif real > end - start:
            text += " (the clocks go back)"
        self.duration_label.setText(text)


class WallClockEdit(QDateTimeEdit):
    """A date and time field where Tab leaves the field instead of walking its sections.

    Typing walks the sections anyway ("2026-11-28 06:00" fills them in turn),
    and the arrow keys move within the field.
    """

    @override
    def event(self, event: QEvent) -> bool:
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and not event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            forward = event.key() == Qt.Key.Key_Tab and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            QWidget.focusNextPrevChild(self, forward)
            return True
        return super().event(event)


def _swatch(colour: str) -> QIcon:
    pixmap = QPixmap(_SWATCH_SIZE, _SWATCH_SIZE)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)

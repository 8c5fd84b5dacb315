"""The line edit that opens over a block being created, for its title."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import QLineEdit, QToolTip, QWidget

from ml_day.core.blocks import MAX_TITLE_LENGTH, PlanError, clean_title
from ml_day.gui.timeline.palette import mix
from ml_day.overrides import override

if TYPE_CHECKING:
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFocusEvent

_COMMIT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
_OWN_KEYS = (*_COMMIT_KEYS, Qt.Key.Key_Escape)
_KEEP_OPEN_REASONS = (Qt.FocusReason.PopupFocusReason, Qt.FocusReason.ActiveWindowFocusReason)
"""Focus that leaves for the line edit's own menu or another window comes back."""


class TitleEditor(QLineEdit):
    """Asks for a title in place: Enter (or Tab, or leaving it) with a title commits;
    Esc, or leaving it empty, cancels. Emits exactly one of the two per opening.

    Enter or Tab on a title the plan refuses (a line break or another control
    character, pasted in) commits nothing: the editor stays open, with the
    reason in a tooltip under it, so that what was typed is not lost. Leaving
    it with such a title commits, and the store's refusal says why.
    """

    committed = Signal(str)
    """The title typed (stripped, never empty)."""
    cancelled = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("newBlockTitle")
        self.setAccessibleName("New block title")
        self.setPlaceholderText("Title, then Enter")
        self.setMaxLength(MAX_TITLE_LENGTH)
        self.setFrame(False)
        self._open = False
        self._problem = ""
        self.textEdited.connect(self._clear_problem)
        self.hide()

    def blend_into(self, fill: QColor, text: QColor, font: QFont) -> None:
        """Look like the title of a block filled with ``fill``: typing it in place."""
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, fill)
        palette.setColor(QPalette.ColorRole.Text, text)
        palette.setColor(QPalette.ColorRole.PlaceholderText, mix(text, fill, 0.45))
        self.setPalette(palette)
        self.setFont(font)

    def is_open(self) -> bool:
        return self._open

    def problem(self) -> str:
        """Why the last Enter or Tab did not commit ("" if it did, or after an edit)."""
        return self._problem

    def open_over(self, rect: QRect) -> None:
        """Show an empty editor at ``rect`` (parent coordinates) and give it the focus."""
        self._open = True
        self.clear()
        self.setGeometry(rect)
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def commit(self) -> None:
        """Finish: create with the typed title, or cancel if there is none; stay
        open, saying why, if the plan would refuse the title."""
        if self._open and self.text().strip():
            try:
                clean_title(self.text())
            except PlanError as error:
                self._show_problem(str(error))
                return
        self._finish(commit=True)

    def cancel(self) -> None:
        self._finish(commit=False)

    def _show_problem(self, reason: str) -> None:
        text = reason[:1].upper() + reason[1:]
        self._problem = text if text.endswith((".", ")")) else text + "."  # as the block editor
        self.setAccessibleDescription(self._problem)
        QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), self._problem, self)

    def _clear_problem(self) -> None:
        if self._problem:
            self._problem = ""
            self.setAccessibleDescription("")
            QToolTip.hideText()

    def _finish(self, *, commit: bool) -> None:
        if not self._open:
            return
        self._open = False
        self._clear_problem()
        title = self.text().strip()
        # Say so while still shown, so that whoever listens can take the focus back.
        if commit and title:
            self.committed.emit(title)
        else:
            self.cancelled.emit()
        self.hide()

    @override
    def event(self, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent):
            if event.type() == QEvent.Type.ShortcutOverride and event.key() in _OWN_KEYS:
                event.accept()  # window shortcuts must not take these while typing
                return True
            # Tab would move the focus before keyPressEvent sees it: commit instead.
            if event.type() == QEvent.Type.KeyPress and event.key() in _COMMIT_KEYS:
                self.commit()
                return True
        return super().event(event)

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
            return
        super().keyPressEvent(event)

    @override
    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() not in _KEEP_OPEN_REASONS:
            self._finish(commit=True)

"""Answering the modal dialogs the app opens, as a user would: read, then click."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QMessageBox


@dataclass
class SeenDialog:
    name: str
    text: str
    buttons: list[str]


@dataclass
class DialogAnswerer:
    """Clicks, in each modal dialog that opens, the button whose text starts with
    the next of ``answers`` (None: close the dialog without choosing)."""

    answers: list[str | None]
    seen: list[SeenDialog] = field(default_factory=list)
    pick: object = None
    """For a :class:`BackupDialog`: called with the dialog before its button is clicked."""

    def arm(self) -> None:
        QTimer.singleShot(0, self._look)

    def _look(self) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isVisible():
            QTimer.singleShot(10, self._look)
            return
        answer = self.answers.pop(0)
        buttons = dialog.findChildren(QAbstractButton)
        labels = [button.text() for button in buttons if button.isVisible() and button.text()]
        if isinstance(dialog, QMessageBox):
            text = f"{dialog.text()}\n{dialog.informativeText()}"
        else:
            text = "\n".join(
                child.text() for child in dialog.findChildren(QAbstractButton) if child.text()
            )
        self.seen.append(SeenDialog(dialog.objectName(), text, labels))
        if callable(self.pick):
            self.pick(dialog)
        if self.answers:
            QTimer.singleShot(0, self._look)
        if answer is None:
            dialog.reject()
            return
        matching = [b for b in buttons if b.text().replace("&", "").startswith(answer)]
        assert matching, f"no button {answer!r} in {labels}"
        matching[0].click()

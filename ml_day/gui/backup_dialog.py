"""File > Restore from backup…: choose one of the plan's backups.

Each backup is listed with its day, how many blocks it holds and its size;
one that cannot be restored (damaged, or from a newer ML Day) is shown, but
greyed out with the reason. Nothing is restored until the user presses
Restore, and the plan as it is then is kept as a backup of its own first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ml_day import APP_NAME

if TYPE_CHECKING:
    from pathlib import Path

    from ml_day.persistence.backups import Backup, BackupContents

BACKUP_ROLE = Qt.ItemDataRole.UserRole


def describe_backup(backup: Backup, contents: BackupContents) -> str:
    """One line for the list: ``2026-05-04 — 132 blocks, 48 KB``."""
    size = f"{contents.size / 1024:.0f} KB" if contents.size < 1024 * 1024 else (
        f"{contents.size / 1024 / 1024:.1f} MB"
    )  # fmt: skip
    if contents.problem is not None:
        return f"{backup.label} — cannot be restored: {contents.problem}"
    blocks = "1 block" if contents.blocks == 1 else f"{contents.blocks} blocks"
    return f"{backup.label} — {blocks}, {size}"


class BackupDialog(QDialog):
    """Lists backups, newest first; :meth:`chosen` is the one to restore."""

    def __init__(
        self,
        backups: list[tuple[Backup, BackupContents]],
        folder: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("backupDialog")
        self.setWindowTitle(f"Restore from backup — {APP_NAME}")
        self._backups = backups
        intro = QLabel(self)
        intro.setWordWrap(True)
        if backups:
            intro.setText(
                "Replace the plan with one of its backups. The plan as it is now "
                "is kept as a backup first, so this can be undone by restoring it."
            )
        else:
            intro.setText(f"There are no backups yet in {folder}. One is taken every day.")
        self.backup_list = QListWidget(self)
        self.backup_list.setObjectName("backupList")
        self.backup_list.setAccessibleName("Backups")
        for index, (backup, contents) in enumerate(backups):
            item = QListWidgetItem(describe_backup(backup, contents), self.backup_list)
            item.setData(BACKUP_ROLE, index)
            item.setToolTip(str(backup.path))
            if not contents.usable:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button: QPushButton = self.buttons.addButton(
            "Restore", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setObjectName("restoreButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.backup_list.currentItemChanged.connect(self._update_button)
        self.backup_list.itemDoubleClicked.connect(self._double_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.backup_list, 1)
        layout.addWidget(self.buttons)
        first_usable = next((i for i, (_b, c) in enumerate(backups) if c.usable), None)
        if first_usable is not None:
            self.backup_list.setCurrentRow(first_usable)
        self._update_button()
        self.resize(480, 320)

    def chosen(self) -> Backup | None:
        """The selected backup, if it can be restored."""
        row = self.backup_list.currentRow()
        if row < 0:
            return None
        item = self.backup_list.item(row)
        if not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        backup, contents = self._backups[int(item.data(BACKUP_ROLE))]
        return backup if contents.usable else None

    def _update_button(self) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)

    def _double_clicked(self, _item: QListWidgetItem) -> None:
        if self.chosen() is not None:
            self.accept()


def choose_backup(folder: Path, parent: QWidget | None = None) -> Backup | None:
    """Show the backups in ``folder``; the one the user chose to restore, or None."""
    from ml_day.persistence.backups import inspect_backup, list_backups  # noqa: PLC0415

    listed = [(backup, inspect_backup(backup)) for backup in list_backups(folder)]
    dialog = BackupDialog(listed, folder, parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    chosen = dialog.chosen() if accepted else None
    dialog.deleteLater()
    return chosen

"""The preview of an import: what it will add, change and skip, before anything is written.

One list, one line per event (Add, Change, Unchanged, Skip), with the time,
the title and what changes or why it is skipped. Import stores it all as one
edit (one step of Undo); Cancel, Esc or closing the dialog stores nothing.
The list and both buttons are reachable from the keyboard; Enter imports.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ml_day.interchange.import_plan import Action, ImportItem, ImportPlan

ACTION_LABELS = {
    Action.ADD: "Add",
    Action.CHANGE: "Change",
    Action.SAME: "Unchanged",
    Action.SKIP: "Skip",
}
_ORDER = (Action.ADD, Action.CHANGE, Action.SKIP, Action.SAME)
"""What the user most needs to see comes first."""


class ImportPreviewDialog(QDialog):
    """Shows an :class:`ImportPlan`; accepted means "store it"."""

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setObjectName("importPreview")
        self.setWindowTitle(f"Import {plan.source}")
        self.setAccessibleName(f"Import preview for {plan.source}")

        self.heading = QLabel(self)
        self.heading.setObjectName("importSummary")
        self.heading.setWordWrap(True)
        self.heading.setText(_heading(plan))
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setText(
            f"Repeating events are added from {plan.first_day:%a %d %b} to "
            f"{plan.last_day:%a %d %b %Y}. Nothing is stored until you choose Import."
        )

        self.items = QTreeWidget(self)
        self.items.setObjectName("importItems")
        self.items.setAccessibleName("Events in the file")
        self.items.setAccessibleDescription("What the import does with each event, and why")
        self.items.setColumnCount(4)
        self.items.setHeaderLabels(["Action", "When", "Title", "Details"])
        self.items.setRootIsDecorated(False)
        self.items.setUniformRowHeights(True)
        self.items.setAlternatingRowColors(True)
        self.items.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.items.setTabKeyNavigation(False)
        header = self.items.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for action in _ORDER:
            for item in plan.of(action):
                self.items.addTopLevelItem(_row(item))
        first = self.items.topLevelItem(0)
        if first is not None:
            self.items.setCurrentItem(first)

        self.buttons = QDialogButtonBox(self)
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("importButton")
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        assert self.cancel_button is not None
        self.cancel_button.setObjectName("cancelImportButton")
        if plan.has_changes:
            count = plan.count(Action.ADD) + plan.count(Action.CHANGE)
            self.import_button.setText(f"&Import {count} event{'s' if count != 1 else ''}")
            self.import_button.setDefault(True)
        else:
            self.import_button.setText("Nothing to import")
            self.import_button.setEnabled(False)
            self.cancel_button.setText("&Close")
            self.cancel_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 420)
        (self.import_button if plan.has_changes else self.cancel_button).setFocus(
            Qt.FocusReason.OtherFocusReason
        )


def _heading(plan: ImportPlan) -> str:
    if not plan.items:
        return f"{plan.source} holds no events."
    return f"Importing {plan.source}: {plan.summary()}."


def _row(item: ImportItem) -> QTreeWidgetItem:
    row = QTreeWidgetItem([ACTION_LABELS[item.action], item.when(), item.title, item.detail])
    row.setData(0, Qt.ItemDataRole.UserRole, item.action.value)
    row.setToolTip(2, item.title)
    row.setToolTip(3, item.detail)
    return row

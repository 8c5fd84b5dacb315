"""File > Import… (Ctrl+I), File > Export… (Ctrl+E), and .ics files dropped on the window.

An import reads the file, shows the :class:`ImportPreviewDialog` and, once the
user chooses Import, stores everything as one edit through the store (one
step of Undo). A file that cannot be read gets a one-line message and changes
nothing. Repeating events are added for the week that starts on the day shown.

An export writes the chosen days as an iCalendar file, with alarms that follow
the notification settings.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QObject, QSettings, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ml_day.core.clock import Clock
from ml_day.gui.store import PlanStore

if TYPE_CHECKING:
    from PySide6.QtCore import QMimeData

    from ml_day.core.editing import AppliedEdit
    from ml_day.gui.import_preview import ImportPreviewDialog
    from ml_day.interchange.import_plan import ImportPlan

log = logging.getLogger("ml_day.gui")

CALENDAR_SUFFIXES = (".ics", ".ical", ".icalendar", ".ifb")
CALENDAR_FILTER = "Calendar files (*.ics *.ical *.icalendar *.ifb);;All files (*)"
IMPORT_DAYS = 7
"""Repeating events are added for this many days from the day shown."""
MAX_EXPORT_DAYS = 366
MESSAGE_MS = 15_000

PathChooser = Callable[[QWidget, Path], Path | None]
"""Asks for a file (given a suggested one); None if the user cancels."""


def choose_file_to_open(parent: QWidget, suggested: Path) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(
        parent, "Import a calendar file", str(suggested), CALENDAR_FILTER
    )
    return Path(name) if name else None


def choose_file_to_save(parent: QWidget, suggested: Path) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(
        parent, "Export to a calendar file", str(suggested), CALENDAR_FILTER
    )
    return Path(name) if name else None


def documents_folder() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()


def calendar_files(mime: QMimeData) -> list[Path]:
    """The local calendar files among what is dragged."""
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [path for path in paths if path.suffix.lower() in CALENDAR_SUFFIXES]


class CalendarExchange(QObject):
    """The window's Import and Export actions, and the drop target for .ics files."""

    message = Signal(str)
    """A one-line outcome for the status bar ("Imported work.ics: added 3, ...")."""

    def __init__(
        self,
        window: QWidget,
        store: PlanStore,
        clock: Clock,
        settings: QSettings,
        *,
        shown_day: Callable[[], dt.date],
        choose_open: PathChooser = choose_file_to_open,
        choose_save: PathChooser = choose_file_to_save,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self._clock = clock
        self._settings = settings
        self._shown_day = shown_day
        self.choose_open = choose_open
        self.choose_save = choose_save
        self.preview: ImportPreviewDialog | None = None
        """The preview on screen, if any."""
        self.export_dialog: ExportDialog | None = None
        self.last_warning: QMessageBox | None = None

        self.import_action = QAction("&Import…", window)
        self.import_action.setObjectName("importAction")
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.setStatusTip("Add the events of a calendar file (.ics) to the plan")
        self.import_action.triggered.connect(self.choose_and_import)
        self.export_action = QAction("&Export…", window)
        self.export_action.setObjectName("exportAction")
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setStatusTip("Write days of the plan to a calendar file (.ics)")
        self.export_action.triggered.connect(self.choose_and_export)
        for action in (self.import_action, self.export_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            window.addAction(action)
        window.setAcceptDrops(True)

    # ------------------------------------------------------------ import
    def choose_and_import(self) -> None:
        path = self.choose_open(self._window, documents_folder())
        if path is not None:
            self.import_file(path)

    def import_file(self, path: Path) -> ImportPreviewDialog | None:
        """Read ``path`` and show what importing it would do (nothing is stored
        until the preview is accepted); None if it cannot be read."""
        from ml_day.gui.import_preview import ImportPreviewDialog  # noqa: PLC0415
        from ml_day.interchange.importing import (  # noqa: PLC0415
            prepare_import,
            read_file,
        )
        from ml_day.interchange.reading import CalendarFileError  # noqa: PLC0415
        from ml_day.persistence.errors import StorageError  # noqa: PLC0415
        from ml_day.persistence.exchange import blocks_by_uid  # noqa: PLC0415

        if not self._store.is_ready:
            self._warn("Import", "The plan is still being opened; try again in a moment.")
            return None
        database = self._store.plan.database
        try:
            plan = prepare_import(
                read_file(path),
                source=path.name,
                zone=self._clock.zone(),
                first_day=self._shown_day(),
                days=IMPORT_DAYS,
                stored=lambda uids: blocks_by_uid(database, uids),
            )
        except (CalendarFileError, StorageError) as error:
            log.warning("cannot import %s: %s", path, error)
            self._warn("Import", f"{path.name} was not imported: {error}.")
            return None
        if self.preview is not None:
            self.preview.close()
        self.preview = ImportPreviewDialog(plan, self._window)
        self.preview.setWindowModality(Qt.WindowModality.WindowModal)
        dialog = self.preview
        dialog.finished.connect(lambda result: self._previewed(dialog, result))
        dialog.open()
        return dialog

    def _previewed(self, dialog: ImportPreviewDialog, result: int) -> None:
        if self.preview is dialog:
            self.preview = None
        dialog.deleteLater()
        if result == QDialog.DialogCode.Accepted and dialog.plan.has_changes:
            self.apply_import(dialog.plan)

    def apply_import(self, plan: ImportPlan) -> AppliedEdit | None:
        """Store ``plan`` as one undoable edit."""
        from ml_day.interchange.import_plan import Action  # noqa: PLC0415
        from ml_day.persistence.errors import StorageError  # noqa: PLC0415
        from ml_day.persistence.exchange import (  # noqa: PLC0415
            blocks_by_uid,
            forget_marked_days,
            mark_days_as_users,
        )

        database = self._store.plan.database
        try:
            # The preview may have stayed open while another window or the
            # command line imported the same events: plan again rather than
            # add them twice.
            if blocks_by_uid(database, [item.uid for item in plan.of(Action.ADD)]):
                self._warn(
                    "Import",
                    f"The plan changed while the preview was open; {plan.source} "
                    "was not imported. Import it again to see what it would do now.",
                )
                return None
            marked = mark_days_as_users(database, plan.whole_days)
        except StorageError as error:
            self._warn("Import", f"{plan.source} was not imported: {error}.")
            return None
        waiting = self._store.unsaved_count
        applied = self._store.apply(plan.edit())
        if applied is None:
            if self._store.unsaved_count == waiting:
                # Refused: the days go back to how they were.
                forget_marked_days(database, marked)
            return None
        self.message.emit(f"Imported {plan.source}: {plan.done_summary()}")
        return applied

    # ------------------------------------------------------------ export
    def choose_and_export(self) -> None:
        day = self._shown_day()
        self.export_dialog = ExportDialog(
            day, documents_folder() / f"ml-day-{day.isoformat()}.ics", self.choose_save,
            self._window,
        )  # fmt: skip
        dialog = self.export_dialog
        dialog.finished.connect(lambda result: self._export_chosen(dialog, result))
        dialog.open()

    def _export_chosen(self, dialog: ExportDialog, result: int) -> None:
        if self.export_dialog is dialog:
            self.export_dialog = None
        dialog.deleteLater()
        if result == QDialog.DialogCode.Accepted:
            self.export_days(dialog.path(), dialog.first_day(), dialog.days())

    def export_days(self, path: Path, first_day: dt.date, days: int) -> bool:
        """Write ``days`` days from ``first_day`` to ``path``; False (and a
        message) if they could not be written."""
        from ml_day.gui.notifier import rules_from_settings  # noqa: PLC0415
        from ml_day.interchange.export import export_calendar  # noqa: PLC0415
        from ml_day.persistence.errors import StorageError  # noqa: PLC0415

        if not self._store.is_ready:
            self._warn("Export", "The plan is still being opened; try again in a moment.")
            return False
        try:
            blocks = {
                block.id: block
                for offset in range(days)
                for block in self._store.day_blocks(first_day + dt.timedelta(days=offset))
                if block.id > 0  # not an edit still waiting to be saved
            }
            ordered = sorted(blocks.values(), key=lambda block: (block.start, block.end, block.id))
            data = export_calendar(
                ordered,
                self._clock.zone(),
                stamp=self._clock.now(),
                rules=rules_from_settings(self._settings),
            )
            partial = path.with_name(f".{path.name}.partial")
            partial.write_bytes(data)
            partial.replace(path)
        except (OSError, StorageError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            self._warn("Export", f"{path.name} was not written: {reason}.")
            return False
        self.message.emit(f"Exported {len(ordered)} blocks to {path}")
        return True

    # ------------------------------------------------------------ dropping
    def drag_entered(self, event: QDragEnterEvent | QDragMoveEvent) -> bool:
        """Accept a drag that carries a calendar file (the window's drag events)."""
        if calendar_files(event.mimeData()):
            event.acceptProposedAction()
            return True
        return False

    def dropped(self, event: QDropEvent) -> bool:
        """Preview the import of a dropped calendar file; False if it holds none."""
        files = calendar_files(event.mimeData())
        if not files:
            return False
        event.acceptProposedAction()
        self.import_file(files[0])
        return True

    # ------------------------------------------------------------ messages
    def _warn(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok)
        box.setParent(self._window, box.windowFlags())
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setObjectName("exchangeWarning")
        self.last_warning = box
        self.message.emit(text)
        box.open()


class ExportDialog(QDialog):
    """Which days to export, and to which file."""

    def __init__(
        self,
        first_day: dt.date,
        suggested: Path,
        choose_save: PathChooser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export to a calendar file")
        self._choose_save = choose_save
        self.from_date = QDateEdit(QDate(first_day.year, first_day.month, first_day.day), self)
        self.from_date.setCalendarPopup(True)
        self.from_date.setDisplayFormat("yyyy-MM-dd")
        self.from_date.setAccessibleName("First day")
        self.day_count = QSpinBox(self)
        self.day_count.setRange(1, MAX_EXPORT_DAYS)
        self.day_count.setValue(1)
        self.day_count.setSuffix(" day(s)")
        self.day_count.setAccessibleName("Number of days")
        self.file_field = QLineEdit(str(suggested), self)
        self.file_field.setAccessibleName("File")
        self.browse_button = QPushButton("&Browse…", self)
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_field, 1)
        file_row.addWidget(self.browse_button)
        form = QFormLayout(self)
        form.addRow("&From:", self.from_date)
        form.addRow("&Days:", self.day_count)
        form.addRow("F&ile:", file_row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setText("&Export")
            save.setDefault(True)
        self.buttons.accepted.connect(self._accept_if_named)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.file_field.textChanged.connect(self._update_button)

    def first_day(self) -> dt.date:
        date = self.from_date.date()
        return dt.date(date.year(), date.month(), date.day())

    def days(self) -> int:
        return self.day_count.value()

    def path(self) -> Path:
        text = self.file_field.text().strip()
        path = Path(text).expanduser()
        return path if path.suffix else path.with_suffix(".ics")

    def _browse(self) -> None:
        chosen = self._choose_save(self, self.path())
        if chosen is not None:
            self.file_field.setText(str(chosen))

    def _update_button(self) -> None:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setEnabled(bool(self.file_field.text().strip()))

    def _accept_if_named(self) -> None:
        if self.file_field.text().strip():
            self.accept()

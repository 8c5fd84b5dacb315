"""The Preferences dialog: everything the user can set, in three tabs.

It edits a :class:`Preferences` value and the autostart entry. Apply and OK
write the settings file and emit :attr:`SettingsDialog.applied`; the main
window applies the new values at once (snap, visible hours, close to tray) and
the notifier plans its next wakeup by the new rules.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QSettings, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QTableWidget,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ml_day import APP_NAME
from ml_day.core.blocks import Category
from ml_day.core.editing import SNAP_STEPS_MINUTES
from ml_day.core.notifications import DEFAULT_DEADLINE_WARNINGS, QuietHours
from ml_day.freedesktop.entries import DesktopIntegrationError
from ml_day.gui.preferences import (
    Preferences,
    load_preferences,
    parse_minutes_list,
    save_preferences,
)
from ml_day.overrides import override

log = logging.getLogger("ml_day.gui.settings")

MAX_LEAD_MINUTES = 120
DEFAULT_VISIBLE_HOURS = (7, 20)
DEFAULT_QUIET_HOURS = QuietHours(dt.time(22), dt.time(7))


class Autostart:
    """Start at login, as the dialog sees it (the XDG autostart entry by default)."""

    def __init__(
        self,
        is_enabled: Callable[[], bool] | None = None,
        enable: Callable[[], object] | None = None,
        disable: Callable[[], object] | None = None,
    ) -> None:
        from ml_day.freedesktop import autostart  # noqa: PLC0415

        self.is_enabled = is_enabled or autostart.is_autostart_enabled
        self._enable = enable or autostart.enable_autostart
        self._disable = disable or autostart.disable_autostart

    def set_enabled(self, enabled: bool) -> None:
        """Write or remove the entry; raises DesktopIntegrationError when it cannot."""
        if enabled:
            self._enable()
        else:
            self._disable()


def _described(widget: QWidget, name: str, description: str) -> None:
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(description)
    widget.setToolTip(description)


class SettingsDialog(QDialog):
    applied = Signal(object)
    """The new :class:`Preferences`, written to the settings file."""

    def __init__(
        self,
        settings: QSettings,
        categories: Sequence[Category],
        *,
        tray_available: bool,
        autostart: Autostart | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(f"{APP_NAME} preferences")
        self._settings = settings
        self._categories = sorted(categories, key=lambda c: c.name)
        self._autostart = autostart or Autostart()
        self._tray_available = tray_available

        self.tabs = QTabWidget(self)
        _described(self.tabs, "Preference pages", "General, Timeline and Notifications")
        self.tabs.addTab(self._general_page(), "&General")
        self.tabs.addTab(self._timeline_page(), "&Timeline")
        self.tabs.addTab(self._notifications_page(), "&Notifications")
        for index, tip in enumerate(
            (
                "Start at login and the tray",
                "Snapping and the hours the timeline shows",
                "Reminders per category, deadline warnings and quiet hours",
            )
        ):
            self.tabs.setTabToolTip(index, tip)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("settingsError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: palette(highlight);")
        self.error_label.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        for standard, description in (
            (QDialogButtonBox.StandardButton.Ok, "Save the preferences and close"),
            (QDialogButtonBox.StandardButton.Cancel, "Close without saving"),
            (QDialogButtonBox.StandardButton.Apply, "Save the preferences and keep editing"),
            (
                QDialogButtonBox.StandardButton.RestoreDefaults,
                "Put every preference back to its default (not saved until OK or Apply)",
            ),
        ):
            button = self.buttons.button(standard)
            _described(button, button.text().replace("&", ""), description)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.clicked.connect(self._button_clicked)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.show_preferences(load_preferences(settings))
        self.start_at_login.setChecked(self._autostart.is_enabled())
        self._validate()

    # ------------------------------------------------------------ pages
    def _general_page(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.start_at_login = QCheckBox("&Start ML Day when I log in", page)
        _described(
            self.start_at_login,
            "Start at login",
            "Adds ML Day to the programs your desktop session starts",
        )
        self.close_to_tray = QCheckBox("&Keep running in the tray when the window is closed", page)
        _described(
            self.close_to_tray,
            "Keep running in the tray",
            "Closing the window leaves ML Day in the tray, announcing your day; "
            "quit from the tray menu or File > Quit",
        )
        form.addRow(self.start_at_login)
        form.addRow(self.close_to_tray)
        if not self._tray_available:
            self.close_to_tray.setEnabled(False)
            note = QLabel("This desktop shows no tray: closing the window quits ML Day.", page)
            note.setWordWrap(True)
            form.addRow(note)
        return page

    def _timeline_page(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.snap_box = QComboBox(page)
        for minutes in SNAP_STEPS_MINUTES:
            self.snap_box.addItem(f"{minutes} minutes", minutes)
        _described(
            self.snap_box,
            "Snap to",
            "Dragged and resized blocks stick to this step (hold Alt while dragging for none)",
        )
        form.addRow("S&nap to:", self.snap_box)

        self.fit_hours = QCheckBox("&Fit these hours to the window:", page)
        _described(
            self.fit_hours,
            "Fit hours to the window",
            "Zoom the timeline so that these hours fill the window's height",
        )
        self.first_hour = QSpinBox(page)
        self.first_hour.setRange(0, 23)
        self.last_hour = QSpinBox(page)
        self.last_hour.setRange(1, 24)
        for box, name in ((self.first_hour, "From hour"), (self.last_hour, "To hour")):
            box.setSuffix(":00")
            _described(box, name, f"{name} of the hours fitted to the window (0-24)")
            box.valueChanged.connect(self._validate)
        self.fit_hours.toggled.connect(self.first_hour.setEnabled)
        self.fit_hours.toggled.connect(self.last_hour.setEnabled)
        self.fit_hours.toggled.connect(self._validate)
        hours_row = QHBoxLayout()
        hours_row.addWidget(self.first_hour)
        hours_row.addWidget(QLabel("to", page))
        hours_row.addWidget(self.last_hour)
        hours_row.addStretch(1)
        form.addRow(self.fit_hours)
        form.addRow("Hours:", hours_row)
        return page

    def _notifications_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Reminders before a block starts, per category:", page))
        self.category_table = QTableWidget(len(self._categories), 3, page)
        self.category_table.setHorizontalHeaderLabels(["Category", "Remind before", "Silent"])
        _described(
            self.category_table,
            "Reminders per category",
            "For each category: minutes of notice before a block starts, and whether "
            "its blocks announce anything at all",
        )
        header = self.category_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.category_table.verticalHeader().hide()
        self.lead_boxes: dict[str, QSpinBox] = {}
        self.silent_boxes: dict[str, QCheckBox] = {}
        for row, category in enumerate(self._categories):
            label = QLabel(category.name, self.category_table)
            label.setContentsMargins(6, 0, 6, 0)
            self.category_table.setCellWidget(row, 0, label)
            lead = QSpinBox(self.category_table)
            lead.setRange(0, MAX_LEAD_MINUTES)
            lead.setSuffix(" min")
            lead.setSpecialValueText("no reminder")
            _described(
                lead,
                f"Remind before {category.name}",
                f"Minutes of notice before a {category.name} block starts (0: none)",
            )
            silent = QCheckBox(self.category_table)
            _described(
                silent,
                f"{category.name} is silent",
                f"Blocks of {category.name} announce nothing",
            )
            silent.toggled.connect(lambda on, box=lead: box.setEnabled(not on))
            self.category_table.setCellWidget(row, 1, lead)
            self.category_table.setCellWidget(row, 2, silent)
            self.lead_boxes[category.name] = lead
            self.silent_boxes[category.name] = silent
        self.category_table.resizeColumnsToContents()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.category_table, 1)

        form = QFormLayout()
        self.deadline_edit = QLineEdit(page)
        self.deadline_edit.setPlaceholderText("e.g. 30, 10")
        _described(
            self.deadline_edit,
            "Deadline warnings",
            "Minutes before a deadline block ends to warn, separated by commas "
            "(empty: only at the deadline)",
        )
        self.deadline_edit.textChanged.connect(self._validate)
        form.addRow("&Deadline warnings (minutes before):", self.deadline_edit)

        self.quiet_hours = QCheckBox("&Quiet hours: announce nothing from", page)
        _described(
            self.quiet_hours,
            "Quiet hours",
            "Nothing is announced in these hours, every day; what falls in them is skipped",
        )
        self.quiet_start = QTimeEdit(page)
        self.quiet_end = QTimeEdit(page)
        for edit, name in ((self.quiet_start, "Quiet from"), (self.quiet_end, "Quiet until")):
            edit.setDisplayFormat("HH:mm")
            _described(edit, name, f"{name} (a range may run past midnight)")
        self.quiet_hours.toggled.connect(self.quiet_start.setEnabled)
        self.quiet_hours.toggled.connect(self.quiet_end.setEnabled)
        quiet_row = QHBoxLayout()
        quiet_row.addWidget(self.quiet_hours)
        quiet_row.addWidget(self.quiet_start)
        quiet_row.addWidget(QLabel("to", page))
        quiet_row.addWidget(self.quiet_end)
        quiet_row.addStretch(1)
        form.addRow(quiet_row)
        layout.addLayout(form)
        pause_note = QLabel(
            "To pause for an hour or until tomorrow, use Pause in the tray menu.", page
        )
        pause_note.setWordWrap(True)
        layout.addWidget(pause_note)
        return page

    # ------------------------------------------------------------ values
    def show_preferences(self, preferences: Preferences) -> None:
        """Fill the controls from ``preferences`` (start at login is read separately)."""
        index = self.snap_box.findData(preferences.snap_minutes)
        self.snap_box.setCurrentIndex(max(index, 0))
        hours = preferences.visible_hours
        self.fit_hours.setChecked(hours is not None)
        first, last = hours or DEFAULT_VISIBLE_HOURS
        self.first_hour.setValue(first)
        self.last_hour.setValue(last)
        self.first_hour.setEnabled(hours is not None)
        self.last_hour.setEnabled(hours is not None)
        self.close_to_tray.setChecked(preferences.close_to_tray)
        for category in self._categories:
            self.lead_boxes[category.name].setValue(preferences.lead_for(category))
            silent = preferences.is_silent(category)
            self.silent_boxes[category.name].setChecked(silent)
            self.lead_boxes[category.name].setEnabled(not silent)
        self.deadline_edit.setText(", ".join(str(m) for m in preferences.deadline_warnings))
        quiet = preferences.quiet_hours
        self.quiet_hours.setChecked(quiet is not None)
        shown = quiet or DEFAULT_QUIET_HOURS
        self.quiet_start.setTime(QTime(shown.start.hour, shown.start.minute))
        self.quiet_end.setTime(QTime(shown.end.hour, shown.end.minute))
        self.quiet_start.setEnabled(quiet is not None)
        self.quiet_end.setEnabled(quiet is not None)

    def preferences(self) -> Preferences | None:
        """The preferences the controls show, or None while something is invalid."""
        warnings = parse_minutes_list(self.deadline_edit.text())
        first, last = self.first_hour.value(), self.last_hour.value()
        if warnings is None or (self.fit_hours.isChecked() and first >= last):
            return None
        quiet = None
        if self.quiet_hours.isChecked():
            start, end = self.quiet_start.time(), self.quiet_end.time()
            quiet = QuietHours(
                dt.time(start.hour(), start.minute()), dt.time(end.hour(), end.minute())
            )
        silent = frozenset(name for name, box in self.silent_boxes.items() if box.isChecked())
        return Preferences(
            snap_minutes=int(self.snap_box.currentData()),
            visible_hours=(first, last) if self.fit_hours.isChecked() else None,
            close_to_tray=self.close_to_tray.isChecked(),
            lead_minutes={name: box.value() for name, box in self.lead_boxes.items()},
            silent_categories=silent,
            deadline_warnings=warnings,
            quiet_hours=quiet,
        )

    def _validate(self) -> None:
        problems = []
        if parse_minutes_list(self.deadline_edit.text()) is None:
            problems.append(
                "Deadline warnings: write minutes from 1 to 1440 separated by commas, e.g. 30, 10."
            )
        if self.fit_hours.isChecked() and self.first_hour.value() >= self.last_hour.value():
            problems.append("Hours: the first hour must come before the last.")
        self.error_label.setText(" ".join(problems))
        self.error_label.setVisible(bool(problems))
        self.error_label.setAccessibleName("Problem" if problems else "")
        valid = not problems
        for standard in (QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Apply):
            self.buttons.button(standard).setEnabled(valid)

    # ------------------------------------------------------------ buttons
    def apply(self) -> bool:
        """Write what the controls show; False (with a message) if it could not be."""
        preferences = self.preferences()
        if preferences is None:
            return False
        save_preferences(self._settings, preferences, self._categories)
        wanted = self.start_at_login.isChecked()
        if wanted != self._autostart.is_enabled():
            try:
                self._autostart.set_enabled(wanted)
            except DesktopIntegrationError as error:
                log.warning("cannot change start at login: %s", error)
                QMessageBox.warning(
                    self,
                    f"{APP_NAME}: start at login",
                    f"Could not {'add' if wanted else 'remove'} the login entry: {error}",
                )
                self.start_at_login.setChecked(self._autostart.is_enabled())
        self.applied.emit(preferences)
        return True

    @override
    def accept(self) -> None:
        if self.apply():
            super().accept()

    def _button_clicked(self, button: QAbstractButton) -> None:
        role = self.buttons.buttonRole(button)
        if role == QDialogButtonBox.ButtonRole.ApplyRole:
            self.apply()
        elif role == QDialogButtonBox.ButtonRole.ResetRole:
            self.show_preferences(
                Preferences(deadline_warnings=DEFAULT_DEADLINE_WARNINGS, close_to_tray=True)
            )
            self._validate()

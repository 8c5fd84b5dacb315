"""The user's preferences: read from and written to ``settings.ini`` in the data folder.

One value object, :class:`Preferences`, holds everything the settings dialog
shows; :func:`load_preferences` and :func:`save_preferences` are the only code
that knows the keys the dialog writes. Start at login is not stored here: the
XDG autostart entry itself is the truth (see :mod:`ml_day.freedesktop.autostart`).

What is written stays readable and hand-editable::

    [editing]
    snap_minutes=15
    [view]
    visible_hours=7-20
    [window]
    close_to_tray=true
    [notifications]
    lead_minutes\\meeting=10
    silent=sleep
    deadline_warnings=30, 10
    quiet_hours=22:00-07:00
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import QSettings

from ml_day.core.blocks import Category
from ml_day.core.editing import DEFAULT_SNAP_MINUTES, SNAP_STEPS_MINUTES
from ml_day.core.notifications import DEFAULT_DEADLINE_WARNINGS, NotificationRules, QuietHours
from ml_day.gui.settings_keys import (
    CLOSE_TO_TRAY_KEY,
    NOTIFICATIONS_GROUP,
    SNAP_KEY,
    VISIBLE_HOURS_KEY,
    parse_visible_hours,
)

log = logging.getLogger("ml_day.gui.preferences")


@dataclass(frozen=True, slots=True)
class Preferences:
    snap_minutes: int = DEFAULT_SNAP_MINUTES
    visible_hours: tuple[int, int] | None = None
    """Hours fitted to the window's height (first, last); None: the default zoom."""
    close_to_tray: bool = True
    """Closing the window leaves the app in the tray (where there is one)."""
    lead_minutes: Mapping[str, int] = field(default_factory=dict)
    """Pre-alert minutes per category name: the user's choice where it differs
    from the category's own default."""
    silent_categories: frozenset[str] | None = None
    """None: each category's own default."""
    deadline_warnings: tuple[int, ...] = DEFAULT_DEADLINE_WARNINGS
    quiet_hours: QuietHours | None = None

    def notification_rules(self) -> NotificationRules:
        return NotificationRules(
            pre_alert_minutes=dict(self.lead_minutes),
            silent_categories=self.silent_categories,
            deadline_warnings=self.deadline_warnings,
            quiet_hours=self.quiet_hours,
        )

    def lead_for(self, category: Category) -> int:
        return self.lead_minutes.get(category.name, category.pre_alert_minutes)

    def is_silent(self, category: Category) -> bool:
        if self.silent_categories is None:
            return category.silent
        return category.name in self.silent_categories

    def normalised(self, categories: Iterable[Category]) -> Preferences:
        """The same choices, with per-category values equal to the categories'
        own defaults left out (so a later change of a default still applies)."""
        known = list(categories)
        leads = {
            name: minutes
            for name, minutes in self.lead_minutes.items()
            if not any(c.name == name and c.pre_alert_minutes == minutes for c in known)
        }
        silent = self.silent_categories
        if (
            silent is not None
            and silent <= {c.name for c in known}
            and all((c.name in silent) == c.silent for c in known)
        ):
            silent = None
        return dataclasses.replace(self, lead_minutes=leads, silent_categories=silent)


def saved_snap_minutes(settings: QSettings) -> int:
    """The snap step from the settings, or the default if missing or not one of the choices."""
    value = settings.value(SNAP_KEY, DEFAULT_SNAP_MINUTES)
    try:
        minutes = int(str(value))
    except ValueError:
        return DEFAULT_SNAP_MINUTES
    return minutes if minutes in SNAP_STEPS_MINUTES else DEFAULT_SNAP_MINUTES


def load_preferences(settings: QSettings) -> Preferences:
    """Everything the settings file holds, with defaults for what is missing or bad."""
    from ml_day.gui.notifier import rules_from_settings  # noqa: PLC0415 - after first paint

    rules = rules_from_settings(settings)
    return Preferences(
        snap_minutes=saved_snap_minutes(settings),
        visible_hours=parse_visible_hours(settings.value(VISIBLE_HOURS_KEY)),
        close_to_tray=settings.value(CLOSE_TO_TRAY_KEY, True, type=bool),  # type: ignore[arg-type]
        lead_minutes=dict(rules.pre_alert_minutes),
        silent_categories=rules.silent_categories,
        deadline_warnings=rules.deadline_warnings,
        quiet_hours=rules.quiet_hours,
    )


def save_preferences(
    settings: QSettings, preferences: Preferences, categories: Iterable[Category]
) -> None:
    """Write ``preferences`` (normalised against ``categories``) and flush the file."""
    chosen = preferences.normalised(categories)
    settings.setValue(SNAP_KEY, chosen.snap_minutes)
    if chosen.visible_hours is None:
        settings.remove(VISIBLE_HOURS_KEY)
    else:
        settings.setValue(VISIBLE_HOURS_KEY, "{}-{}".format(*chosen.visible_hours))
    settings.setValue(CLOSE_TO_TRAY_KEY, chosen.close_to_tray)
    settings.beginGroup(NOTIFICATIONS_GROUP)
    try:
        settings.remove("lead_minutes")
        for name, minutes in sorted(chosen.lead_minutes.items()):
            settings.setValue(f"lead_minutes/{name}", minutes)
        if chosen.silent_categories is None:
            settings.remove("silent")
        else:
            settings.setValue("silent", ", ".join(sorted(chosen.silent_categories)))
        if chosen.deadline_warnings == DEFAULT_DEADLINE_WARNINGS:
            settings.remove("deadline_warnings")
        else:
            settings.setValue(
                "deadline_warnings", ", ".join(str(m) for m in chosen.deadline_warnings)
            )
        if chosen.quiet_hours is None:
            settings.remove("quiet_hours")
        else:
            quiet = chosen.quiet_hours
            settings.setValue("quiet_hours", f"{quiet.start:%H:%M}-{quiet.end:%H:%M}")
    finally:
        settings.endGroup()
    settings.sync()


def parse_minutes_list(text: str) -> tuple[int, ...] | None:
    """``"30, 10"`` as (30, 10), largest first, without repeats; None if malformed.
    An empty text is no warnings at all."""
    values: set[int] = set()
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        try:
            minutes = int(part.strip())
        except ValueError:
            return None
        if not 1 <= minutes <= 24 * 60:
            return None
        values.add(minutes)
    return tuple(sorted(values, reverse=True))

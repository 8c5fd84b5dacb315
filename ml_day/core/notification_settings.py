"""The ``[notifications]`` section of the settings file, as notification rules.

Pure parsing, shared by the window (which reads the file through QSettings)
and the command line (which reads it with :mod:`configparser`, so that an
exported calendar's alarms follow the same rules without loading Qt)::

    [notifications]
    lead_minutes\\meeting=10       ; pre-alert minutes per category (0: none)
    silent=sleep, commute          ; categories that announce nothing
    deadline_warnings=30, 10       ; minutes before a deadline block's end
    quiet_hours=22:00-07:00        ; nothing is announced in these hours

Missing keys keep each category's own defaults; a bad value is reported
through ``warn`` and skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from ml_day.core.notifications import DEFAULT_DEADLINE_WARNINGS, NotificationRules, QuietHours

MAX_MINUTES = 24 * 60


def rules_from_values(
    lead_minutes: Mapping[str, object],
    *,
    silent: object = None,
    deadline_warnings: object = None,
    quiet_hours: object = None,
    warn: Callable[[str], None] = lambda _message: None,
) -> NotificationRules:
    """Rules from the section's raw values (strings, or lists where a reader
    split a comma-separated value already); None means the key is missing."""
    leads: dict[str, int] = {}
    for key, value in lead_minutes.items():
        minutes = _minutes(value, f"lead_minutes/{key}", warn)
        if minutes is not None:
            leads[key.strip().lower()] = minutes
    silent_set = None if silent is None else frozenset(_names(silent))
    warnings: tuple[int, ...] = DEFAULT_DEADLINE_WARNINGS
    if deadline_warnings is not None:
        parsed = [_minutes(item, "deadline_warnings", warn) for item in _names(deadline_warnings)]
        warnings = tuple(sorted({m for m in parsed if m}, reverse=True))
    quiet = None
    if quiet_hours not in (None, ""):
        quiet = parse_quiet_hours(str(quiet_hours))
        if quiet is None:
            warn(f"ignoring notifications/quiet_hours={quiet_hours!r}: not HH:MM-HH:MM")
    return NotificationRules(
        pre_alert_minutes=leads,
        silent_categories=silent_set,
        deadline_warnings=warnings,
        quiet_hours=quiet,
    )


def parse_quiet_hours(text: str) -> QuietHours | None:
    """``"22:00-07:00"`` as quiet hours, or None if it is not that shape."""
    start_text, dash, end_text = text.strip().partition("-")
    if not dash:
        return None
    try:
        start = dt.time.fromisoformat(start_text.strip())
        end = dt.time.fromisoformat(end_text.strip())
    except ValueError:
        return None
    return QuietHours(start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0))


def _names(value: object) -> list[str]:
    """A comma-separated value (or the list a reader made of it)."""
    items = value if isinstance(value, list) else str(value).split(",")
    return [str(item).strip().lower() for item in items if str(item).strip()]


def _minutes(value: object, key: str, warn: Callable[[str], None]) -> int | None:
    try:
        minutes = int(str(value).strip())
    except ValueError:
        minutes = -1
    if not 0 <= minutes <= MAX_MINUTES:
        warn(f"ignoring notifications/{key}={value!r}: not minutes from 0 to {MAX_MINUTES}")
        return None
    return minutes

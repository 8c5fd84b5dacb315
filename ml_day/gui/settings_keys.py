"""Where each preference lives in ``settings.ini``, and the window's own reader.

Apart from :mod:`ml_day.gui.preferences` (which loads the domain's editing
and notification rules), so that the window's first paint can read how many
hours to fit without loading them.
"""

from __future__ import annotations

import logging

log = logging.getLogger("ml_day.gui.preferences")

SNAP_KEY = "editing/snap_minutes"
VISIBLE_HOURS_KEY = "view/visible_hours"
CLOSE_TO_TRAY_KEY = "window/close_to_tray"
NOTIFICATIONS_GROUP = "notifications"


def parse_visible_hours(value: object) -> tuple[int, int] | None:
    """``"7-20"`` as (7, 20); None if missing or not a range within 0-24."""
    if value is None:
        return None
    first_text, dash, last_text = str(value).partition("-")
    try:
        first, last = int(first_text), int(last_text)
    except ValueError:
        first, last = -1, -1
    if not dash or not 0 <= first < last <= 24:
        if str(value).strip():
            log.warning("ignoring %s=%r: not hours like 7-20", VISIBLE_HOURS_KEY, value)
        return None
    return first, last

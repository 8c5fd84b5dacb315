"""The settings file as the command line reads it: without Qt.

The window writes ``settings.ini`` through QSettings (INI format): groups as
``[sections]``, nested keys joined by a backslash (``lead_minutes\\meeting``),
strings holding a comma in double quotes, other characters of a key
percent-encoded. This reads that much back with :mod:`configparser`, for the
notification rules an exported calendar's alarms follow.
"""

from __future__ import annotations

import configparser
import logging
import re
from pathlib import Path

from ml_day.core.notification_settings import rules_from_values
from ml_day.core.notifications import NotificationRules

log = logging.getLogger("ml_day.cli")

_SECTION = "notifications"
_LEADS_PREFIX = "lead_minutes\\"


def notification_rules(path: Path) -> NotificationRules:
    """The rules in the settings file at ``path``; the defaults when it is
    missing or unreadable (which is logged: the command goes on)."""
    parser = configparser.RawConfigParser(strict=False, comment_prefixes=(";", "#"))
    parser.optionxform = str  # type: ignore[assignment, method-assign]  # keys keep their case
    try:
        parser.read_string(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return NotificationRules()
    except (OSError, UnicodeDecodeError, configparser.Error) as error:
        log.warning("cannot read the settings in %s (%s); using the defaults", path, error)
        return NotificationRules()
    if not parser.has_section(_SECTION):
        return NotificationRules()
    section = parser[_SECTION]
    leads = {
        _key(name[len(_LEADS_PREFIX) :]): _value(value)
        for name, value in section.items()
        if name.startswith(_LEADS_PREFIX)
    }

    def get(name: str) -> str | None:
        return _value(section[name]) if name in section else None

    return rules_from_values(
        leads,
        silent=get("silent"),
        deadline_warnings=get("deadline_warnings"),
        quiet_hours=get("quiet_hours"),
        warn=log.warning,
    )


def _value(raw: str) -> str:
    """A QSettings string: quoted when it holds a comma, with backslash escapes."""
    text = raw.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return text


def _key(raw: str) -> str:
    """A key as QSettings writes it: ``%E9`` is U+00E9, ``%U20AC`` is U+20AC."""
    return _ESCAPED_KEY_CHARACTER.sub(lambda match: chr(int(match[1] or match[2], 16)), raw)


_ESCAPED_KEY_CHARACTER = re.compile(r"%U([0-9A-Fa-f]{4})|%([0-9A-Fa-f]{2})")

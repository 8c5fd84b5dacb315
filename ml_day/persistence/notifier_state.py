"""What the notifier remembers across restarts, in the plan's ``meta`` table.

* the watermark: the last instant the notifier checked (everything due up to
  it was delivered or summarised);
* snoozed announcements waiting to be shown again;
* the end of a pause.

Instants are stored as ISO 8601 text in UTC; snoozes as a JSON list. Writing
these does not bump the plan's revision: they are not edits of the plan.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable
from typing import Any

from ml_day.core.notifications import Announcement, AnnouncementKind
from ml_day.persistence.database import Database
from ml_day.persistence.schema import MetaRow

log = logging.getLogger("ml_day.persistence")

WATERMARK_KEY = "notifier.watermark"
SNOOZES_KEY = "notifier.snoozes"
PAUSED_UNTIL_KEY = "notifier.paused_until"


class NotifierStateRepository:
    """Reads and writes the notifier's state in one :class:`Database`.

    A value that cannot be read back (edited by hand, written by a future
    version) is logged and treated as absent: the notifier then starts afresh
    rather than failing to start.
    """

    def __init__(self, database: Database) -> None:
        self.database = database

    # ------------------------------------------------------------ watermark
    def watermark(self) -> dt.datetime | None:
        """The last instant checked (aware, UTC), or None before the first run."""
        return _instant(self._get(WATERMARK_KEY), WATERMARK_KEY)

    def set_watermark(self, instant: dt.datetime) -> None:
        self._put(WATERMARK_KEY, _iso(instant))

    # ------------------------------------------------------------ snoozes
    def snoozes(self) -> list[Announcement]:
        text = self._get(SNOOZES_KEY)
        if text is None:
            return []
        try:
            items = json.loads(text)
            return [_announcement(item) for item in items]
        except (ValueError, TypeError, KeyError) as error:
            log.warning("ignoring unreadable snoozes in the plan database: %s", error)
            return []

    def set_snoozes(self, snoozes: Iterable[Announcement]) -> None:
        self._put(SNOOZES_KEY, json.dumps([_record(item) for item in snoozes]))

    # ------------------------------------------------------------ pause
    def paused_until(self) -> dt.datetime | None:
        return _instant(self._get(PAUSED_UNTIL_KEY), PAUSED_UNTIL_KEY)

    def set_paused_until(self, instant: dt.datetime | None) -> None:
        if instant is None:
            self._delete(PAUSED_UNTIL_KEY)
        else:
            self._put(PAUSED_UNTIL_KEY, _iso(instant))

    # ------------------------------------------------------------ internals
    def _get(self, key: str) -> str | None:
        with self.database.transaction() as session:
            row = session.get(MetaRow, key)
            return None if row is None else row.value

    def _put(self, key: str, value: str) -> None:
        with self.database.transaction() as session:
            row = session.get(MetaRow, key)
            if row is None:
                session.add(MetaRow(key=key, value=value))
            elif row.value != value:
                row.value = value
                session.add(row)

    def _delete(self, key: str) -> None:
        with self.database.transaction() as session:
            row = session.get(MetaRow, key)
            if row is not None:
                session.delete(row)


def _iso(instant: dt.datetime) -> str:
    if instant.tzinfo is None:
        msg = "the notifier's instants are timezone-aware"
        raise ValueError(msg)
    return instant.astimezone(dt.UTC).isoformat()


def _instant(text: str | None, key: str) -> dt.datetime | None:
    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        log.warning("ignoring an unreadable %s in the plan database: %r", key, text)
        return None
    if value.tzinfo is None:
        log.warning("ignoring a %s without a zone in the plan database: %r", key, text)
        return None
    return value.astimezone(dt.UTC)


def _record(item: Announcement) -> dict[str, Any]:
    return {
        "instant": _iso(item.instant),
        "kind": item.kind.value,
        "summary": item.summary,
        "body": item.body,
        "block_id": item.block_id,
    }


def _announcement(record: dict[str, Any]) -> Announcement:
    instant = _instant(str(record["instant"]), SNOOZES_KEY)
    if instant is None:
        msg = f"bad instant {record['instant']!r}"
        raise ValueError(msg)
    block_id = record.get("block_id")
    return Announcement(
        instant,
        AnnouncementKind(record["kind"]),
        str(record["summary"]),
        str(record["body"]),
        None if block_id is None else int(block_id),
    )

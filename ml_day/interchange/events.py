"""Calendar events to block drafts in the user's local wall-clock time.

What becomes what:

* an event with a time of day becomes a block on its day, its start and end
  converted to the local zone (an event written in another zone keeps its
  real instants; a *floating* event, written without a zone, keeps its wall
  times, as RFC 5545 says it should);
* a repeating event becomes one block per occurrence in the days asked for
  (``recurring-ical-events`` expands the rules, exceptions and moved
  occurrences);
* an all-day event is skipped: ML Day plans the hours of a day, and a block
  across a whole day (a holiday, a birthday) would cover every other one;
* so is an event that takes no time, lasts more than a day, or was cancelled,
  and every task, journal entry or free/busy list.

Each block keeps an identity from the file (the UID, plus the occurrence's
original start for a repeating event), so that importing the file again
updates the blocks instead of adding them twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import recurring_ical_events  # type: ignore[import-untyped]
import x_wr_timezone  # type: ignore[import-untyped]
from icalendar import Calendar, Component, Event

from ml_day.core.blocks import (
    MAX_NOTES_LENGTH,
    MAX_TITLE_LENGTH,
    BlockDraft,
    PlanError,
    clean_category_name,
    clean_draft,
)
from ml_day.core.timemodel import day_end, day_start, to_instant, to_wall
from ml_day.interchange.export import DEADLINE, FIXED, NOTIFY, WALL_END, WALL_FORMAT, WALL_START
from ml_day.interchange.reading import CalendarFile, Skipped

UNTITLED = "Untitled event"
MAX_UID_LENGTH = 255
"""Longer UIDs are kept as a digest: the identity is what matters, not the text."""

_OTHER_KINDS = {
    "VTODO": ("task", "tasks"),
    "VJOURNAL": ("journal entry", "journal entries"),
    "VFREEBUSY": ("free/busy list", "free/busy lists"),
    "VAVAILABILITY": ("availability list", "availability lists"),
}
_PROBLEMS = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)
"""What reading a broken event can raise, in ``icalendar`` and in the expansion of
its repetitions; anything else is a bug and is not swallowed."""


@dataclass(frozen=True, slots=True)
class ImportedEvent:
    """One event (or one occurrence of a repeating event), as a block would hold it.

    ``None`` means "the file does not say": a new block takes the default, an
    updated one keeps what it has.
    """

    uid: str
    draft: BlockDraft
    """With defaults where the file says nothing."""
    category: str | None
    fixed: bool | None
    notify: bool | None
    deadline: bool | None
    source: str
    """For messages: 'event "Standup" on Tue 24 Mar'."""


@dataclass(frozen=True, slots=True)
class EventsRead:
    """What a calendar holds for the plan, and what it holds that ML Day left out."""

    events: tuple[ImportedEvent, ...]
    skipped: tuple[Skipped, ...]
    first_day: dt.date
    last_day: dt.date
    """The days over which repeating events were expanded."""


DEFAULT_CATEGORY = "general"
IMPORTED_FIXED = True
"""An event from another calendar is an appointment with others: a push of
the rest of the day does not move it."""


def events_in(
    read: CalendarFile, zone: ZoneInfo, first_day: dt.date, last_day: dt.date
) -> EventsRead:
    """The events of ``read`` as blocks in ``zone``; repeating events are
    expanded over ``first_day`` to ``last_day`` (both included)."""
    calendar = _standard(read.calendar)
    skipped: list[Skipped] = list(read.skipped)
    skipped.extend(_other_kinds(calendar))
    window = (
        to_instant(day_start(first_day), zone),
        to_instant(day_end(last_day), zone),
    )
    found: list[tuple[int, ImportedEvent]] = []
    for group in _groups(calendar.walk("VEVENT")):
        if any(_repeats(event) for event in group):
            found.extend(_occurrences(group, zone, window, skipped))
        else:
            for event in group:
                key = _uid(event)
                if "RECURRENCE-ID" in event:
                    key = f"{key}/{_instant_key(event.get('RECURRENCE-ID'))}"
                converted = _converted(event, key, zone, skipped)
                if converted is not None:
                    found.append((_sequence(event), converted))
    return EventsRead(tuple(_unique(found, skipped)), tuple(skipped), first_day, last_day)


def _standard(calendar: Calendar) -> Calendar:
    """The calendar with a Google-style ``X-WR-TIMEZONE`` applied to its times."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            standard = x_wr_timezone.to_standard(calendar)
    except _PROBLEMS:
        return calendar
    return standard if isinstance(standard, Calendar) else calendar


def _other_kinds(calendar: Calendar) -> list[Skipped]:
    counts = Counter(
        component.name for component in calendar.subcomponents if component.name in _OTHER_KINDS
    )
    return [
        Skipped(f"{count} {_OTHER_KINDS[name][count != 1]}", "ML Day imports events only")
        for name, count in sorted(counts.items())
    ]


def _groups(events: Iterable[Component]) -> list[list[Event]]:
    """Events by UID (a repeating event and its moved occurrences share one)."""
    groups: dict[str, list[Event]] = {}
    for index, event in enumerate(events):
        if not isinstance(event, Event):  # pragma: no cover - walk("VEVENT") gives events
            continue
        uid = str(event.get("UID", "")) or f"#{index}"
        groups.setdefault(uid, []).append(event)
    return list(groups.values())


def _repeats(event: Event) -> bool:
    return "RRULE" in event or "RDATE" in event


def _occurrences(
    group: Sequence[Event],
    zone: ZoneInfo,
    window: tuple[dt.datetime, dt.datetime],
    skipped: list[Skipped],
) -> list[tuple[int, ImportedEvent]]:
    """The occurrences of one repeating event in the window."""
    series = Calendar()
    for event in group:
        series.add_component(event)
    master = next((event for event in group if _repeats(event)), group[0])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            occurrences = list(recurring_ical_events.of(series).between(*window))
    except _PROBLEMS as error:
        skipped.append(Skipped(f"repeating {_describe(master)}", _reason(error)))
        return []
    found: list[tuple[int, ImportedEvent]] = []
    uid = _uid(master)
    for occurrence in occurrences:
        if not isinstance(occurrence, Event):  # pragma: no cover - VEVENTs were asked for
            continue
        original = occurrence.get("RECURRENCE-ID") or occurrence.get("DTSTART")
        key = f"{uid}/{_instant_key(original)}"
        converted = _converted(occurrence, key, zone, skipped, occurrence=True)
        if converted is not None:
            found.append((_sequence(occurrence), converted))
    return found


def _converted(
    event: Event, key: str, zone: ZoneInfo, skipped: list[Skipped], *, occurrence: bool = False
) -> ImportedEvent | None:
    """The event as a block, or None (and why, in ``skipped``)."""
    described = _describe(event, dated=occurrence)
    try:
        return _imported(event, key, zone, described)
    except _Skip as skip:
        skipped.append(Skipped(described, str(skip)))
    except PlanError as error:
        skipped.append(Skipped(described, str(error)))
    except _PROBLEMS as error:
        problems = "; ".join(f"{name or 'a line'}: {text}" for name, text in event.errors)
        skipped.append(Skipped(described, problems or _reason(error)))
    return None


class _Skip(Exception):  # noqa: N818 - a reason to skip, not an error
    """This event becomes no block; the message says why."""


def _imported(event: Event, key: str, zone: ZoneInfo, described: str) -> ImportedEvent:
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        raise _Skip("it is cancelled")
    start_value = event.start
    if not isinstance(start_value, dt.datetime):
        raise _Skip("it is an all-day event (ML Day plans the hours of a day)")
    end_value = event.end
    if not isinstance(end_value, dt.datetime):
        raise _Skip("its end is a date without a time")
    start = _wall(start_value, zone, event.get(WALL_START))
    end = _wall(end_value, zone, event.get(WALL_END))
    if end <= start:
        raise _Skip("it takes no time")
    categories = _categories(event)
    draft = clean_draft(
        BlockDraft(
            title=_title(event),
            category=categories or DEFAULT_CATEGORY,
            start=start,
            end=end,
            notes=_notes(event),
            fixed=_flag(event, FIXED, default=IMPORTED_FIXED),
            notify=_flag(event, NOTIFY, default=True),
            deadline=_flag(event, DEADLINE, default=False),
        )
    )
    return ImportedEvent(
        uid=key,
        draft=draft,
        category=categories,
        fixed=_optional_flag(event, FIXED),
        notify=_optional_flag(event, NOTIFY),
        deadline=_optional_flag(event, DEADLINE),
        source=described,
    )


def _wall(value: dt.datetime, zone: ZoneInfo, written: object) -> dt.datetime:
    """The local wall time of a DTSTART or DTEND.

    ML Day writes a wall time that names no instant of its own (02:30 on a
    spring-forward night) in UTC, with the wall time beside it: that one is
    used as long as it still means the same instant (no other program moved
    the event since).
    """
    if value.tzinfo is None:
        return value.replace(second=0, microsecond=0)
    wall = to_wall(value, zone)
    if written is not None:
        try:
            stated = dt.datetime.strptime(str(written), WALL_FORMAT)  # noqa: DTZ007 - a wall time
        except ValueError:
            return wall
        if to_instant(stated, zone).astimezone(dt.UTC) == value.astimezone(dt.UTC):
            return stated
    return wall


def _title(event: Event) -> str:
    text = _one_line(str(event.get("SUMMARY", "")))
    if not text:
        return UNTITLED
    return text if len(text) <= MAX_TITLE_LENGTH else text[: MAX_TITLE_LENGTH - 1] + "…"


def _notes(event: Event) -> str:
    text = str(event.get("DESCRIPTION", "")).replace("\r\n", "\n").strip()
    text = "".join(
        char for char in text if char in "\n\t" or unicodedata.category(char) not in {"Cc", "Cs"}
    )
    return text if len(text) <= MAX_NOTES_LENGTH else text[: MAX_NOTES_LENGTH - 1] + "…"


def _categories(event: Event) -> str | None:
    """The event's first category, as a category name ML Day accepts, if any."""
    try:
        names = event.categories
    except _PROBLEMS:
        return None
    for name in names:
        try:
            return clean_category_name(_one_line(str(name)))
        except PlanError:
            continue
    return None


def _flag(event: Event, name: str, *, default: bool) -> bool:
    value = _optional_flag(event, name)
    return default if value is None else value


def _optional_flag(event: Event, name: str) -> bool | None:
    value = str(event.get(name, "")).strip().upper()
    if value in {"TRUE", "FALSE"}:
        return value == "TRUE"
    return None


def _one_line(text: str) -> str:
    """``text`` with line breaks, tabs and other control characters as spaces."""
    cleaned = "".join(
        " " if unicodedata.category(char) in {"Cc", "Zl", "Zp", "Cs"} else char for char in text
    )
    return " ".join(cleaned.split())


def _uid(event: Event) -> str:
    """The event's UID as a block identity (a digest of its content if it has none)."""
    uid = _one_line(str(event.get("UID", "")))
    if not uid:
        content = "|".join(
            str(event.get(name, "")) for name in ("SUMMARY", "DTSTART", "DTEND", "DESCRIPTION")
        )
        uid = hashlib.sha256(content.encode("utf-8", "replace")).hexdigest()[:32] + "@import"
    if len(uid) > MAX_UID_LENGTH:
        uid = hashlib.sha256(uid.encode("utf-8", "replace")).hexdigest() + "@import"
    return uid


def _moment(value: object) -> object:
    """The date or date-time a property holds (None if it is broken)."""
    try:
        return getattr(value, "dt", value)
    except _PROBLEMS:
        return None


def _instant_key(value: object) -> str:
    """An occurrence's original start as text: UTC for an instant, as written otherwise."""
    moment = _moment(value)
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is not None:
            return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        return moment.strftime("%Y%m%dT%H%M%S")
    if isinstance(moment, dt.date):
        return moment.strftime("%Y%m%d")
    return _one_line(str(moment))


def _sequence(event: Event) -> int:
    try:
        return int(str(event.get("SEQUENCE", 0)))
    except ValueError:
        return 0


def _unique(
    found: Sequence[tuple[int, ImportedEvent]], skipped: list[Skipped]
) -> list[ImportedEvent]:
    """One event per identity: of several with one UID (a broken file), the one
    with the highest SEQUENCE, or the last."""
    chosen: dict[str, tuple[int, ImportedEvent]] = {}
    for sequence, event in found:
        earlier = chosen.get(event.uid)
        if earlier is not None:
            dropped = event if earlier[0] > sequence else earlier[1]
            skipped.append(Skipped(dropped.source, "the file holds another version of it"))
            if earlier[0] > sequence:
                continue
        chosen[event.uid] = (sequence, event)
    events = [event for _, event in chosen.values()]
    events.sort(key=lambda event: (event.draft.start, event.draft.end, event.draft.title))
    return events


def _describe(event: Event, *, dated: bool = False) -> str:
    title = _one_line(str(event.get("SUMMARY", ""))) or UNTITLED.lower()
    if len(title) > 60:
        title = title[:59] + "…"
    text = f'event "{title}"'
    if dated:
        start = _moment(event.get("DTSTART"))
        if isinstance(start, dt.date):
            text += f" on {start:%a %d %b %Y}"
    return text


def _reason(error: BaseException) -> str:
    if isinstance(error, KeyError) and error.args:
        return f"it has no {error.args[0]}"
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 160 else text[:159] + "…"

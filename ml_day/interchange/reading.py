"""Reading a calendar file without letting one bad line lose the rest.

``icalendar`` rejects a whole calendar for one property it cannot parse in a
component that is not an event: a railway's export with ``TRIGGER:PT-2H`` in
its alarms makes ``Calendar.from_ical`` fail on the first of them. Here the
file is read whole when it can be; when it cannot, each top-level component
(event, time zone, ...) is tried on its own, a component whose alarm (or other
part) is bad keeps the rest, and what had to be left out is listed with the
reason. A file that is not iCalendar at all, is binary, is not UTF-8 or stops
before its first event gets one clear sentence (:class:`CalendarFileError`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

from icalendar import Calendar
from icalendar.parser import Contentline, Contentlines
from icalendar.prop import vText

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Larger files are refused: a year of a busy calendar is a few megabytes."""
MAX_REASON_LENGTH = 160
_PARSE_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)
"""What ``icalendar`` raises for content it cannot read; anything else is a bug."""


class CalendarFileError(ValueError):
    """The file cannot be read as a calendar at all; the message is one line,
    meant for the user, and says why."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A part of the file left out, and why."""

    what: str
    """What it was, for the user: 'event "Train to Utrecht"', 'the alarm of event "x"'."""
    reason: str


@dataclass(frozen=True, slots=True)
class CalendarFile:
    """A calendar read from a file, with what had to be left out."""

    calendar: Calendar
    skipped: tuple[Skipped, ...] = ()
    producer: str = ""
    """The PRODID: which program wrote the file."""


@dataclass(slots=True)
class _Part:
    """A top-level component's content lines, and the spans of its own parts."""

    name: str
    lines: list[str]
    children: list[tuple[int, int]] = field(default_factory=list)
    """``(first, last)`` line indexes of each direct subcomponent (an alarm)."""
    problem: str = ""
    """Why it cannot be read at all (the file stops in the middle of it)."""


def read_calendar(data: bytes) -> CalendarFile:
    """The calendar in ``data`` (a whole file's bytes).

    Raises :class:`CalendarFileError` when there is nothing to read.
    """
    text = _text(data)
    try:
        lines = [str(line) for line in Contentlines.from_ical(text) if line]  # type: ignore[no-untyped-call]
    except ValueError as error:  # pragma: no cover - only for non-text input, refused above
        raise CalendarFileError(f"it is not an iCalendar file ({_short(error)})") from error
    header, parts, skipped = _split(lines)
    producer = _value_of(header, "PRODID")
    whole = not any(part.problem for part in parts) and not skipped
    if whole:
        try:
            return CalendarFile(_parse(text), (), producer)
        except _PARSE_ERRORS:
            pass  # read part by part below, to say what is wrong and keep the rest
    return _read_by_parts(header, parts, skipped, producer)


def _text(data: bytes) -> str:
    if not data.strip():
        raise CalendarFileError("the file is empty")
    if len(data) > MAX_FILE_BYTES:
        size = len(data) / 1024 / 1024
        limit = MAX_FILE_BYTES // 1024 // 1024
        raise CalendarFileError(f"the file is too large ({size:.0f} MB; at most {limit} MB)")
    if b"\x00" in data[:65536]:
        raise CalendarFileError("it is a binary file, not an iCalendar file")
    starts_right = data.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if not starts_right:
            raise CalendarFileError("it is not an iCalendar file") from error
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        raise CalendarFileError(
            f"it is not UTF-8 text (byte 0x{byte:02X} on line {line}); iCalendar files are UTF-8"
        ) from error
    if not starts_right:
        raise CalendarFileError(
            "it is not an iCalendar file (it does not begin with BEGIN:VCALENDAR)"
        )
    return text


def _split(lines: Sequence[str]) -> tuple[list[str], list[_Part], list[Skipped]]:
    """The calendar's own properties and its top-level components.

    Several calendars in one file (some exports concatenate them) are read as
    one. A component the file stops in the middle of, or whose END lines do
    not match its BEGIN lines, is marked with the problem.
    """
    splitter = _Splitter()
    for line in lines:
        keyword, _, value = line.partition(":")
        keyword = keyword.split(";", 1)[0].strip().upper()
        if keyword == "BEGIN":
            splitter.begin(line, value.strip().upper())
        elif keyword == "END":
            splitter.end(line, value.strip().upper())
        else:
            splitter.property(line)
    return splitter.finish()


class _Splitter:
    """Follows BEGIN and END through a file's content lines."""

    def __init__(self) -> None:
        self.header: list[str] = []
        self.parts: list[_Part] = []
        self.skipped: list[Skipped] = []
        self.stack: list[str] = []
        self.calendars = 0
        self.current: _Part | None = None
        self.child_start = 0

    def begin(self, line: str, name: str) -> None:
        self.stack.append(name)
        depth = len(self.stack)
        if depth == 1:
            self.calendars += 1
        elif depth == 2:
            self.current = _Part(name, [line])
        elif self.current is not None:
            if depth == 3:
                self.child_start = len(self.current.lines)
            self.current.lines.append(line)

    def end(self, line: str, name: str) -> None:
        if name not in self.stack:
            self.skipped.append(Skipped(f"the line {_shown(line)}", "it closes nothing"))
            return
        matched = self.stack[-1] == name
        while self.stack.pop() != name:
            pass
        depth = len(self.stack)
        current = self.current
        if current is None:
            return
        if depth >= 1:
            current.lines.append(line)
        if not matched:
            current.problem = f"{_shown(line)} closes it before its own parts are closed"
        if depth <= 1:
            self.parts.append(current)
            self.current = None
        elif depth == 2 and matched:
            current.children.append((self.child_start, len(current.lines) - 1))

    def property(self, line: str) -> None:
        if len(self.stack) == 1 and self.calendars == 1:
            self.header.append(line)
        elif self.current is not None:
            self.current.lines.append(line)

    def finish(self) -> tuple[list[str], list[_Part], list[Skipped]]:
        if self.current is not None:
            self.current.problem = "the file ends in the middle of it (it is cut short)"
            self.parts.append(self.current)
        elif self.stack:
            self.skipped.append(
                Skipped(
                    "the end of the file", "END:VCALENDAR is missing (the file may be cut short)"
                )
            )
        return self.header, self.parts, self.skipped


def _read_by_parts(
    header: list[str], parts: list[_Part], skipped: list[Skipped], producer: str
) -> CalendarFile:
    header = _good_header(header, skipped)
    timezones: list[str] = []
    kept: list[str] = []
    for part in parts:
        what = _describe(part)
        if part.problem:
            skipped.append(Skipped(what, part.problem))
            continue
        lines, problems = _good_lines(header, timezones, part, what)
        skipped.extend(problems)
        if lines is None:
            continue
        if part.name == "VTIMEZONE":
            timezones.extend(lines)
        else:
            kept.extend(lines)
    if parts and all(part.problem for part in parts):
        raise CalendarFileError("the file is cut short: it ends in the middle of its first entry")
    try:
        calendar = _parse(_joined(header, [*timezones, *kept]))
    except _PARSE_ERRORS as error:
        raise CalendarFileError(f"it could not be read as a calendar ({_short(error)})") from error
    return CalendarFile(calendar, tuple(skipped), producer)


def _good_header(header: list[str], skipped: list[Skipped]) -> list[str]:
    """The calendar's properties that parse (a bad one is left out and listed)."""
    if _parses(_joined(header, [])):
        return header
    good = []
    for line in header:
        error = _error_of(_joined([line], []))
        if error is None:
            good.append(line)
        else:
            name = line.partition(":")[0].split(";", 1)[0]
            skipped.append(Skipped(f"the calendar's {name}", error))
    return good


def _good_lines(
    header: list[str], timezones: list[str], part: _Part, what: str
) -> tuple[list[str] | None, list[Skipped]]:
    """``part``'s lines as they can be kept, and what was left out of them:
    the whole part if it parses, else the part without its bad alarms (or
    other subcomponents), else nothing."""
    error = _error_of(_joined(header, [*timezones, *part.lines]))
    if error is None:
        return part.lines, []
    problems: list[Skipped] = []
    lines = list(part.lines)
    for first, last in reversed(part.children):
        child = lines[first : last + 1]
        without = lines[:first] + lines[last + 1 :]
        child_error = _error_of(_joined(header, [*timezones, *child]))
        if _parses(_joined(header, [*timezones, *without])) or child_error is not None:
            child_name = child[0].partition(":")[2].strip().lower() or "part"
            reason = child_error or error
            if child_name.startswith("v"):
                child_name = child_name[1:]
            problems.append(Skipped(f"the {child_name} of {what}", reason))
            lines = without
    if problems and _parses(_joined(header, [*timezones, *lines])):
        problems.reverse()
        return lines, problems
    return None, [Skipped(what, error)]


def _parse(text: str) -> Calendar:
    with warnings.catch_warnings():
        # Notes about guessed time zone names and the like, not errors.
        warnings.simplefilter("ignore")
        calendars = Calendar.from_ical(text, multiple=True)
    if not calendars:
        msg = "it holds no calendar"
        raise ValueError(msg)
    first = calendars[0]
    for other in calendars[1:]:
        for component in other.subcomponents:
            first.add_component(component)
    return first


def _parses(text: str) -> bool:
    return _error_of(text) is None


def _error_of(text: str) -> str | None:
    try:
        _parse(text)
    except _PARSE_ERRORS as error:
        return _short(error)
    return None


def _joined(header: list[str], lines: list[str]) -> str:
    return "\r\n".join(["BEGIN:VCALENDAR", *header, *lines, "END:VCALENDAR", ""])


def _describe(part: _Part) -> str:
    """'event "Standup"', 'time zone Europe/Berlin', 'task "Buy milk"'."""
    kind = {
        "VEVENT": "event",
        "VTODO": "task",
        "VJOURNAL": "journal entry",
        "VTIMEZONE": "time zone",
        "VFREEBUSY": "free/busy list",
    }.get(part.name, part.name.lower()) or "unnamed part"
    if part.name == "VTIMEZONE":
        return f"{kind} {_value_of(part.lines, 'TZID') or '(unnamed)'}"
    summary = _value_of(part.lines, "SUMMARY")
    if summary:
        return f'{kind} "{_clipped(summary, 60)}"'
    uid = _value_of(part.lines, "UID")
    if uid:
        return f"{kind} {_clipped(uid, 60)}"
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _value_of(lines: Sequence[str], name: str) -> str:
    """The (unescaped) value of the first property ``name`` among ``lines``."""
    for line in lines:
        if line.partition(":")[0].split(";", 1)[0].strip().upper() != name:
            continue
        try:
            _name, _params, value = Contentline(line).parts()  # type: ignore[no-untyped-call]
            return str(vText.from_ical(value)).strip()
        except ValueError:
            return line.partition(":")[2].strip()
    return ""


def _shown(line: str) -> str:
    return _clipped(line.strip(), 40)


def _clipped(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _short(error: BaseException) -> str:
    """An exception as a short, one-line reason."""
    text = " ".join(str(error).split()) or type(error).__name__
    return _clipped(text, MAX_REASON_LENGTH)

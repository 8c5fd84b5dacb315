"""Broken files: one clear sentence when nothing can be read, and when one part
is bad, the rest still read with what was left out and why."""

from __future__ import annotations

import pytest

from ml_day.interchange.reading import CalendarFileError, read_calendar


def ics(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def event(uid: str, summary: str, day: str, *extra: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"SUMMARY:{summary}",
        f"DTSTART:{day}T080000Z",
        f"DTEND:{day}T090000Z",
        *extra,
        "END:VEVENT",
    ]


RAILWAY_ALARM = [
    "BEGIN:VALARM",
    "TRIGGER:PT-2H",
    "ACTION:DISPLAY",
    "DESCRIPTION:Train",
    "END:VALARM",
]
"""A railway's export: a negative duration written after the T, which
``icalendar`` refuses, and with it the whole calendar."""


def railway_file() -> bytes:
    return ics(
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Railway//Trip planner//NL",
        *event("trip-1", "Train to Utrecht", "20260310", *RAILWAY_ALARM),
        *event("trip-2", "Train to Amsterdam", "20260311"),
        "END:VCALENDAR",
    )


def uids(data: bytes) -> list[str]:
    return [str(item["UID"]) for item in read_calendar(data).calendar.walk("VEVENT")]


def test_icalendar_alone_rejects_the_railway_file() -> None:
    from icalendar import Calendar

    with pytest.raises(ValueError, match="PT-2H"):
        Calendar.from_ical(railway_file())


def test_a_bad_alarm_costs_the_alarm_only() -> None:
    read = read_calendar(railway_file())
    assert uids(railway_file()) == ["trip-1", "trip-2"]
    assert [(item.what, item.reason) for item in read.skipped] == [
        ('the alarm of event "Train to Utrecht"', "Invalid iCalendar duration: PT-2H")
    ]
    assert read.producer == "-//Railway//Trip planner//NL"
    first = read.calendar.walk("VEVENT")[0]
    assert first.subcomponents == []


def test_a_file_cut_short_keeps_the_events_before_the_cut() -> None:
    whole = railway_file()
    cut = whole[: whole.index(b"DTEND:20260311")]
    read = read_calendar(cut)
    assert [str(item["UID"]) for item in read.calendar.walk("VEVENT")] == ["trip-1"]
    reasons = {item.what: item.reason for item in read.skipped}
    assert reasons['event "Train to Amsterdam"'] == (
        "the file ends in the middle of it (it is cut short)"
    )


def test_a_file_cut_before_its_first_event_ends_is_refused() -> None:
    whole = railway_file()
    with pytest.raises(CalendarFileError, match="cut short"):
        read_calendar(whole[: whole.index(b"SUMMARY:Train to Utrecht")])


def test_a_missing_end_of_calendar_is_noted_but_harmless() -> None:
    whole = railway_file()
    read = read_calendar(whole.replace(b"END:VCALENDAR\r\n", b""))
    assert len(read.calendar.walk("VEVENT")) == 2
    assert "the end of the file" in [item.what for item in read.skipped]


def test_one_bad_property_among_good_events_skips_that_event_only() -> None:
    data = ics(
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Test//EN",
        "BEGIN:VTIMEZONE",
        "TZID:Broken/Zone",
        "BEGIN:STANDARD",
        "DTSTART:20260101T000000",
        "TZOFFSETFROM:+25:00",
        "TZOFFSETTO:not-an-offset",
        "END:STANDARD",
        "END:VTIMEZONE",
        *event("good-1", "Standup", "20260310"),
        *event("good-2", "Review", "20260311"),
        "END:VCALENDAR",
    )
    read = read_calendar(data)
    assert [str(item["UID"]) for item in read.calendar.walk("VEVENT")] == ["good-1", "good-2"]
    assert [item.what for item in read.skipped] == ["time zone Broken/Zone"]
    assert "not-an-offset" in read.skipped[0].reason or "offset" in read.skipped[0].reason.lower()


def test_end_lines_that_do_not_match_skip_that_event() -> None:
    broken = event("bad", "Broken", "20260312", "BEGIN:VALARM", "TRIGGER:-PT5M")
    data = ics(
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        *broken,
        *event("good", "Fine", "20260313"),
        "END:VCALENDAR",
    )
    read = read_calendar(data)
    assert [str(item["UID"]) for item in read.calendar.walk("VEVENT")] == ["good"]
    assert read.skipped[0].what == 'event "Broken"'
    assert "closes it before its own parts are closed" in read.skipped[0].reason


def test_several_calendars_in_one_file_are_read_as_one() -> None:
    data = ics(
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        *event("a", "First", "20260310"),
        "END:VCALENDAR",
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        *event("b", "Second", "20260311"),
        "END:VCALENDAR",
    )
    assert uids(data) == ["a", "b"]


def test_an_empty_calendar_is_not_an_error() -> None:
    read = read_calendar(ics("BEGIN:VCALENDAR", "VERSION:2.0", "END:VCALENDAR"))
    assert read.calendar.walk("VEVENT") == []
    assert read.skipped == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"", "the file is empty", id="empty"),
        pytest.param(b"  \r\n\r\n", "the file is empty", id="blank"),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "it is a binary file, not an iCalendar file",
            id="binary",
        ),
        pytest.param(
            b"Subject,Start Date,Start Time\r\nLunch,2026-03-10,12:00\r\n",
            "it is not an iCalendar file (it does not begin with BEGIN:VCALENDAR)",
            id="csv",
        ),
        pytest.param(
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Caf\xe9\r\n",
            "it is not UTF-8 text (byte 0xE9 on line 4); iCalendar files are UTF-8",
            id="latin-1",
        ),
        pytest.param(
            "Lunch at the café".encode("cp1252"), "it is not an iCalendar file", id="cp1252-text"
        ),
    ],
)
def test_files_that_are_no_calendar_get_one_clear_line(data: bytes, message: str) -> None:
    with pytest.raises(CalendarFileError) as raised:
        read_calendar(data)
    assert str(raised.value) == message
    assert "\n" not in str(raised.value)


def test_a_byte_order_mark_is_fine() -> None:
    data = b"\xef\xbb\xbf" + ics(
        "BEGIN:VCALENDAR", *event("a", "First", "20260310"), "END:VCALENDAR"
    )
    assert uids(data) == ["a"]


def test_a_part_without_a_name_is_named_in_the_report() -> None:
    data = ics("BEGIN:VCALENDAR", *event("a", "First", "20260310"), "BEGIN:", "UID:x")
    read = read_calendar(data)
    assert uids(data) == ["a"]
    assert ("unnamed part x", "the file ends in the middle of it (it is cut short)") in [
        (item.what, item.reason) for item in read.skipped
    ]

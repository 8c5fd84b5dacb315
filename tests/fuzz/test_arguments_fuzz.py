"""The command-line grammar against random values and random argument lists:
every value is either understood exactly or refused with one short line, and
the parser never raises anything but SystemExit."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ml_day.cli.arguments import (
    EXIT_USAGE,
    MAX_BLOCK_ID,
    build_parser,
    parse_date,
    parse_end,
    parse_id,
    parse_time,
)
from ml_day.core.blocks import FIRST_DAY, LAST_DAY
from tests.fuzz.strategies import fuzz, nasty_text

ASCII_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})")
MESSAGE_LIMIT = 200
"""A value's refusal is a short message, whatever the value (it is quoted, cut)."""


def assert_short_line(message: str) -> None:
    assert message
    assert "\n" not in message and "\r" not in message
    assert message.isprintable(), repr(message)
    assert len(message) <= MESSAGE_LIMIT, len(message)


date_like = st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z") | st.dates().map(str)
time_like = st.from_regex(r"\A\s?[0-9]{1,3}:[0-9]{1,3}\s?\Z")


# ---------------------------------------------------------------- values
@fuzz()
@given(nasty_text | date_like)
@example("2026-02-30")
@example("2026-13-01")
@example("0001-01-01")
@example("9999-12-31")
@example("٢٠٢٦-٠٢-٠١")
@example("2026-11-27\n")
def test_a_date_is_read_exactly_or_refused_in_one_line(text: str) -> None:
    try:
        day = parse_date(text)
    except argparse.ArgumentTypeError as error:
        assert_short_line(str(error))
        return
    assert day.isoformat() == text
    assert FIRST_DAY <= day <= LAST_DAY


@fuzz()
@given(st.dates())
def test_every_date_is_read_back_or_refused_as_out_of_range(day: dt.date) -> None:
    if FIRST_DAY <= day <= LAST_DAY:
        assert parse_date(day.isoformat()) == day
    else:
        with pytest.raises(argparse.ArgumentTypeError, match="outside the days ML Day plans"):
            parse_date(day.isoformat())


@fuzz()
@given(nasty_text | time_like)
@example("25:00")
@example("24:00")
@example("12:60")
@example("٠٩:٠٠")
@example("9:5")
def test_a_time_is_read_exactly_or_refused_in_one_line(text: str) -> None:
    try:
        time = parse_time(text)
    except argparse.ArgumentTypeError as error:
        assert_short_line(str(error))
        return
    match = ASCII_TIME.fullmatch(text.strip())
    assert match is not None
    assert (time.hour, time.minute) == (int(match[1]), int(match[2]))
    assert time.second == time.microsecond == 0


@fuzz()
@given(st.integers(0, 23), st.integers(0, 59), st.booleans())
def test_every_time_of_day_is_read_back(hour: int, minute: int, next_day: bool) -> None:
    text = f"{hour:02d}:{minute:02d}"
    assert parse_time(text) == dt.time(hour, minute)
    end = parse_end(text + ("+1" if next_day else ""))
    assert (end.time, end.next_day) == (dt.time(hour, minute), next_day)


@fuzz()
@given(nasty_text | time_like.map(lambda text: text + "+1"))
@example("06:00+1")
@example("06:00+2")
@example("+1")
def test_an_end_is_read_or_refused_in_one_line(text: str) -> None:
    try:
        end = parse_end(text)
    except argparse.ArgumentTypeError as error:
        assert_short_line(str(error))
        return
    assert end.next_day == text.strip().endswith("+1")
    assert parse_time(text.strip().removesuffix("+1")) == end.time


@fuzz()
@given(nasty_text | st.integers(-5, 2**70).map(str) | st.from_regex(r"\A[0-9]{1,40}\Z"))
@example("²")
@example("٣")
@example("0")
@example("007")
@example(str(MAX_BLOCK_ID + 1))
@example("9" * 5000)
def test_an_id_is_read_exactly_or_refused_in_one_line(text: str) -> None:
    try:
        block_id = parse_id(text)
    except argparse.ArgumentTypeError as error:
        assert_short_line(str(error))
        return
    assert text.isascii() and text.isdigit()
    assert int(text) == block_id
    assert 0 < block_id <= MAX_BLOCK_ID


# ---------------------------------------------------------------- whole argument lists
COMMANDS = (
    "agenda",
    "add",
    "move",
    "resize",
    "remove",
    "autostart",
    "notify-test",
    "install-desktop",
    "uninstall-desktop",
    "frobnicate",
)
OPTIONS = (
    "--date",
    "--start",
    "--end",
    "--category",
    "--json",
    "--data-dir",
    "--show-today",
    "--new-block",
    "--version",
    "--help",
    "-h",
    "--st",
    "--da",
    "--json=yes",
    "--start=09:00",
    "--",
    "-",
    "-1",
)
VALUES = (
    "2026-11-27",
    "2026-02-30",
    "09:00",
    "25:00",
    "06:00+1",
    "1",
    "0",
    "-3",
    "on",
    "status",
    "",
)
PARSER = build_parser()
"""Built once: parsing leaves the parser as it was."""
token = (
    st.sampled_from(COMMANDS)
    | st.sampled_from(OPTIONS)
    | st.sampled_from(VALUES)
    | nasty_text
    | date_like
    | time_like
)


@fuzz(weight=2)
@given(st.lists(token, max_size=8))
@example(["add", "Lunch", "--start", "12:00", "--end", "13:00"])
@example(["agenda", "--date", "2026-11-27\nsecond line"])
@example(["move", "1", "--start", "9:00", "unexpected\x1b[2Jextra"])
@example(["frobnicate" * 2000])
def test_any_argument_list_parses_or_exits_with_one_line(argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            args = PARSER.parse_args(argv)
        except SystemExit as exit_:
            status = exit_.code
        else:
            status = None
    if status is None:
        assert out.getvalue() == err.getvalue() == ""
        assert_parsed_types(args)
    elif status == 0:  # --help or --version
        assert out.getvalue() and err.getvalue() == ""
    else:
        assert status == EXIT_USAGE
        assert out.getvalue() == ""
        lines = err.getvalue().split("\n")
        assert len(lines) == 2 and lines[1] == "", err.getvalue()[:300]
        assert lines[0].startswith("ml-day: error: ")
        assert lines[0].endswith("(see 'ml-day --help')")
        assert lines[0].isprintable()
        assert len(lines[0]) <= 500


def assert_parsed_types(args: argparse.Namespace) -> None:
    """What the commands rely on: each value already of its type."""
    date = getattr(args, "date", None)
    assert date is None or (isinstance(date, dt.date) and FIRST_DAY <= date <= LAST_DAY)
    start = getattr(args, "start", None)
    assert start is None or isinstance(start, dt.time)
    block_id = getattr(args, "id", None)
    assert block_id is None or (isinstance(block_id, int) and 0 < block_id <= MAX_BLOCK_ID)
    if args.command in {"add", "move"}:
        assert isinstance(args.start, dt.time)
    if args.command == "add":
        assert isinstance(args.title, str)

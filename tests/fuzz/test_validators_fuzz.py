"""The block validators against any text and any date-time: each value is either
stored in a normal form (valid again, unchanged by a second pass) or refused
with a one-line PlanError, never another exception."""

from __future__ import annotations

import datetime as dt
import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from ml_day.core.blocks import (
    FIRST_DAY,
    LAST_DAY,
    MAX_CATEGORY_NAME_LENGTH,
    MAX_DURATION,
    MAX_NOTES_LENGTH,
    MAX_TITLE_LENGTH,
    MIN_DURATION,
    BlockDraft,
    PlanError,
    check_span,
    clean_category_name,
    clean_colour,
    clean_draft,
    clean_notes,
    clean_title,
)
from tests.fuzz.strategies import fuzz, nasty_text, titles

ONE_LINE_BREAKERS = frozenset({"Cc", "Zl", "Zp", "Cs"})


def assert_one_line(error: PlanError) -> None:
    message = str(error)
    assert message and message == message.strip()
    assert message.isprintable(), repr(message)
    assert len(message) < 120


def categories_of(text: str) -> set[str]:
    return {unicodedata.category(char) for char in text}


@fuzz(weight=3)
@given(titles)
@example("")
@example(" \u3000 ")
@example("Lunch\n")
@example("Lunch\nwith the team")
@example("Lunch\x00")
@example("Lunch \u2028 team")
@example("\udcffLunch")
@example("x" * 10_000_000)
@example("مرحبا بالعالم")
@example("👩\u200d💻 deep work 🚀")
def test_a_title_is_stored_one_line_and_normalised_or_refused(title: str) -> None:
    try:
        clean = clean_title(title)
    except PlanError as error:
        assert_one_line(error)
        return
    assert clean == clean.strip() and clean
    assert len(clean) <= MAX_TITLE_LENGTH
    assert not categories_of(clean) & ONE_LINE_BREAKERS
    assert unicodedata.is_normalized("NFC", clean)
    assert clean_title(clean) == clean
    assert clean.encode("utf-8").decode("utf-8") == clean  # storable as SQLite text


def test_right_to_left_and_emoji_titles_are_kept_exactly() -> None:
    for title in ("مرحبا بالعالم", "שלום עולם", "👩\u200d💻 deep work 🚀", "Café ☕ 12:00"):
        assert clean_title(title) == title


@fuzz(weight=2)
@given(nasty_text | st.text(max_size=60))
def test_a_category_name_is_one_lower_case_line_or_refused(name: str) -> None:
    try:
        clean = clean_category_name(name)
    except PlanError as error:
        assert_one_line(error)
        return
    assert clean == clean.strip().lower() and clean
    assert len(clean) <= MAX_CATEGORY_NAME_LENGTH
    assert not categories_of(clean) & ONE_LINE_BREAKERS
    assert clean_category_name(clean) == clean


@fuzz(weight=2)
@given(nasty_text | st.text())
@example("line one\r\nline two\ttabbed")
@example("a\x00b")
@example("y" * (MAX_NOTES_LENGTH + 1))
def test_notes_keep_lines_and_tabs_and_refuse_other_controls(notes: str) -> None:
    try:
        clean = clean_notes(notes)
    except PlanError as error:
        assert_one_line(error)
        return
    assert len(clean) <= MAX_NOTES_LENGTH
    assert "\r\n" not in clean
    assert all(unicodedata.category(char) not in {"Cc", "Cs"} or char in "\n\t" for char in clean)
    assert clean_notes(clean) == clean


@fuzz()
@given(nasty_text | st.from_regex(r"\A#[0-9a-fA-Fg]{5,7}\Z"))
@example("#3A7BD5")
@example("#3a7bd5\n")
def test_a_colour_is_lower_case_hex_or_refused(colour: str) -> None:
    try:
        clean = clean_colour(colour)
    except PlanError as error:
        assert_one_line(error)
        return
    assert len(clean) == 7 and clean[0] == "#"
    int(clean[1:], 16)
    assert clean == clean.lower() == colour.lower()


@fuzz(weight=2)
@given(st.datetimes(), st.datetimes())
@example(dt.datetime(1, 1, 1), dt.datetime(1, 1, 1, 0, 30))
@example(dt.datetime(9999, 12, 31, 23, 0), dt.datetime(9999, 12, 31, 23, 59))
@example(dt.datetime(9998, 12, 31, 23, 0), dt.datetime(9999, 1, 1, 1, 0))
@example(dt.datetime(9999, 1, 1, 1, 0), dt.datetime(9999, 1, 1, 2, 0))
def test_any_span_is_accepted_only_inside_the_plannable_days(
    start: dt.datetime, end: dt.datetime
) -> None:
    try:
        check_span(start, end)
    except PlanError as error:
        assert_one_line(error)
        return
    assert FIRST_DAY <= start.date() <= LAST_DAY  # a block may end the day after
    assert MIN_DURATION <= end - start <= MAX_DURATION


@fuzz(weight=2)
@given(
    titles,
    nasty_text | st.sampled_from(["meal", "Deep-Work", " general "]),
    st.datetimes(dt.datetime(1899, 12, 30), dt.datetime(9999, 1, 2)),
    st.timedeltas(dt.timedelta(minutes=-30), dt.timedelta(hours=25)),
    nasty_text,
)
def test_a_draft_is_cleaned_into_a_valid_draft_or_refused(
    title: str, category: str, start: dt.datetime, length: dt.timedelta, notes: str
) -> None:
    end = start + length
    raw = BlockDraft(title=title, category=category, start=start, end=end, notes=notes)
    try:
        clean = clean_draft(raw)
    except PlanError as error:
        assert_one_line(error)
        return
    assert clean_draft(clean) == clean
    assert clean.start == start.replace(second=0, microsecond=0)
    assert clean.end == end.replace(second=0, microsecond=0)

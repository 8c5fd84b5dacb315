"""Validation of blocks, and the day templates (the shipped "ML engineer" one above all)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ml_day.core.blocks import (
    MAX_TITLE_LENGTH,
    Block,
    BlockDraft,
    Category,
    PlanError,
    check_span,
    clean_category_name,
    clean_colour,
    clean_draft,
    clean_notes,
    clean_title,
)
from ml_day.core.templates import (
    Template,
    TemplateBlock,
    TemplateDocument,
    instantiate,
    parse_template_document,
)
from ml_day.resources import BUILTIN_TEMPLATE, read_resource_text

DAY = dt.date(2026, 5, 4)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def draft(**changes: Any) -> BlockDraft:
    values: dict[str, Any] = {
        "title": "Deep work",
        "category": "deep-work",
        "start": at(DAY, 10),
        "end": at(DAY, 12),
    }
    values.update(changes)
    return BlockDraft(**values)


def one_line(error: BaseException) -> str:
    text = str(error)
    assert text
    assert "\n" not in text
    assert "\r" not in text
    return text


# ---------------------------------------------------------------- titles


@pytest.mark.parametrize("title", ["", " ", "   \t  ", "\n\n", "\u3000"])
def test_an_empty_title_is_refused(title: str) -> None:
    with pytest.raises(PlanError) as caught:
        clean_title(title)
    assert one_line(caught.value) == "the title is empty"


def test_a_ten_megabyte_title_is_refused_with_a_short_one_line_message() -> None:
    title = "deep work\n" * 1_000_000
    assert len(title.encode()) == 10_000_000
    with pytest.raises(PlanError) as caught:
        clean_title(title)
    message = one_line(caught.value)
    assert "too long" in message
    assert str(MAX_TITLE_LENGTH) in message
    assert len(message) < 200
    assert "deep work" not in message


def test_the_longest_allowed_title() -> None:
    assert clean_title("x" * MAX_TITLE_LENGTH) == "x" * MAX_TITLE_LENGTH
    with pytest.raises(PlanError, match="too long"):
        clean_title("x" * (MAX_TITLE_LENGTH + 1))


@pytest.mark.parametrize(
    "title", ["Lunch\x00", "Lunch\nwith the team", "Lunch\twith", "a\x1b[31mred", "x\x7f"]
)
def test_control_characters_in_a_title_are_refused(title: str) -> None:
    with pytest.raises(PlanError) as caught:
        clean_title(title)
    assert "control characters" in one_line(caught.value)


@pytest.mark.parametrize(
    "title",
    [
        "اجتماع الفريق",  # Arabic, right to left
        "ישיבת צוות",  # Hebrew
        "Lunch 🍕 with the team 👩‍💻",  # emoji with a zero-width joiner
        "Déjà vu: naïve café",
        "深度工作",
        "\u200fRTL mark first",
    ],
)
def test_international_titles_are_kept_as_written(title: str) -> None:
    assert clean_title(title) == title
    assert clean_title(f"  {title}  ") == title


def test_titles_are_normalised_to_composed_form() -> None:
    decomposed = "Cafe\u0301"
    assert clean_title(decomposed) == "Caf\u00e9"
    assert clean_title(clean_title(decomposed)) == "Caf\u00e9"


# ---------------------------------------------------------------- spans


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(PlanError) as caught:
        check_span(at(DAY, 13), at(DAY, 12))
    assert one_line(caught.value) == "the end (12:00) is not after the start (13:00)"


def test_an_end_equal_to_the_start_is_refused() -> None:
    with pytest.raises(PlanError, match="not after the start"):
        check_span(at(DAY, 13), at(DAY, 13))


def test_a_block_shorter_than_five_minutes_is_refused() -> None:
    with pytest.raises(PlanError) as caught:
        check_span(at(DAY, 13), at(DAY, 13, 4))
    assert one_line(caught.value) == "a block lasts at least 5 minutes"
    check_span(at(DAY, 13), at(DAY, 13, 5))


def test_a_block_longer_than_a_day_is_refused() -> None:
    with pytest.raises(PlanError) as caught:
        check_span(at(DAY, 13), at(DAY + dt.timedelta(days=1), 13, 1))
    assert one_line(caught.value) == "a block lasts at most 24 hours"
    check_span(at(DAY, 13), at(DAY + dt.timedelta(days=1), 13))


def test_a_span_across_midnight_is_fine() -> None:
    check_span(at(DAY, 22, 30), at(DAY + dt.timedelta(days=1), 6))


def test_a_span_with_a_zone_is_a_programming_error() -> None:
    aware = at(DAY, 10).replace(tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="without a zone") as caught:
        check_span(aware, at(DAY, 11).replace(tzinfo=dt.UTC))
    assert not isinstance(caught.value, PlanError)
    with pytest.raises(ValueError, match="without a zone"):
        check_span(at(DAY, 10), at(DAY, 11).replace(tzinfo=dt.UTC))


# ---------------------------------------------------------------- drafts


def test_clean_draft_normalises_everything() -> None:
    raw = draft(
        title="  Deep work  ",
        category="  Deep-Work ",
        start=dt.datetime(2026, 5, 4, 10, 0, 42, 123),
        end=dt.datetime(2026, 5, 4, 12, 0, 59, 999_999),
        notes="  first line\r\nsecond line\n",
        fixed=True,
        notify=False,
        deadline=True,
    )
    assert clean_draft(raw) == BlockDraft(
        title="Deep work",
        category="deep-work",
        start=at(DAY, 10),
        end=at(DAY, 12),
        notes="first line\nsecond line",
        fixed=True,
        notify=False,
        deadline=True,
    )


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"title": ""}, "title is empty"),
        ({"category": "  "}, "category name is empty"),
        ({"category": "x" * 41}, "category name is too long"),
        ({"category": "a\x00b"}, "control characters"),
        ({"end": at(DAY, 9)}, "not after the start"),
        ({"end": at(DAY, 10, 3)}, "at least 5 minutes"),
        ({"notes": "x" * 20_001}, "notes are too long"),
        ({"notes": "bell\x07"}, "control characters"),
    ],
)
def test_clean_draft_refuses_bad_values(changes: dict[str, Any], fragment: str) -> None:
    with pytest.raises(PlanError) as caught:
        clean_draft(draft(**changes))
    assert fragment in one_line(caught.value)


def test_notes_keep_line_breaks_and_tabs() -> None:
    assert clean_notes("a\n\tb") == "a\n\tb"
    assert clean_notes("") == ""


def test_category_names_and_colours() -> None:
    assert clean_category_name(" Deep-Work ") == "deep-work"
    assert clean_colour("#3A7BD5") == "#3a7bd5"
    for bad in ("3a7bd5", "#3a7bd", "#3a7bd55", "red", "#ggg000", ""):
        with pytest.raises(PlanError) as caught:
            clean_colour(bad)
        assert "is not a colour" in one_line(caught.value)


def test_a_block_gives_back_its_draft() -> None:
    stored = Block(
        id=7,
        title="Sleep",
        category=Category(name="sleep", colour="#3c4a6b", silent=True),
        start=at(DAY, 22, 30),
        end=at(DAY + dt.timedelta(days=1), 6),
        notes="lights out",
        notify=False,
        done=True,
    )
    assert stored.crosses_midnight
    assert stored.draft() == BlockDraft(
        title="Sleep",
        category="sleep",
        start=at(DAY, 22, 30),
        end=at(DAY + dt.timedelta(days=1), 6),
        notes="lights out",
        notify=False,
    )


@settings(max_examples=200, deadline=None, database=None)
@given(
    title=st.text(min_size=1, max_size=60),
    start=st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 12, 31)),
    length=st.timedeltas(min_value=dt.timedelta(minutes=5), max_value=dt.timedelta(hours=24)),
)
def test_property_clean_draft_is_valid_and_idempotent(
    title: str, start: dt.datetime, length: dt.timedelta
) -> None:
    raw = draft(title=title, start=start, end=start + length)
    try:
        clean = clean_draft(raw)
    except PlanError as error:
        one_line(error)
        return
    check_span(clean.start, clean.end)
    assert clean.start.second == clean.start.microsecond == 0
    assert clean.end.second == clean.end.microsecond == 0
    assert clean_draft(clean) == clean


# ---------------------------------------------------------------- the shipped template

# The table of PRODUCT.md, "The default day".
DEFAULT_DAY = [
    ("06:00", "08:00", "Exercise, shower, breakfast", "fitness"),
    ("09:00", "10:00", "Catch up: overnight runs, email, today's task list", "catch-up"),
    ("10:00", "12:00", "Deep work: code, data, experiments", "deep-work"),
    ("12:00", "13:00", "Lunch with the team", "meal"),
    ("13:00", "14:00", "Meetings and client calls", "meeting"),
    (
        "14:00",
        "17:00",
        "Finish tasks, unit tests, model metrics vs baseline, client requests",
        "testing",
    ),
    ("18:00", "20:00", "Wrap-up: merge pending changes, nothing left half-done", "wrap-up"),
    ("20:00", "20:30", "Head home", "commute"),
    ("22:00", "22:15", "Last email check", "email"),
    ("22:30", "06:00", "Sleep", "sleep"),
]


@pytest.fixture(scope="module")
def shipped() -> TemplateDocument:
    return parse_template_document(json.loads(read_resource_text(BUILTIN_TEMPLATE)))


def test_the_shipped_template_is_the_default_day(shipped: TemplateDocument) -> None:
    template = shipped.template
    assert template.name == "ML engineer"
    assert template.builtin
    assert len(template.blocks) == 10
    assert [
        (b.start.strftime("%H:%M"), b.end.strftime("%H:%M"), b.title, b.category)
        for b in template.blocks
    ] == DEFAULT_DAY


def test_the_shipped_template_flags(shipped: TemplateDocument) -> None:
    flags = {b.category: (b.fixed, b.notify, b.deadline) for b in shipped.template.blocks}
    assert flags == {
        "fitness": (False, True, False),
        "catch-up": (False, True, False),
        "deep-work": (False, True, False),
        "meal": (False, True, False),  # "transition notified"
        "meeting": (True, True, False),
        "testing": (False, True, False),
        "wrap-up": (True, True, True),  # "has a deadline at its end"
        "commute": (False, True, False),
        "email": (False, True, False),
        "sleep": (False, False, False),  # "no alerts"
    }
    assert all(b.notes == "" for b in shipped.template.blocks)


def test_the_shipped_categories(shipped: TemplateDocument) -> None:
    categories = {c.name: c for c in shipped.categories}
    assert len(shipped.categories) == 10
    assert set(categories) == {category for *_, category in DEFAULT_DAY}
    assert categories["meeting"].pre_alert_minutes == 5
    assert not categories["meeting"].silent
    assert categories["sleep"].silent
    assert categories["sleep"].pre_alert_minutes == 0
    others = set(categories) - {"meeting", "sleep"}
    assert all(not categories[name].silent for name in others)
    assert all(categories[name].pre_alert_minutes == 0 for name in others)
    for category in shipped.categories:
        assert clean_colour(category.colour) == category.colour
        assert category.id is None
    assert len({c.colour for c in shipped.categories}) == 10


def test_instantiating_the_shipped_template(shipped: TemplateDocument) -> None:
    drafts = instantiate(shipped.template, DAY)
    assert len(drafts) == 10
    assert [d.start for d in drafts] == sorted(d.start for d in drafts)
    assert all(d.start.date() == DAY for d in drafts)
    sleep = drafts[-1]
    assert (sleep.title, sleep.start, sleep.end) == (
        "Sleep",
        at(DAY, 22, 30),
        at(DAY + dt.timedelta(days=1), 6),
    )
    assert not sleep.notify
    assert all(d.end.date() == DAY for d in drafts[:-1])
    for item in drafts:
        assert clean_draft(item) == item
    # Consecutive days tile: the night's sleep ends when the next day's
    # exercise begins.
    tomorrow = instantiate(shipped.template, DAY + dt.timedelta(days=1))
    assert tomorrow[0].start == sleep.end
    assert tomorrow[0].category == "fitness"


def test_instantiating_on_a_daylight_saving_day_keeps_wall_times(
    shipped: TemplateDocument,
) -> None:
    spring = dt.date(2026, 3, 29)
    drafts = instantiate(shipped.template, spring)
    assert [(d.start.time(), d.end.time()) for d in drafts] == [
        (b.start, b.end) for b in shipped.template.blocks
    ]


def test_instantiate_sorts_by_start_and_crosses_midnight_when_end_is_not_after_start() -> None:
    template = Template(
        name="night shift",
        blocks=(
            TemplateBlock(title="Shift", category="work", start=dt.time(20), end=dt.time(4)),
            TemplateBlock(title="Prep", category="work", start=dt.time(18), end=dt.time(19)),
        ),
    )
    drafts = instantiate(template, DAY)
    assert [(d.title, d.start, d.end) for d in drafts] == [
        ("Prep", at(DAY, 18), at(DAY, 19)),
        ("Shift", at(DAY, 20), at(DAY + dt.timedelta(days=1), 4)),
    ]


# ---------------------------------------------------------------- bad template files


def document(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "format": 1,
        "name": "Mine",
        "categories": [{"name": "work", "colour": "#123456"}],
        "blocks": [{"title": "Work", "category": "work", "start": "09:00", "end": "17:00"}],
    }
    base.update(changes)
    return base


def block_entry(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"title": "Work", "category": "work", "start": "09:00", "end": "17:00"}
    base.update(changes)
    return base


def test_a_minimal_document_parses() -> None:
    parsed = parse_template_document(document())
    assert parsed.categories == (Category(name="work", colour="#123456"),)
    assert parsed.template == Template(
        name="Mine",
        blocks=(TemplateBlock(title="Work", category="work", start=dt.time(9), end=dt.time(17)),),
    )


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        pytest.param([], "holds a JSON object", id="not-an-object"),
        pytest.param("text", "holds a JSON object", id="a-string"),
        pytest.param(None, "holds a JSON object", id="null"),
        pytest.param(document(format=2), "unsupported template format 2", id="newer-format"),
        pytest.param(
            {k: v for k, v in document().items() if k != "format"},
            "unsupported template format None",
            id="no-format",
        ),
        pytest.param(document(name=""), "has no name", id="empty-name"),
        pytest.param(document(name="   "), "has no name", id="blank-name"),
        pytest.param(document(name=None), "'name' must be text", id="null-name"),
        pytest.param(document(builtin="yes"), "'builtin' must be true or false", id="builtin"),
        pytest.param(document(categories=5), "'categories' must be a list", id="categories-5"),
        pytest.param(document(blocks=None), "'blocks' must be a list", id="blocks-null"),
        pytest.param(document(categories=["work"]), "category 1: expected an object", id="cat"),
        pytest.param(
            document(categories=[{"name": "work", "colour": "blue"}]),
            "'blue' is not a colour",
            id="colour",
        ),
        pytest.param(
            document(categories=[{"name": "", "colour": "#123456"}]),
            "category name is empty",
            id="category-name",
        ),
        pytest.param(
            document(categories=[{"name": "a", "colour": "#123456", "silent": 1}]),
            "'silent' must be true or false",
            id="silent",
        ),
        pytest.param(
            document(categories=[{"name": "a", "colour": "#123456", "pre_alert_minutes": "5"}]),
            "category 1: 'pre_alert_minutes' must be a whole number",
            id="pre-alert-text",
        ),
        pytest.param(
            document(categories=[{"name": "a", "colour": "#123456", "pre_alert_minutes": -5}]),
            "category 1: 'pre_alert_minutes' must be a whole number",
            id="pre-alert-negative",
        ),
        pytest.param(
            document(categories=[{"name": "a", "colour": "#123456", "pre_alert_minutes": 2.5}]),
            "category 1: 'pre_alert_minutes' must be a whole number",
            id="pre-alert-fraction",
        ),
        pytest.param(document(blocks=[42]), "block 1: expected an object", id="block"),
        pytest.param(
            document(blocks=[block_entry(), block_entry(start="25:00")]),
            "block 2: '25:00' is not a time like 09:30",
            id="hour-25",
        ),
        pytest.param(
            document(blocks=[block_entry(end=930)]),
            "block 1: expected a time like 09:30",
            id="time-number",
        ),
        pytest.param(
            document(blocks=[{"title": "Work", "category": "work", "start": "09:00"}]),
            "block 1: expected a time like 09:30",
            id="no-end",
        ),
        pytest.param(
            document(blocks=[block_entry(end="09:00")]),
            "block 1: start and end are the same",
            id="same",
        ),
        pytest.param(
            document(blocks=[block_entry(start="09:00", end="09:03")]),
            "block 1: a block lasts at least 5 minutes",
            id="too-short",
        ),
        pytest.param(
            document(blocks=[block_entry(start="23:58", end="00:01")]),
            "block 1: a block lasts at least 5 minutes",
            id="too-short-across-midnight",
        ),
        pytest.param(document(blocks=[block_entry(title="")]), "title is empty", id="no-title"),
        pytest.param(
            document(blocks=[block_entry(title=None)]),
            "block 1: 'title' must be text",
            id="null-title",
        ),
        pytest.param(
            document(blocks=[block_entry(title="x" * 10_000_000)]),
            "title is too long",
            id="huge-title",
        ),
        pytest.param(
            document(blocks=[block_entry(notify="no")]),
            "'notify' must be true or false",
            id="notify",
        ),
        pytest.param(
            document(blocks=[block_entry(category=7)]),
            "block 1: 'category' must be text",
            id="category-number",
        ),
    ],
)
def test_bad_template_documents_are_refused_with_one_line(data: object, fragment: str) -> None:
    with pytest.raises(PlanError) as caught:
        parse_template_document(data)
    message = one_line(caught.value)
    assert fragment in message
    assert len(message) < 200


def test_template_times_drop_seconds() -> None:
    parsed = parse_template_document(
        document(blocks=[block_entry(start="09:00:30", end="10:15:59")])
    )
    (item,) = parsed.template.blocks
    assert (item.start, item.end) == (dt.time(9), dt.time(10, 15))

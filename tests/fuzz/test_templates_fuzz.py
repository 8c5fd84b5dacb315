"""The template reader against random JSON, random bytes and damaged copies of
the built-in template: a template is either read whole, and then gives valid
blocks on any day, or refused with a one-line message, never another error."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from ml_day.core.blocks import FIRST_DAY, LAST_DAY, PlanError, clean_draft
from ml_day.core.templates import (
    TemplateDocument,
    instantiate,
    parse_template_document,
    read_template_document,
)
from ml_day.resources import BUILTIN_TEMPLATE, resource_path
from tests.fuzz.strategies import fuzz, nasty_text

BUILTIN_BYTES = resource_path(BUILTIN_TEMPLATE).read_bytes()
BUILTIN = json.loads(BUILTIN_BYTES)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | nasty_text
    | st.sampled_from(["09:30", "24:00", "12:00+01:00", "#3a7bd5", "", "meal", "T10:00"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(nasty_text | st.sampled_from(sorted(BUILTIN)), children, max_size=4)
    ),
    max_leaves=12,
)


def assert_read_or_refused(read: Any, *args: object) -> TemplateDocument | None:
    try:
        document: TemplateDocument = read(*args)
    except PlanError as error:
        message = str(error)
        assert message and message.isprintable() and len(message) < 160, message
        return None
    assert_gives_valid_blocks(document)
    return document


def assert_gives_valid_blocks(document: TemplateDocument) -> None:
    names = [category.name for category in document.categories]
    assert len(names) == len(set(names)), "a category is listed twice"
    for day in (dt.date(2026, 3, 29), dt.date(2026, 10, 25), FIRST_DAY, LAST_DAY):
        for draft in instantiate(document.template, day):
            assert clean_draft(draft).start == draft.start


# ---------------------------------------------------------------- parsed JSON
@fuzz()
@given(json_values)
def test_any_json_is_read_or_refused_in_one_line(data: object) -> None:
    assert_read_or_refused(parse_template_document, data)


@st.composite
def damaged_builtin(draw: st.DrawFn) -> object:
    """The built-in template with one value, anywhere in it, replaced by another."""
    document: Any = copy.deepcopy(BUILTIN)
    parent: Any = document
    while True:
        keys = list(parent) if isinstance(parent, dict) else list(range(len(parent)))
        if not keys:
            break
        key = draw(st.sampled_from(keys))
        child = parent[key]
        if not isinstance(child, dict | list) or draw(st.booleans()):
            parent[key] = draw(json_values)
            break
        parent = child
    blocks = document.get("blocks")
    if isinstance(blocks, list) and draw(st.booleans()):  # and the first block once more
        blocks.append(copy.deepcopy(BUILTIN["blocks"][0]))
    return document


@fuzz(weight=2)
@given(damaged_builtin())
@example({**BUILTIN, "format": True})
@example({**BUILTIN, "name": "ML\nengineer"})
@example({**BUILTIN, "name": "\udcff"})
@example({**BUILTIN, "categories": [*BUILTIN["categories"], BUILTIN["categories"][0]]})
@example({**BUILTIN, "blocks": [{**BUILTIN["blocks"][0], "start": "06:00+01:00"}]})
@example({**BUILTIN, "blocks": [{**BUILTIN["blocks"][0], "start": "06:00+01:00", "end": "07:00"}]})
def test_a_damaged_builtin_template_is_read_or_refused_in_one_line(data: object) -> None:
    assert_read_or_refused(parse_template_document, data)


def test_the_builtin_template_reads_from_its_bytes() -> None:
    document = read_template_document(BUILTIN_BYTES)
    assert document.template.name == "ML engineer"
    assert read_template_document(b"\xef\xbb\xbf" + BUILTIN_BYTES) == document  # with a BOM


# ---------------------------------------------------------------- bytes
@st.composite
def damaged_bytes(draw: st.DrawFn) -> bytes:
    raw = bytearray(BUILTIN_BYTES)
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(raw) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if action == "flip":
            raw[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del raw[position : position + draw(st.integers(1, 40))]
        elif action == "insert":
            raw[position:position] = draw(st.binary(min_size=1, max_size=8))
        else:
            del raw[position:]
            break
    return bytes(raw)


@fuzz(weight=2)
@given(st.binary(max_size=300) | damaged_bytes())
@example(b"")
@example(b"\xff\xfe{\x00}\x00")  # UTF-16
@example('{"format": 1, "name": "Café"}'.encode("latin-1"))
@example(b"[" * 100_000)
@example(b"1" * 5000)
@example(b"\x00" * 64)
@example(b"SQLite format 3\x00" + bytes(range(256)))
def test_any_file_is_read_or_refused_in_one_line(raw: bytes) -> None:
    assert_read_or_refused(read_template_document, raw)

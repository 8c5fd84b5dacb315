"""Day templates: the shape of a typical day, instantiated onto real dates."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ml_day.core.blocks import (
    MIN_DURATION,
    BlockDraft,
    Category,
    PlanError,
    check_characters,
    clean_category_name,
    clean_colour,
    clean_notes,
    clean_title,
    shown_value,
)
from ml_day.core.timemodel import ONE_DAY

TEMPLATE_FORMAT = 1
MAX_TEMPLATE_NAME_LENGTH = 80


@dataclass(frozen=True, slots=True, kw_only=True)
class TemplateBlock:
    """A block of a template, in times of day; ``end <= start`` crosses midnight."""

    title: str
    category: str
    start: dt.time
    end: dt.time
    notes: str = ""
    fixed: bool = False
    notify: bool = True
    deadline: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Template:
    name: str
    blocks: tuple[TemplateBlock, ...]
    builtin: bool = False
    id: int | None = None


def instantiate(template: Template, day: dt.date) -> list[BlockDraft]:
    """The blocks ``template`` gives ``day``: each starts on that day; one whose end
    is not after its start ends on the next day."""
    drafts = []
    for item in template.blocks:
        start = dt.datetime.combine(day, item.start)
        end_day = day + ONE_DAY if item.end <= item.start else day
        drafts.append(
            BlockDraft(
                title=item.title,
                category=item.category,
                start=start,
                end=dt.datetime.combine(end_day, item.end),
                notes=item.notes,
                fixed=item.fixed,
                notify=item.notify,
                deadline=item.deadline,
            )
        )
    drafts.sort(key=lambda draft: draft.start)
    return drafts


@dataclass(frozen=True, slots=True)
class TemplateDocument:
    """The content of a template file: its categories and the template."""

    categories: tuple[Category, ...]
    template: Template


def _time(value: object, where: str) -> dt.time:
    if not isinstance(value, str):
        raise PlanError(f"{where}: expected a time like 09:30")
    try:
        parsed = dt.time.fromisoformat(value)
    except ValueError:
        parsed = None
    # A template is wall-clock time, like the plan: a time with an offset has no place in it.
    if parsed is None or parsed.tzinfo is not None:
        raise PlanError(f"{where}: {shown_value(value)} is not a time like 09:30")
    return parsed.replace(second=0, microsecond=0)


def _flag(item: Mapping[str, Any], key: str, default: bool) -> bool:
    value = item.get(key, default)
    if not isinstance(value, bool):
        raise PlanError(f"'{key}' must be true or false")
    return value


def _text(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key, "")
    if not isinstance(value, str):
        raise PlanError(f"{where}: '{key}' must be text")
    return value


def _list(data: Mapping[str, Any], key: str) -> list[object]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise PlanError(f"'{key}' must be a list")
    return value


def _minutes(item: Mapping[str, Any], key: str, where: str) -> int:
    value = item.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 24 * 60:
        raise PlanError(f"{where}: '{key}' must be a whole number of minutes from 0 to 1440")
    return value


def _span(start: dt.time, end: dt.time) -> dt.timedelta:
    """How long a template block lasts; ``end <= start`` ends the next day."""
    day = dt.date(2000, 1, 1)
    end_day = day + ONE_DAY if end <= start else day
    return dt.datetime.combine(end_day, end) - dt.datetime.combine(day, start)


def read_template_document(raw: bytes) -> TemplateDocument:
    """Read a template file's bytes, or say in one line what is wrong with them
    (not text, not JSON, not a template)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PlanError(
            f"the template is not UTF-8 text (byte {error.start + 1} is not valid)"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PlanError(
            f"the template is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg})"
        ) from None
    except (ValueError, RecursionError):  # a number of thousands of digits, a deep nesting
        raise PlanError("the template is not JSON that ML Day can read") from None
    return parse_template_document(data)


def _template_name(data: Mapping[str, Any]) -> str:
    name = unicodedata.normalize("NFC", _text(data, "name", "the template")).strip()
    if not name:
        raise PlanError("the template has no name")
    if len(name) > MAX_TEMPLATE_NAME_LENGTH:
        raise PlanError(f"the template name is too long (at most {MAX_TEMPLATE_NAME_LENGTH})")
    check_characters(name, "the template name", "contains control characters")
    return name


def parse_template_document(data: object) -> TemplateDocument:
    """Read a template document (parsed JSON), or say precisely what is wrong."""
    if not isinstance(data, Mapping):
        raise PlanError("a template file holds a JSON object")
    version = data.get("format")
    if isinstance(version, bool) or version != TEMPLATE_FORMAT:
        raise PlanError(f"unsupported template format {shown_value(version)}")
    categories: list[Category] = []
    for index, item in enumerate(_list(data, "categories")):
        where = f"category {index + 1}"
        if not isinstance(item, Mapping):
            raise PlanError(f"{where}: expected an object")
        name = clean_category_name(_text(item, "name", where))
        if any(category.name == name for category in categories):
            raise PlanError(f"{where}: the category '{name}' is listed twice")
        categories.append(
            Category(
                name=name,
                colour=clean_colour(_text(item, "colour", where)),
                silent=_flag(item, "silent", default=False),
                pre_alert_minutes=_minutes(item, "pre_alert_minutes", where),
            )
        )
    blocks = []
    for index, item in enumerate(_list(data, "blocks")):
        where = f"block {index + 1}"
        if not isinstance(item, Mapping):
            raise PlanError(f"{where}: expected an object")
        start, end = _time(item.get("start"), where), _time(item.get("end"), where)
        if start == end:
            raise PlanError(f"{where}: start and end are the same")
        if _span(start, end) < MIN_DURATION:
            raise PlanError(f"{where}: a block lasts at least 5 minutes")
        blocks.append(
            TemplateBlock(
                title=clean_title(_text(item, "title", where)),
                category=clean_category_name(_text(item, "category", where)),
                start=start,
                end=end,
                notes=clean_notes(_text(item, "notes", where)),
                fixed=_flag(item, "fixed", default=False),
                notify=_flag(item, "notify", default=True),
                deadline=_flag(item, "deadline", default=False),
            )
        )
    name = _template_name(data)
    builtin = _flag(data, "builtin", default=False)
    template = Template(name=name, blocks=tuple(blocks), builtin=builtin)
    return TemplateDocument(tuple(categories), template)

"""Read one day with the standard library alone, for the first paint.

Importing the ORM costs several hundred milliseconds; the window should not
wait for it. This module opens the database read-only with :mod:`sqlite3`,
reads the day, and, for a day never filled yet, shows what the default
template will give it (as preview blocks with negative ids). It never writes.
A test proves its results identical to :class:`PlanRepository`'s.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ml_day.core.blocks import Block, Category
from ml_day.core.days import overlaps_day
from ml_day.persistence.records import (
    DAY_BLOCKS_SQL,
    block_from_record,
    day_query_bounds,
    stored_date,
)

if TYPE_CHECKING:
    from pathlib import Path

    from ml_day.core.templates import Template

SUPPORTED_SCHEMA = 1
"""Kept equal to ``schema.SCHEMA_VERSION`` (a test checks) without importing it."""

_TEMPLATE_SQL = (
    "SELECT template_block.title, template_block.start_time, template_block.end_time, "
    "template_block.notes, template_block.fixed, template_block.notify, "
    "template_block.deadline, category.id, category.name, category.colour, "
    "category.silent, category.pre_alert_minutes "
    "FROM meta JOIN template ON template.id = CAST(meta.value AS INTEGER) "
    "JOIN template_block ON template_block.template_id = template.id "
    "JOIN category ON category.id = template_block.category_id "
    "WHERE meta.key = 'default_template_id' ORDER BY template_block.position"
)


@dataclass(frozen=True, slots=True)
class QuickDay:
    day: dt.date
    blocks: list[Block]
    """In time order; blocks not stored yet (template preview) have negative ids."""
    complete: bool
    """False when part of it is a template preview that the first full load will store."""


def read_day_quickly(database: Path, day: dt.date) -> QuickDay | None:
    """The blocks touching ``day``, or None if the file cannot be read this way
    (missing, locked, damaged, another schema): the full path then decides."""
    if not database.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=0.5)
    except sqlite3.Error:
        return None
    try:
        return _read(connection, day)
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        connection.close()


def _read(connection: sqlite3.Connection, day: dt.date) -> QuickDay | None:
    if connection.execute("PRAGMA user_version").fetchone()[0] != SUPPORTED_SCHEMA:
        return None
    blocks = [
        block_from_record(row) for row in connection.execute(DAY_BLOCKS_SQL, day_query_bounds(day))
    ]
    wanted = (day - dt.timedelta(days=1), day)
    filled = {
        row[0]
        for row in connection.execute(
            "SELECT date FROM day WHERE date IN (?, ?)", [stored_date(d) for d in wanted]
        )
    }
    missing = [d for d in wanted if stored_date(d) not in filled]
    if not missing:
        return QuickDay(day, blocks, complete=True)
    template, categories = _default_template(connection)
    blocks += _template_preview(template, categories, missing, day)
    blocks.sort(key=lambda block: (block.start, block.end))
    return QuickDay(day, blocks, complete=False)


def preview_new_plan(day: dt.date) -> QuickDay:
    """What a plan not created yet will show on ``day``: the built-in template's
    blocks (preview ids), as the plan's first opening will store them."""
    from ml_day.core.templates import read_template_document  # noqa: PLC0415
    from ml_day.resources import BUILTIN_TEMPLATE, resource_path  # noqa: PLC0415

    document = read_template_document(resource_path(BUILTIN_TEMPLATE).read_bytes())
    categories = {category.name: category for category in document.categories}
    days = [day - dt.timedelta(days=1), day]
    blocks = _template_preview(document.template, categories, days, day)
    blocks.sort(key=lambda block: (block.start, block.end))
    return QuickDay(day, blocks, complete=False)


def _template_preview(
    template: Template, categories: dict[str, Category], days: list[dt.date], shown: dt.date
) -> list[Block]:
    """The blocks ``template`` gives ``days``, those touching ``shown``, with
    negative ids (they are not stored yet)."""
    # Loaded only for a day not filled yet (with json, to read the shipped templates).
    from ml_day.core.templates import instantiate  # noqa: PLC0415

    blocks = []
    preview_id = 0
    for day in days:
        for draft in instantiate(template, day):
            preview_id -= 1
            block = Block(
                id=preview_id,
                title=draft.title,
                category=categories[draft.category],
                start=draft.start,
                end=draft.end,
                notes=draft.notes,
                fixed=draft.fixed,
                notify=draft.notify,
                deadline=draft.deadline,
            )
            if overlaps_day(block, shown):
                blocks.append(block)
    return blocks


def _default_template(connection: sqlite3.Connection) -> tuple[Template, dict[str, Category]]:
    from ml_day.core.templates import Template, TemplateBlock  # noqa: PLC0415

    items = []
    categories: dict[str, Category] = {}
    for row in connection.execute(_TEMPLATE_SQL):
        (title, start, end, notes, fixed, notify, deadline, cat_id, name, colour, silent, pre) = row
        categories[name] = Category(
            id=cat_id, name=name, colour=colour, silent=bool(silent), pre_alert_minutes=pre
        )
        items.append(
            TemplateBlock(
                title=title,
                category=name,
                start=dt.time.fromisoformat(start),
                end=dt.time.fromisoformat(end),
                notes=notes,
                fixed=bool(fixed),
                notify=bool(notify),
                deadline=bool(deadline),
            )
        )
    return Template(name="default", blocks=tuple(items)), categories

"""Every kind of edit on random plans, stored in a real SQLite file: applying an
edit then its inverse gives back the plan row for row, applying it again gives
back the edited plan, and an edit the plan refuses changes nothing. Plus the
geometry of the edits across every zone."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from ml_day.core.blocks import (
    FIRST_DAY,
    LAST_DAY,
    MIN_DURATION,
    UNCATEGORISED,
    Block,
    PlanError,
    clean_draft,
)
from ml_day.core.editing import (
    CreateBlock,
    PlanEdit,
    UpdateBlock,
    moved,
    push_rest_of_day,
    ripple,
    snap,
)
from ml_day.core.timemodel import ONE_DAY, real_duration, to_instant, to_wall
from ml_day.gui.timeline.selection_edits import (
    create_edit,
    delete_edit,
    done_edit,
    duplicate_edit,
    nudge_edit,
    push_edit,
    stretch_edit,
)
from ml_day.persistence.database import Database
from ml_day.persistence.repository import PlanRepository
from tests.fuzz.strategies import day_plans, fuzz, titles, utc, zone_and_wall

BERLIN = ZoneInfo("Europe/Berlin")
SPRING_FORWARD = dt.date(2026, 3, 29)
FALL_BACK = dt.date(2026, 10, 25)
FILLED_DAYS = [
    day + dt.timedelta(days=offset)
    for day in (SPRING_FORWARD, FALL_BACK)
    for offset in range(-2, 4)
]
"""Filled from the template before the edits, so that an edit moving a block to
a neighbouring day fills nothing (a fill is not part of the edit, nor undone)."""


# ---------------------------------------------------------------- the database
@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan database with the days around both clock changes filled."""
    path = tmp_path_factory.mktemp("seed") / "plan.sqlite3"
    database = Database.open(path)
    try:
        repository = PlanRepository(database)
        for day in FILLED_DAYS:
            repository.day_blocks(day)
    finally:
        database.close()
    return path


@contextlib.contextmanager
def copy_of(seeded: Path, folder: Path) -> Iterator[tuple[PlanRepository, Path]]:
    path = folder / "plan.sqlite3"
    shutil.copyfile(seeded, path)
    database = Database.open(path)
    try:
        yield PlanRepository(database), path
    finally:
        database.close()


def block_rows(path: Path) -> list[tuple[Any, ...]]:
    """Every stored block, every column, read with the plain driver (read-only)."""
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        return list(db.execute("SELECT * FROM block ORDER BY id"))


# ---------------------------------------------------------------- random edits
EditBuilder = Callable[[list[Block], list[Block], st.DataObject], "PlanEdit | None"]


def _ripple(blocks: list[Block], chosen: list[Block], data: st.DataObject) -> PlanEdit | None:
    """A Shift-drag: the dragged block placed, its neighbours pushed along."""
    dragged = chosen[0]
    new_start = dragged.start + dt.timedelta(minutes=data.draw(st.integers(-120, 120)))
    placed = moved(dragged, new_start, BERLIN)
    pushed = ripple(blocks, dragged, placed)
    if pushed is None:
        return None
    operations = (
        UpdateBlock(dragged.id, placed),
        *(UpdateBlock(block.id, draft) for block, draft in pushed),
    )
    return PlanEdit("Move with ripple", operations)


def _create(blocks: list[Block], chosen: list[Block], data: st.DataObject) -> PlanEdit:
    """A block drawn near another, with any title typed."""
    del blocks
    start = chosen[0].end + dt.timedelta(minutes=data.draw(st.integers(-60, 60)))
    length = dt.timedelta(minutes=data.draw(st.integers(-10, 600)))
    return create_edit(data.draw(titles, label="title"), start, start + length)


EDITS: dict[str, EditBuilder] = {
    "nudge": lambda _, chosen, data: nudge_edit(chosen, data.draw(st.integers(-180, 180)), BERLIN),
    "stretch": lambda _, chosen, data: stretch_edit(chosen, data.draw(st.integers(-240, 240))),
    "delete": lambda _, chosen, __: delete_edit(chosen),
    "duplicate": lambda _, chosen, __: duplicate_edit(chosen),
    "done": lambda _, chosen, data: done_edit(chosen, done=data.draw(st.booleans())),
    "push": lambda blocks, chosen, data: (
        push_edit(blocks, chosen[0], data.draw(st.integers(1, 240))).edit
    ),
    "ripple": _ripple,
    "retitle": lambda _, chosen, data: PlanEdit(
        "Rename", (UpdateBlock(chosen[0].id, replace(chosen[0].draft(), title=data.draw(titles))),)
    ),
    "create": _create,
    # The command line's "move ID --date" to the next day.
    "move-to-next-day": lambda _, chosen, __: PlanEdit(
        "Move to tomorrow",
        (UpdateBlock(chosen[0].id, moved(chosen[0], chosen[0].start + ONE_DAY, BERLIN)),),
    ),
}
"""Each kind of edit, built as the timeline builds it (selection edits, drags)."""


@fuzz(weight=0.5)
@given(
    st.sampled_from((SPRING_FORWARD, FALL_BACK)).flatmap(
        lambda day: st.tuples(st.just(day), day_plans(day, max_blocks=6))
    ),
    st.lists(st.sampled_from(sorted(EDITS)), min_size=1, max_size=3),
    st.data(),
)
def test_an_edit_then_its_inverse_gives_back_the_plan(
    seeded: Path,
    tmp_path_factory: pytest.TempPathFactory,
    plan: tuple[dt.date, list[Block]],
    kinds: list[str],
    data: st.DataObject,
) -> None:
    day, generated = plan
    with copy_of(seeded, tmp_path_factory.mktemp("edit")) as (repository, path):
        if generated:
            repository.apply(PlanEdit("Setup", tuple(CreateBlock(b.draft()) for b in generated)))
        blocks = repository.peek_day_blocks(day)  # with the template's blocks of the day
        for kind in kinds:
            chosen = data.draw(st.lists(st.sampled_from(blocks), min_size=1, max_size=3))
            edit = EDITS[kind](blocks, list({block.id: block for block in chosen}.values()), data)
            if edit is None:
                continue
            before = block_rows(path)
            try:
                applied = repository.apply(edit)
            except PlanError:
                event(f"{kind}: refused")
                assert block_rows(path) == before, f"a refused {kind} changed the plan"
                continue
            event(f"{kind}: stored")
            after = block_rows(path)
            repository.apply(applied.inverse())
            assert block_rows(path) == before, f"undoing {kind} did not restore the plan"
            repository.apply(applied.redo())
            assert block_rows(path) == after, f"redoing {kind} did not redo it"
            blocks = repository.peek_day_blocks(day)
            if not blocks:
                break


# ---------------------------------------------------------------- geometry
@fuzz(weight=2)
@given(zone_and_wall(), st.integers(5, 24 * 60), zone_and_wall())
def test_a_moved_block_keeps_its_real_duration_in_every_zone(
    case: tuple[ZoneInfo, dt.datetime], minutes: int, target: tuple[ZoneInfo, dt.datetime]
) -> None:
    zone, start = case
    new_start = target[1]
    block = Block(
        id=1,
        title="Deep work",
        category=UNCATEGORISED,
        start=start,
        end=start + dt.timedelta(minutes=minutes),
    )
    duration = real_duration(block.start, block.end, zone)

    draft = moved(block, new_start, zone)

    assert draft.start == new_start
    assert clean_draft(draft) == draft  # always a valid span
    kept = real_duration(draft.start, draft.end, zone)
    real_end = utc(to_instant(new_start, zone)) + duration
    nameable = utc(to_instant(to_wall(real_end, zone), zone)) == real_end
    if nameable and MIN_DURATION <= to_wall(real_end, zone) - new_start <= dt.timedelta(hours=24):
        assert kept == duration
    else:
        # No wall time names the real end (it is in a repeated hour's second
        # pass), or the wall span would be out of bounds: never shorter.
        assert kept >= duration or draft.end - draft.start == dt.timedelta(hours=24)


STEPS = (-5, 0, *(step for step in range(1, 24 * 60 + 1) if 24 * 60 % step == 0))
"""No snapping, and every step that divides a day (the menu offers 5 to 30 minutes)."""


@fuzz(weight=2)
@given(
    st.datetimes(
        dt.datetime.combine(FIRST_DAY, dt.time(0, 0)),
        dt.datetime.combine(LAST_DAY, dt.time(23, 59)),
    ),
    st.sampled_from(STEPS),
)
def test_snapping_is_idempotent_and_moves_at_most_half_a_step(wall: dt.datetime, step: int) -> None:
    snapped = snap(wall, step)
    assert snapped.second == snapped.microsecond == 0
    assert snap(snapped, step) == snapped
    if step > 0:
        assert (snapped.hour * 60 + snapped.minute) % step == 0
        assert abs(snapped - wall) <= dt.timedelta(minutes=step) / 2


@fuzz()
@given(day_plans(SPRING_FORWARD, max_blocks=10), st.data())
def test_a_push_never_creates_an_overlap_nor_moves_a_fixed_block(
    blocks: list[Block], data: st.DataObject
) -> None:
    if not blocks:
        return
    anchor = data.draw(st.sampled_from(blocks), label="anchor")
    minutes = data.draw(st.integers(1, 24 * 60), label="minutes")
    result = push_rest_of_day(blocks, anchor, minutes)
    moves = {block.id: draft for block, draft in result.moves}
    assert not any(block.fixed for block, _ in result.moves)
    assert anchor.id not in moves

    def span(block: Block) -> tuple[dt.datetime, dt.datetime]:
        draft = moves.get(block.id)
        return (block.start, block.end) if draft is None else (draft.start, draft.end)

    for first in blocks:
        for second in blocks:
            if first.id >= second.id:
                continue
            overlapped = first.start < second.end and second.start < first.end
            (a_start, a_end), (b_start, b_end) = span(first), span(second)
            assert overlapped or not (a_start < b_end and b_start < a_end), (first, second)

"""Applying edits to a real SQLite file: one transaction each, undo and redo,
the revision counter, and a stateful model of random edits."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import itertools
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from typing_extensions import override

from ml_day.core.blocks import Block, BlockDraft, PlanError
from ml_day.core.editing import (
    AppliedEdit,
    BlockOperation,
    CreateBlock,
    DeleteBlock,
    PlanEdit,
    RestoreBlock,
    SetDone,
    UpdateBlock,
    describe,
    moved,
    push_rest_of_day,
)
from ml_day.persistence.database import Database
from ml_day.persistence.errors import BlockNotFoundError, StorageError
from ml_day.persistence.repository import PlanRepository

OpenRepository = Callable[[], PlanRepository]

DAY = dt.date(2026, 5, 4)
NEXT_DAY = DAY + dt.timedelta(days=1)
NEVER_OPENED = dt.date(2031, 1, 1)
UTC = ZoneInfo("UTC")
TABLES = ("block", "category", "day", "meta", "template", "template_block")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def draft(**changes: Any) -> BlockDraft:
    values: dict[str, Any] = {
        "title": "Paper reading",
        "category": "deep-work",
        "start": at(DAY, 15),
        "end": at(DAY, 16),
    }
    values.update(changes)
    return BlockDraft(**values)


def table_dump(path: Path, tables: tuple[str, ...] = TABLES) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the plan's tables, read with the plain driver (read-only)."""
    uri = f"{path.as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        return {
            table: list(connection.execute(f"SELECT * FROM {table} ORDER BY 1")) for table in tables
        }


def block_table(path: Path) -> list[tuple[Any, ...]]:
    return table_dump(path, ("block",))["block"]


def by_category(blocks: list[Block], name: str) -> Block:
    return next(b for b in blocks if b.category.name == name and b.start.date() == DAY)


# ---------------------------------------------------------------- one transaction
@pytest.mark.parametrize(
    "failing",
    [
        pytest.param(UpdateBlock(1_000_000, draft()), id="update-of-a-missing-id"),
        pytest.param(DeleteBlock(1_000_000), id="delete-of-a-missing-id"),
        pytest.param(SetDone(1_000_000, done=True), id="done-of-a-missing-id"),
        pytest.param(CreateBlock(draft(title="   ")), id="empty-title"),
        pytest.param(CreateBlock(draft(end=at(DAY, 14))), id="end-before-start"),
        pytest.param(CreateBlock(draft(title="x" * 10_000_000)), id="ten-megabyte-title"),
    ],
)
def test_a_failing_last_operation_stores_nothing_of_the_edit(
    repo: PlanRepository, db_path: Path, failing: BlockOperation
) -> None:
    blocks = repo.day_blocks(DAY)
    lunch, deep = by_category(blocks, "meal"), by_category(blocks, "deep-work")
    before = table_dump(db_path)
    revision = repo.revision()
    edit = PlanEdit(
        "Several things",
        (
            CreateBlock(draft(title="Reading group", category="brand-new-category")),
            # A block on a day never opened: that day would be filled first.
            CreateBlock(draft(start=at(NEVER_OPENED, 9), end=at(NEVER_OPENED, 10))),
            UpdateBlock(lunch.id, dataclasses.replace(lunch.draft(), title="Late lunch")),
            SetDone(deep.id, done=True),
            DeleteBlock(deep.id),
            failing,
        ),
    )
    with pytest.raises((PlanError, StorageError)) as caught:
        repo.apply(edit)
    assert "\n" not in str(caught.value)
    assert table_dump(db_path) == before
    assert repo.revision() == revision
    assert not repo.is_day_filled(NEVER_OPENED)
    assert repo.get_block(lunch.id) == lunch


def test_restoring_over_an_existing_id_fails_as_a_whole(
    repo: PlanRepository, db_path: Path
) -> None:
    blocks = repo.day_blocks(DAY)
    lunch = by_category(blocks, "meal")
    before = table_dump(db_path)
    edit = PlanEdit("Odd", (DeleteBlock(lunch.id), RestoreBlock(lunch), RestoreBlock(lunch)))
    with pytest.raises(StorageError, match=f"a block with id {lunch.id} already exists"):
        repo.apply(edit)
    assert table_dump(db_path) == before


def test_a_successful_edit_is_stored_as_a_whole(
    open_repository: OpenRepository, db_path: Path
) -> None:
    repo = open_repository()
    blocks = repo.day_blocks(DAY)
    lunch, deep = by_category(blocks, "meal"), by_category(blocks, "deep-work")
    applied = repo.apply(
        PlanEdit(
            "Several things",
            (
                CreateBlock(draft(title="  Reading group ", category="Reading")),
                UpdateBlock(lunch.id, moved(lunch, at(DAY, 12, 30), UTC)),
                DeleteBlock(deep.id),
            ),
        )
    )
    created, updated, deleted = applied.after
    assert applied.before == (None, lunch, deep)
    assert deleted is None
    assert created is not None and updated is not None
    assert (created.title, created.category.name) == ("Reading group", "reading")
    assert (updated.start, updated.end) == (at(DAY, 12, 30), at(DAY, 13, 30))
    # A second connection (another process) sees all of it.
    other = open_repository()
    assert other.get_block(created.id) == created
    assert other.get_block(lunch.id) == updated
    with pytest.raises(BlockNotFoundError):
        other.get_block(deep.id)


# ---------------------------------------------------------------- undo and redo
def test_apply_inverse_redo_round_trips_the_block_table(
    repo: PlanRepository, db_path: Path
) -> None:
    blocks = repo.day_blocks(DAY)
    repo.mark_day_filled(NEXT_DAY)
    lunch, deep = by_category(blocks, "meal"), by_category(blocks, "deep-work")
    meeting = by_category(blocks, "meeting")
    repo.set_done(meeting.id, done=True)
    original = block_table(db_path)

    applied = repo.apply(
        PlanEdit(
            "Rearrange",
            (
                CreateBlock(draft(title="Reading group")),
                CreateBlock(draft(title="Night run", start=at(DAY, 23), end=at(NEXT_DAY, 1))),
                UpdateBlock(lunch.id, dataclasses.replace(lunch.draft(), start=at(DAY, 12, 15))),
                SetDone(lunch.id, done=True),
                DeleteBlock(deep.id),
                DeleteBlock(meeting.id),  # done, with its uid: both come back on undo
            ),
        )
    )
    edited = block_table(db_path)
    created_ids = [b.id for b in applied.after[:2] if b is not None]
    assert len(created_ids) == 2

    undone = repo.apply(applied.inverse())
    assert block_table(db_path) == original

    redone = repo.apply(applied.redo())
    assert block_table(db_path) == edited  # same ids and uids for the created blocks
    assert [b.id for b in redone.after[:2] if b is not None] == created_ids

    # And once more, from what the redo stored (as the undo stack does).
    repo.apply(redone.inverse())
    assert block_table(db_path) == original
    repo.apply(redone.redo())
    assert block_table(db_path) == edited
    assert undone.edit.operations == applied.inverse().operations


def test_undoing_mark_done_changes_nothing_else(repo: PlanRepository, db_path: Path) -> None:
    # The night before's sleep shows on DAY; its own day's eve was never opened.
    sleep = repo.day_blocks(DAY)[0]
    assert sleep.start.date() == DAY - dt.timedelta(days=1)
    assert not repo.is_day_filled(sleep.start.date() - dt.timedelta(days=1))
    before = table_dump(db_path)
    applied = repo.apply(PlanEdit("Mark done", (SetDone(sleep.id, done=True),)))
    assert applied.inverse().operations == (SetDone(sleep.id, done=False),)
    repo.apply(applied.inverse())
    after = table_dump(db_path)
    assert {k: v for k, v in after.items() if k != "meta"} == {
        k: v for k, v in before.items() if k != "meta"
    }


def test_a_restored_block_keeps_its_identity(repo: PlanRepository, db_path: Path) -> None:
    blocks = repo.day_blocks(DAY)
    wrap_up = by_category(blocks, "wrap-up")
    repo.set_done(wrap_up.id, done=True)
    before = block_table(db_path)
    applied = repo.apply(PlanEdit("Delete", (DeleteBlock(wrap_up.id),)))
    repo.apply(applied.inverse())
    assert block_table(db_path) == before
    restored = repo.get_block(wrap_up.id)
    assert restored.uid == wrap_up.uid and restored.done and restored.deadline


# ---------------------------------------------------------------- revision
def test_the_revision_counts_edits_and_is_seen_by_another_connection(
    open_repository: OpenRepository,
) -> None:
    mine, theirs = open_repository(), open_repository()
    assert mine.database is not theirs.database
    start = theirs.revision()
    # Reading (and filling a day from the template) is not an edit.
    blocks = mine.day_blocks(DAY)
    assert theirs.revision() == start
    lunch = by_category(blocks, "meal")
    added = mine.add_block(draft())
    assert theirs.revision() == start + 1
    mine.update_block(added.id, draft(title="Papers"))
    mine.set_done(lunch.id, done=True)
    assert theirs.revision() == start + 3
    applied = mine.apply(PlanEdit("Two", (DeleteBlock(added.id), SetDone(lunch.id, done=False))))
    assert theirs.revision() == start + 4  # one per edit, not per operation
    mine.apply(applied.inverse())
    assert theirs.revision() == start + 5
    with pytest.raises(BlockNotFoundError):
        mine.remove_block(1_000_000)
    assert theirs.revision() == start + 5
    # Edits from the other side count too.
    theirs.remove_block(added.id)
    assert mine.revision() == start + 6


# ---------------------------------------------------------------- stateful model
TITLES = ("Deep work", "Reading", "Walk", "Ops review", "Gym", "Writing")
CATEGORIES = ("deep-work", "meal", "ops", "general", "Brand New")
Row = tuple[Any, ...]
"""A block as stored: uid, title, category, start, end, notes, fixed, notify,
deadline, done, actual_start, actual_end."""
Model = dict[int, Row]


def stored(moment: dt.datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S.%f}"


def row_of(uid: str, block: BlockDraft, *, done: bool = False) -> Row:
    return (
        uid,
        block.title.strip(),
        block.category.strip().lower(),
        stored(block.start),
        stored(block.end),
        block.notes,
        int(block.fixed),
        int(block.notify),
        int(block.deadline),
        int(done),
        None,
        None,
    )


def read_model(path: Path) -> Model:
    uri = f"{path.as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        rows = connection.execute(
            'SELECT b.id, b.uid, b.title, c.name, b.start, b."end", b.notes, b.fixed, '
            "b.notify, b.deadline, b.done, b.actual_start, b.actual_end "
            "FROM block b JOIN category c ON c.id = b.category_id"
        )
        return {row[0]: tuple(row[1:]) for row in rows}


@st.composite
def drafts(draw: st.DrawFn) -> BlockDraft:
    """A valid block starting on DAY or the next day, 5 min to 8 h long."""
    start = at(DAY, 0) + dt.timedelta(minutes=5 * draw(st.integers(0, 2 * 24 * 12 - 1)))
    length = dt.timedelta(minutes=5 * draw(st.integers(1, 8 * 12)))
    return BlockDraft(
        title=draw(st.sampled_from(TITLES)),
        category=draw(st.sampled_from(CATEGORIES)),
        start=start,
        end=start + length,
        notes=draw(st.sampled_from(("", "bring laptop"))),
        fixed=draw(st.booleans()),
        notify=draw(st.booleans()),
        deadline=draw(st.booleans()),
    )


@dataclasses.dataclass
class Entry:
    """One edit on the undo stack: what applying it last stored, and the model
    before and after it."""

    applied: AppliedEdit
    before: Model
    after: Model


def make_machine(pristine: Path, workdir: Path) -> type[RuleBasedStateMachine]:
    counter = itertools.count()

    class PlanMachine(RuleBasedStateMachine):
        """Random edits, undos and redos through PlanRepository.apply, checked
        against an in-memory model after every step."""

        def __init__(self) -> None:
            super().__init__()
            folder = workdir / f"run-{next(counter)}"
            folder.mkdir()
            self.path = folder / pristine.name
            shutil.copyfile(pristine, self.path)
            self.database = Database.open(self.path)
            self.observer = Database.open(self.path)  # another connection, as another process
            self.repo = PlanRepository(self.database)
            self.model: Model = read_model(self.path)
            self.revision = PlanRepository(self.observer).revision()
            self.undo_stack: list[Entry] = []
            self.redo_stack: list[Entry] = []

        @override
        def teardown(self) -> None:
            self.database.close()
            self.observer.close()

        @initialize()
        def starts_from_a_template_day(self) -> None:
            assert len(self.model) >= 10

        # ---------------------------------------------------------- helpers
        def ids(self) -> list[int]:
            return sorted(self.model)

        def block(self, block_id: int) -> Block:
            return self.repo.get_block(block_id)

        def store(self, edit: PlanEdit, after: Callable[[Model, AppliedEdit], Model]) -> None:
            before = dict(self.model)
            applied = self.repo.apply(edit)
            self.revision += 1
            self.model = after(before, applied)
            self.undo_stack.append(Entry(applied, before, self.model))
            self.redo_stack.clear()

        def expect_failure(self, edit: PlanEdit) -> None:
            with pytest.raises((PlanError, StorageError)):
                self.repo.apply(edit)

        # ---------------------------------------------------------- edits
        @rule(new=drafts())
        def create(self, new: BlockDraft) -> None:
            def after(model: Model, applied: AppliedEdit) -> Model:
                (created,) = applied.after
                assert created is not None
                assert created.id not in model
                assert created.uid not in {row[0] for row in model.values()}
                return model | {created.id: row_of(created.uid, new)}

            self.store(PlanEdit(describe("Add", [new]), (CreateBlock(new),)), after)

        @precondition(lambda self: self.model)
        @rule(data=st.data(), new=drafts())
        def update(self, data: st.DataObject, new: BlockDraft) -> None:
            block_id = data.draw(st.sampled_from(self.ids()))
            old = self.model[block_id]

            def after(model: Model, _applied: AppliedEdit) -> Model:
                return model | {block_id: row_of(old[0], new, done=bool(old[9]))}

            self.store(PlanEdit(describe("Change", [new]), (UpdateBlock(block_id, new),)), after)

        @precondition(lambda self: self.model)
        @rule(data=st.data())
        def delete(self, data: st.DataObject) -> None:
            block_id = data.draw(st.sampled_from(self.ids()))

            def after(model: Model, _applied: AppliedEdit) -> Model:
                return {k: v for k, v in model.items() if k != block_id}

            self.store(PlanEdit("Delete", (DeleteBlock(block_id),)), after)

        @precondition(lambda self: self.model)
        @rule(data=st.data(), done=st.booleans())
        def mark_done(self, data: st.DataObject, done: bool) -> None:
            block_id = data.draw(st.sampled_from(self.ids()))

            def after(model: Model, _applied: AppliedEdit) -> Model:
                row = model[block_id]
                return model | {block_id: (*row[:9], int(done), *row[10:])}

            self.store(PlanEdit("Mark done", (SetDone(block_id, done),)), after)

        @precondition(lambda self: len(self.model) >= 2)
        @rule(data=st.data(), new=drafts(), changed=drafts())
        def several_at_once(
            self, data: st.DataObject, new: BlockDraft, changed: BlockDraft
        ) -> None:
            updated, deleted = data.draw(st.permutations(self.ids()))[:2]
            old = self.model[updated]
            operations = (CreateBlock(new), UpdateBlock(updated, changed), DeleteBlock(deleted))

            def after(model: Model, applied: AppliedEdit) -> Model:
                created = applied.after[0]
                assert created is not None and created.id not in model
                result = model | {
                    created.id: row_of(created.uid, new),
                    updated: row_of(old[0], changed, done=bool(old[9])),
                }
                del result[deleted]
                return result

            self.store(PlanEdit("Rearrange", operations), after)

        @precondition(lambda self: self.model)
        @rule(data=st.data(), minutes=st.integers(1, 120))
        def push(self, data: st.DataObject, minutes: int) -> None:
            blocks = [self.block(block_id) for block_id in self.ids()]
            anchor = data.draw(st.sampled_from(blocks))
            result = push_rest_of_day(blocks, anchor, minutes)
            if not result.moves:
                return
            moves = {b.id: d for b, d in result.moves}
            edit = PlanEdit(
                describe("Push", [b for b, _ in result.moves]),
                tuple(UpdateBlock(block_id, d) for block_id, d in moves.items()),
            )

            def after(model: Model, _applied: AppliedEdit) -> Model:
                return model | {
                    block_id: row_of(model[block_id][0], d, done=bool(model[block_id][9]))
                    for block_id, d in moves.items()
                }

            self.store(edit, after)

        @rule(data=st.data(), new=drafts())
        def failing_edit(self, data: st.DataObject, new: BlockDraft) -> None:
            """A valid beginning and a bad end: nothing is stored."""
            endings: list[BlockOperation] = [
                UpdateBlock(10_000_000, new),
                DeleteBlock(10_000_000),
                CreateBlock(dataclasses.replace(new, end=new.start)),
                CreateBlock(dataclasses.replace(new, title=" ")),
            ]
            last = data.draw(st.sampled_from(endings))
            first: list[BlockOperation] = [CreateBlock(new)]
            if self.model:
                victim = data.draw(st.sampled_from(self.ids()))
                first += [UpdateBlock(victim, new), DeleteBlock(victim)]
            self.expect_failure(PlanEdit("Doomed", (*first, last)))

        # ---------------------------------------------------------- undo, redo
        @precondition(lambda self: self.undo_stack)
        @rule()
        def undo(self) -> None:
            entry = self.undo_stack.pop()
            self.repo.apply(entry.applied.inverse())
            self.revision += 1
            self.model = entry.before
            self.redo_stack.append(entry)

        @precondition(lambda self: self.redo_stack)
        @rule()
        def redo(self) -> None:
            entry = self.redo_stack.pop()
            entry.applied = self.repo.apply(entry.applied.redo())
            self.revision += 1
            self.model = entry.after
            self.undo_stack.append(entry)

        # ---------------------------------------------------------- checks
        @invariant()
        def the_file_holds_the_model(self) -> None:
            assert read_model(self.path) == self.model

        @invariant()
        def the_revision_counts_the_stored_edits(self) -> None:
            assert PlanRepository(self.observer).revision() == self.revision

    return PlanMachine


def test_stateful_random_edits_undo_and_redo(
    open_repository: OpenRepository, db_path: Path, tmp_path: Path
) -> None:
    repo = open_repository()
    repo.day_blocks(DAY)  # fills the day before too: a realistic start with ~20 blocks
    # Edits land on these days (and on the day before's blocks, whose eve is
    # DAY - 2): with every one marked as the user's, no template fills them.
    for day in (DAY - dt.timedelta(days=2), NEXT_DAY, NEXT_DAY + dt.timedelta(days=1)):
        repo.mark_day_filled(day)
    repo.database.close()
    assert not db_path.with_name(db_path.name + "-wal").exists()
    workdir = tmp_path / "runs"
    workdir.mkdir()
    machine = make_machine(db_path, workdir)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=20,
            stateful_step_count=25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )

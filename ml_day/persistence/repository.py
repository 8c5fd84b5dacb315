"""The plan's use cases, each one short transaction, in domain values."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import insert
from sqlmodel import Session, col, select

from ml_day.core.blocks import Block, BlockDraft, Category, clean_colour, clean_draft
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
)
from ml_day.core.templates import Template, TemplateBlock, instantiate
from ml_day.persistence.database import Database
from ml_day.persistence.errors import BlockNotFoundError, StorageError
from ml_day.persistence.records import day_query_bounds
from ml_day.persistence.schema import (
    DEFAULT_TEMPLATE_KEY,
    REVISION_KEY,
    BlockRow,
    CategoryRow,
    DayRow,
    MetaRow,
    TemplateBlockRow,
    TemplateRow,
)

# Colours given to categories created on the fly, picked by the name's hash.
NEW_CATEGORY_COLOURS = (
    "#3a7bd5", "#2e9e5b", "#e08a1e", "#6c4bd8", "#1f9aa8",
    "#c2407f", "#8a6d3b", "#d6453d", "#4f8fc0", "#7d8a96",
)  # fmt: skip


def new_uid() -> str:
    return f"{uuid.uuid4()}@ml-day"


def category_from_row(row: CategoryRow) -> Category:
    return Category(
        id=row.id,
        name=row.name,
        colour=row.colour,
        silent=row.silent,
        pre_alert_minutes=row.pre_alert_minutes,
    )


def block_from_rows(row: BlockRow, category: CategoryRow) -> Block:
    assert row.id is not None
    return Block(
        id=row.id,
        uid=row.uid,
        title=row.title,
        category=category_from_row(category),
        start=row.start,
        end=row.end,
        notes=row.notes,
        fixed=row.fixed,
        notify=row.notify,
        deadline=row.deadline,
        done=row.done,
        actual_start=row.actual_start,
        actual_end=row.actual_end,
    )


class PlanRepository:
    """Reads and edits the plan stored in one :class:`Database`."""

    def __init__(self, database: Database) -> None:
        self.database = database

    # ------------------------------------------------------------ reading
    def day_blocks(self, day: dt.date) -> list[Block]:
        """The blocks touching ``day`` in time order, filling it (and the day
        before, whose blocks may run into it) from the template if never filled."""
        with self.database.transaction() as session:
            self._fill_days(session, (day - dt.timedelta(days=1), day))
            return self._day_blocks(session, day)

    def peek_day_blocks(self, day: dt.date) -> list[Block]:
        """The blocks stored for ``day``, without filling anything."""
        with self.database.transaction() as session:
            return self._day_blocks(session, day)

    def is_day_filled(self, day: dt.date) -> bool:
        with self.database.transaction() as session:
            return session.get(DayRow, day) is not None

    def get_block(self, block_id: int) -> Block:
        with self.database.transaction() as session:
            return self._get_block(session, block_id)

    def categories(self) -> list[Category]:
        with self.database.transaction() as session:
            rows = session.exec(select(CategoryRow).order_by(col(CategoryRow.name))).all()
            return [category_from_row(row) for row in rows]

    def templates(self) -> list[Template]:
        with self.database.transaction() as session:
            rows = session.exec(select(TemplateRow).order_by(col(TemplateRow.name))).all()
            return [self._template(session, row) for row in rows]

    def default_template(self) -> Template | None:
        with self.database.transaction() as session:
            row = self._default_template_row(session)
            return None if row is None else self._template(session, row)

    def revision(self) -> int:
        """A number that changes with every edit, from this process or another."""
        with self.database.transaction() as session:
            meta = session.get(MetaRow, REVISION_KEY)
            return 0 if meta is None else int(meta.value)

    # ------------------------------------------------------------ editing
    def apply(self, edit: PlanEdit) -> AppliedEdit:
        """Apply every operation of ``edit`` in one transaction: all or nothing."""
        operations = [_cleaned(operation) for operation in edit.operations]
        before: list[Block | None] = []
        after: list[Block | None] = []
        with self.database.transaction() as session:
            for operation in operations:
                old, new = self._apply_one(session, operation)
                before.append(old)
                after.append(new)
            self._bump_revision(session)
        return AppliedEdit(edit, tuple(before), tuple(after))

    def _apply_one(
        self, session: Session, operation: BlockOperation
    ) -> tuple[Block | None, Block | None]:
        if isinstance(operation, CreateBlock):
            draft = operation.draft
            self._fill_days(session, _day_and_eve(draft.start))
            category = self._category_named(session, draft.category)
            row = BlockRow(uid=operation.uid or new_uid(), category_id=_id(category),
                           title=draft.title, start=draft.start, end=draft.end)  # fmt: skip
            _write_content(row, draft)
            session.add(row)
            session.flush()
            return None, block_from_rows(row, category)
        if isinstance(operation, UpdateBlock):
            old = self._get_block(session, operation.block_id)
            draft = operation.draft
            row = self._block_row(session, operation.block_id)
            self._fill_days(session, _day_and_eve(draft.start))
            category = self._category_named(session, draft.category)
            _write_content(row, draft)
            row.category_id = _id(category)
            session.add(row)
            session.flush()
            return old, block_from_rows(row, category)
        if isinstance(operation, DeleteBlock):
            old = self._get_block(session, operation.block_id)
            session.delete(self._block_row(session, operation.block_id))
            session.flush()
            return old, None
        if isinstance(operation, SetDone):
            old = self._get_block(session, operation.block_id)
            row = self._block_row(session, operation.block_id)
            row.done = operation.done
            session.add(row)
            session.flush()
            return old, self._get_block(session, operation.block_id)
        block = operation.block
        if session.get(BlockRow, block.id) is not None:
            raise StorageError(f"a block with id {block.id} already exists")
        category = self._category_named(session, block.category.name, block.category.colour)
        row = BlockRow(
            id=block.id,
            uid=block.uid or new_uid(),
            category_id=_id(category),
            title=block.title,
            start=block.start,
            end=block.end,
            done=block.done,
            actual_start=block.actual_start,
            actual_end=block.actual_end,
        )
        _write_content(row, block.draft())
        session.add(row)
        session.flush()
        return None, block_from_rows(row, category)

    def _bump_revision(self, session: Session) -> None:
        meta = session.get(MetaRow, REVISION_KEY)
        if meta is None:
            session.add(MetaRow(key=REVISION_KEY, value="1"))
        else:
            meta.value = str(int(meta.value) + 1)
            session.add(meta)

    def add_block(self, draft: BlockDraft) -> Block:
        """Store a new block (its day becomes the user's)."""
        return _only(self.apply(PlanEdit(describe("Add", [draft]), (CreateBlock(draft),))))

    def update_block(self, block_id: int, draft: BlockDraft) -> Block:
        """Replace a block's content (title, times, category, flags, notes)."""
        edit = PlanEdit(describe("Change", [draft]), (UpdateBlock(block_id, draft),))
        return _only(self.apply(edit))

    def set_done(self, block_id: int, *, done: bool) -> Block:
        edit = PlanEdit("Mark done" if done else "Mark not done", (SetDone(block_id, done),))
        return _only(self.apply(edit))

    def remove_block(self, block_id: int) -> Block:
        """Delete a block; returns what was deleted (for undo and messages)."""
        applied = self.apply(PlanEdit("Delete", (DeleteBlock(block_id),)))
        removed = applied.before[0]
        assert removed is not None
        return removed

    def restore_block(self, block: Block) -> Block:
        """Put back a removed block with its id and uid (undo of a removal)."""
        return _only(self.apply(PlanEdit(describe("Restore", [block]), (RestoreBlock(block),))))

    def mark_day_filled(self, day: dt.date) -> None:
        """Record ``day`` as the user's without adding template blocks."""
        with self.database.transaction() as session:
            if session.get(DayRow, day) is None:
                session.add(DayRow(date=day, template_id=None))

    def bulk_insert(self, drafts: Iterable[BlockDraft], *, batch: int = 10_000) -> int:
        """Insert many blocks fast (for imports and benchmarks); returns the count."""
        count = 0
        pending: list[dict[str, object]] = []
        with self.database.transaction() as session:
            categories: dict[str, CategoryRow] = {}
            for draft in drafts:
                clean = clean_draft(draft)
                if clean.category not in categories:
                    categories[clean.category] = self._category_named(session, clean.category)
                pending.append(
                    {"uid": new_uid(), "category_id": _id(categories[clean.category])}
                    | _content(clean)
                )
                if len(pending) >= batch:
                    session.execute(insert(BlockRow), pending)
                    count += len(pending)
                    pending.clear()
            if pending:
                session.execute(insert(BlockRow), pending)
                count += len(pending)
        return count

    def add_category(self, category: Category) -> Category:
        with self.database.transaction() as session:
            row = CategoryRow(
                name=category.name,
                colour=clean_colour(category.colour),
                silent=category.silent,
                pre_alert_minutes=category.pre_alert_minutes,
            )
            session.add(row)
            session.flush()
            return category_from_row(row)

    # ------------------------------------------------------------ internals
    def _day_blocks(self, session: Session, day: dt.date) -> list[Block]:
        earliest, before, after = day_query_bounds(day)
        statement = (
            select(BlockRow, CategoryRow)
            .join(CategoryRow, col(CategoryRow.id) == col(BlockRow.category_id))
            .where(col(BlockRow.start) >= dt.datetime.fromisoformat(earliest))
            .where(col(BlockRow.start) < dt.datetime.fromisoformat(before))
            .where(col(BlockRow.end) > dt.datetime.fromisoformat(after))
            .order_by(col(BlockRow.start), col(BlockRow.end), col(BlockRow.id))
        )
        return [block_from_rows(row, category) for row, category in session.exec(statement)]

    def _fill_days(self, session: Session, days: Sequence[dt.date]) -> None:
        filled = set(
            session.exec(select(col(DayRow.date)).where(col(DayRow.date).in_(list(days)))).all()
        )
        missing = [day for day in days if day not in filled]
        if not missing:
            return
        template_row = self._default_template_row(session)
        template = None if template_row is None else self._template(session, template_row)
        categories = {row.name: row for row in session.exec(select(CategoryRow)).all()}
        rows: list[dict[str, object]] = []
        for day in missing:
            session.add(DayRow(date=day, template_id=None if template is None else template.id))
            if template is None:
                continue
            for draft in instantiate(template, day):
                rows.append(
                    {"uid": new_uid(), "category_id": _id(categories[draft.category])}
                    | _content(draft)
                )
        session.flush()
        if rows:
            session.execute(insert(BlockRow), rows)

    def _default_template_row(self, session: Session) -> TemplateRow | None:
        meta = session.get(MetaRow, DEFAULT_TEMPLATE_KEY)
        if meta is None or not meta.value:
            return None
        return session.get(TemplateRow, int(meta.value))

    def _template(self, session: Session, row: TemplateRow) -> Template:
        statement = (
            select(TemplateBlockRow, CategoryRow)
            .join(CategoryRow, col(CategoryRow.id) == col(TemplateBlockRow.category_id))
            .where(col(TemplateBlockRow.template_id) == row.id)
            .order_by(col(TemplateBlockRow.position))
        )
        blocks = tuple(
            TemplateBlock(
                title=item.title,
                category=category.name,
                start=dt.time.fromisoformat(item.start_time),
                end=dt.time.fromisoformat(item.end_time),
                notes=item.notes,
                fixed=item.fixed,
                notify=item.notify,
                deadline=item.deadline,
            )
            for item, category in session.exec(statement)
        )
        return Template(id=row.id, name=row.name, builtin=row.builtin, blocks=blocks)

    def _category_named(
        self, session: Session, name: str, colour: str | None = None
    ) -> CategoryRow:
        row = session.exec(select(CategoryRow).where(col(CategoryRow.name) == name)).first()
        if row is None:
            digest = hashlib.sha256(name.encode()).digest()[0]
            chosen = colour or NEW_CATEGORY_COLOURS[digest % len(NEW_CATEGORY_COLOURS)]
            row = CategoryRow(name=name, colour=chosen)
            session.add(row)
            session.flush()
        return row

    def _block_row(self, session: Session, block_id: int) -> BlockRow:
        row = session.get(BlockRow, block_id)
        if row is None:
            raise BlockNotFoundError(block_id)
        return row

    def _get_block(self, session: Session, block_id: int) -> Block:
        row = self._block_row(session, block_id)
        category = session.get(CategoryRow, row.category_id)
        assert category is not None
        return block_from_rows(row, category)


def _only(applied: AppliedEdit) -> Block:
    block = applied.after[0]
    assert block is not None
    return block


def _day_and_eve(start: dt.datetime) -> tuple[dt.date, dt.date]:
    """The day a block starts on and the day before (whose blocks may reach into it)."""
    return (start.date() - dt.timedelta(days=1), start.date())


def _cleaned(operation: BlockOperation) -> BlockOperation:
    """The operation with its draft validated (a :class:`PlanError` otherwise)."""
    if isinstance(operation, CreateBlock):
        return CreateBlock(clean_draft(operation.draft), operation.uid)
    if isinstance(operation, UpdateBlock):
        return UpdateBlock(operation.block_id, clean_draft(operation.draft))
    if isinstance(operation, RestoreBlock):
        clean_draft(operation.block.draft())
    return operation


def _write_content(row: BlockRow, draft: BlockDraft) -> None:
    row.title = draft.title
    row.start = draft.start
    row.end = draft.end
    row.notes = draft.notes
    row.fixed = draft.fixed
    row.notify = draft.notify
    row.deadline = draft.deadline


def _content(draft: BlockDraft) -> dict[str, object]:
    """A draft's content as column values, for bulk inserts."""
    return {
        "title": draft.title,
        "start": draft.start,
        "end": draft.end,
        "notes": draft.notes,
        "fixed": draft.fixed,
        "notify": draft.notify,
        "deadline": draft.deadline,
    }


def _id(row: CategoryRow) -> int:
    assert row.id is not None
    return row.id

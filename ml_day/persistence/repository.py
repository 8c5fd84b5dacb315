"""The plan's use cases, each one short transaction, in domain values."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import insert
from sqlmodel import Session, col, select

from ml_day.core.blocks import Block, BlockDraft, Category, clean_colour, clean_draft
from ml_day.core.templates import Template, TemplateBlock, instantiate
from ml_day.persistence.database import Database
from ml_day.persistence.errors import BlockNotFoundError, StorageError
from ml_day.persistence.records import day_query_bounds
from ml_day.persistence.schema import (
    DEFAULT_TEMPLATE_KEY,
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

    # ------------------------------------------------------------ editing
    def add_block(self, draft: BlockDraft) -> Block:
        """Store a new block; marks its day as the user's."""
        clean = clean_draft(draft)
        with self.database.transaction() as session:
            self._fill_days(
                session, (clean.start.date() - dt.timedelta(days=1), clean.start.date())
            )
            category = self._category_named(session, clean.category)
            row = BlockRow(uid=new_uid(), category_id=_id(category), title=clean.title,
                           start=clean.start, end=clean.end)  # fmt: skip
            _write_content(row, clean)
            session.add(row)
            session.flush()
            return block_from_rows(row, category)

    def update_block(self, block_id: int, draft: BlockDraft) -> Block:
        """Replace a block's content (title, times, category, flags, notes)."""
        clean = clean_draft(draft)
        with self.database.transaction() as session:
            row = self._block_row(session, block_id)
            self._fill_days(
                session, (clean.start.date() - dt.timedelta(days=1), clean.start.date())
            )
            category = self._category_named(session, clean.category)
            _write_content(row, clean)
            row.category_id = _id(category)
            session.add(row)
            session.flush()
            return block_from_rows(row, category)

    def set_done(self, block_id: int, *, done: bool) -> Block:
        with self.database.transaction() as session:
            row = self._block_row(session, block_id)
            row.done = done
            session.add(row)
            session.flush()
            return self._get_block(session, block_id)

    def remove_block(self, block_id: int) -> Block:
        """Delete a block; returns what was deleted (for undo and messages)."""
        with self.database.transaction() as session:
            block = self._get_block(session, block_id)
            session.delete(self._block_row(session, block_id))
            return block

    def restore_block(self, block: Block) -> Block:
        """Put back a removed block with its id and uid (undo of a removal)."""
        with self.database.transaction() as session:
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
            return block_from_rows(row, category)

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

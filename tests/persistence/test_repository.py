"""The plan's use cases against a real SQLite file."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ml_day.core.blocks import Block, BlockDraft, PlanError
from ml_day.core.days import overlaps_day, segments_for_day
from ml_day.persistence.errors import BlockNotFoundError, StorageError
from ml_day.persistence.repository import NEW_CATEGORY_COLOURS, PlanRepository

OpenRepository = Callable[[], PlanRepository]

DAY = dt.date(2026, 5, 4)
NEXT_DAY = DAY + dt.timedelta(days=1)
PREVIOUS_DAY = DAY - dt.timedelta(days=1)

# The default day of PRODUCT.md: (start, end, title, category).
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


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def draft(**changes: Any) -> BlockDraft:
    values: dict[str, Any] = {
        "title": "Paper reading",
        "category": "deep-work",
        "start": at(DAY, 15, 0),
        "end": at(DAY, 16, 0),
    }
    values.update(changes)
    return BlockDraft(**values)


def expected_template_day(day: dt.date) -> list[tuple[str, str, dt.datetime, dt.datetime]]:
    result = []
    for start, end, title, category in DEFAULT_DAY:
        start_time, end_time = dt.time.fromisoformat(start), dt.time.fromisoformat(end)
        end_day = day + dt.timedelta(days=1) if end_time <= start_time else day
        result.append(
            (
                title,
                category,
                dt.datetime.combine(day, start_time),
                dt.datetime.combine(end_day, end_time),
            )
        )
    return result


def summary(blocks: list[Block]) -> list[tuple[str, str, dt.datetime, dt.datetime]]:
    return [(b.title, b.category.name, b.start, b.end) for b in blocks]


def table_dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the plan's tables, read with the plain driver."""
    uri = f"{path.as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        return {
            table: list(connection.execute(f"SELECT * FROM {table} ORDER BY 1"))
            for table in ("block", "category", "day", "meta", "template", "template_block")
        }


# ---------------------------------------------------------------- filling days


def test_a_never_opened_day_is_filled_from_the_template(repo: PlanRepository) -> None:
    assert not repo.is_day_filled(DAY)
    blocks = repo.day_blocks(DAY)

    assert len(blocks) == 11
    assert all(overlaps_day(block, DAY) for block in blocks)
    night_before = blocks[0]
    assert summary([night_before]) == [("Sleep", "sleep", at(PREVIOUS_DAY, 22, 30), at(DAY, 6))]
    assert summary(blocks[1:]) == expected_template_day(DAY)

    assert len({b.id for b in blocks}) == 11
    assert len({b.uid for b in blocks}) == 11
    assert all(b.uid.endswith("@ml-day") for b in blocks)
    assert all(not b.done and b.notes == "" for b in blocks)
    assert all(b.actual_start is None and b.actual_end is None for b in blocks)
    flags = {b.category.name: (b.fixed, b.notify, b.deadline) for b in blocks[1:]}
    assert flags["meeting"] == (True, True, False)
    assert flags["wrap-up"] == (True, True, True)
    assert flags["sleep"] == (False, False, False)
    assert blocks[-1].category.silent
    assert {b.category.pre_alert_minutes for b in blocks if b.category.name == "meeting"} == {5}

    # The day and the one before (whose night runs into it) are now the user's.
    assert repo.is_day_filled(DAY)
    assert repo.is_day_filled(PREVIOUS_DAY)
    assert not repo.is_day_filled(NEXT_DAY)


def test_filling_is_done_once(repo: PlanRepository, db_path: Path) -> None:
    first = repo.day_blocks(DAY)
    second = repo.day_blocks(DAY)
    assert second == first
    day_before = repo.day_blocks(PREVIOUS_DAY)
    assert len(day_before) == 11
    assert day_before[-1] == first[0]  # the night that runs into DAY
    assert repo.day_blocks(DAY) == first
    # DAY and PREVIOUS_DAY from the first call, the day before that from the third.
    assert len(table_dump(db_path)["day"]) == 3
    assert len(table_dump(db_path)["block"]) == 30


def test_peeking_does_not_fill(repo: PlanRepository) -> None:
    repo.day_blocks(DAY)
    peeked = repo.peek_day_blocks(NEXT_DAY)
    assert summary(peeked) == [("Sleep", "sleep", at(DAY, 22, 30), at(NEXT_DAY, 6))]
    assert not repo.is_day_filled(NEXT_DAY)
    assert repo.peek_day_blocks(dt.date(2030, 1, 1)) == []


def test_an_emptied_day_stays_empty(open_repository: OpenRepository) -> None:
    repo = open_repository()
    for block in repo.day_blocks(DAY):
        repo.remove_block(block.id)
    assert repo.day_blocks(DAY) == []
    repo.database.close()

    reopened = open_repository()
    assert reopened.is_day_filled(DAY)
    assert reopened.day_blocks(DAY) == []
    assert reopened.day_blocks(DAY) == []
    assert reopened.peek_day_blocks(DAY) == []


def test_a_day_marked_filled_gets_no_template(repo: PlanRepository) -> None:
    repo.mark_day_filled(PREVIOUS_DAY)
    repo.mark_day_filled(DAY)
    repo.mark_day_filled(DAY)  # twice is fine
    assert repo.day_blocks(DAY) == []


# ---------------------------------------------------------------- editing


def test_add_update_done_remove_restore_survive_reopening(
    open_repository: OpenRepository,
) -> None:
    repo = open_repository()
    added = repo.add_block(draft(notes="arXiv 2401.00001", fixed=True, deadline=True))
    assert added.id > 0
    assert added.uid
    assert (added.title, added.category.name, added.start, added.end) == (
        "Paper reading",
        "deep-work",
        at(DAY, 15),
        at(DAY, 16),
    )
    assert (added.notes, added.fixed, added.notify, added.deadline, added.done) == (
        "arXiv 2401.00001",
        True,
        True,
        True,
        False,
    )
    # Adding a block to a day fills it first, like opening it would.
    assert added in repo.day_blocks(DAY)
    assert len(repo.day_blocks(DAY)) == 12
    repo.database.close()

    repo = open_repository()
    assert repo.get_block(added.id) == added
    updated = repo.update_block(
        added.id,
        draft(
            title="Paper reading group",
            category="meeting",
            start=at(DAY, 16),
            end=at(DAY, 17),
            notify=False,
        ),
    )
    assert updated.id == added.id
    assert updated.uid == added.uid
    assert (updated.title, updated.category.name, updated.start, updated.end, updated.notify) == (
        "Paper reading group",
        "meeting",
        at(DAY, 16),
        at(DAY, 17),
        False,
    )
    assert updated.category.pre_alert_minutes == 5
    repo.database.close()

    repo = open_repository()
    assert repo.get_block(added.id) == updated
    done = repo.set_done(added.id, done=True)
    assert done == dataclasses.replace(updated, done=True)
    repo.database.close()

    repo = open_repository()
    assert repo.get_block(added.id).done
    removed = repo.remove_block(added.id)
    assert removed == done
    repo.database.close()

    repo = open_repository()
    with pytest.raises(BlockNotFoundError):
        repo.get_block(added.id)
    assert added.id not in {b.id for b in repo.day_blocks(DAY)}
    restored = repo.restore_block(removed)
    assert restored == removed
    repo.database.close()

    repo = open_repository()
    assert repo.get_block(added.id) == removed
    assert repo.set_done(added.id, done=False) == dataclasses.replace(removed, done=False)
    with pytest.raises(StorageError, match=f"id {added.id} already exists"):
        repo.restore_block(removed)


def test_add_cleans_the_draft(repo: PlanRepository) -> None:
    added = repo.add_block(
        draft(
            title="  Cafe\u0301 chat ",
            category=" Social ",
            start=dt.datetime(2026, 5, 4, 15, 0, 30),
            end=dt.datetime(2026, 5, 4, 15, 45, 10),
            notes=" a\r\nb ",
        )
    )
    assert added.title == "Caf\u00e9 chat"
    assert added.category.name == "social"
    assert (added.start, added.end) == (at(DAY, 15), at(DAY, 15, 45))
    assert added.notes == "a\nb"


def test_an_unknown_category_is_created(repo: PlanRepository) -> None:
    before = {c.name for c in repo.categories()}
    assert "gardening" not in before

    first = repo.add_block(draft(title="Water the plants", category="Gardening"))
    assert first.category.name == "gardening"
    assert first.category.id is not None
    assert first.category.colour in NEW_CATEGORY_COLOURS
    assert not first.category.silent
    assert first.category.pre_alert_minutes == 0
    assert {c.name for c in repo.categories()} == before | {"gardening"}

    second = repo.add_block(
        draft(title="Weed the beds", category="gardening", start=at(DAY, 17), end=at(DAY, 17, 30))
    )
    assert second.category == first.category
    assert len(repo.categories()) == len(before) + 1


def test_a_midnight_crossing_block_is_one_block_seen_from_both_days(
    open_repository: OpenRepository,
) -> None:
    repo = open_repository()
    shift = repo.add_block(
        draft(title="Night shift", category="on-call", start=at(DAY, 23), end=at(NEXT_DAY, 4))
    )
    assert shift in repo.day_blocks(DAY)
    assert shift in repo.day_blocks(NEXT_DAY)

    # Edit it from the second day: lengthen its end.
    seen_on_day_two = next(b for b in repo.day_blocks(NEXT_DAY) if b.id == shift.id)
    longer = repo.update_block(
        seen_on_day_two.id, dataclasses.replace(seen_on_day_two.draft(), end=at(NEXT_DAY, 5))
    )
    repo.database.close()

    repo = open_repository()
    from_day_one = next(b for b in repo.day_blocks(DAY) if b.id == shift.id)
    from_day_two = next(b for b in repo.day_blocks(NEXT_DAY) if b.id == shift.id)
    assert from_day_one == from_day_two == longer
    assert (longer.start, longer.end) == (at(DAY, 23), at(NEXT_DAY, 5))
    (part_one,) = [s for s in segments_for_day(repo.day_blocks(DAY), DAY) if s.block.id == shift.id]
    (part_two,) = [
        s for s in segments_for_day(repo.day_blocks(NEXT_DAY), NEXT_DAY) if s.block.id == shift.id
    ]
    assert (part_one.start, part_one.end) == (at(DAY, 23), at(NEXT_DAY, 0))
    assert (part_two.start, part_two.end) == (at(NEXT_DAY, 0), at(NEXT_DAY, 5))

    # Edit it from the first day: rename it; the second day sees the new title.
    repo.update_block(shift.id, dataclasses.replace(from_day_one.draft(), title="On call"))
    assert [b.title for b in repo.day_blocks(NEXT_DAY) if b.id == shift.id] == ["On call"]

    # Removing it from either day removes the one block.
    repo.remove_block(shift.id)
    assert shift.id not in {b.id for b in repo.day_blocks(DAY)}
    assert shift.id not in {b.id for b in repo.day_blocks(NEXT_DAY)}


def test_the_template_sleep_block_is_shared_by_both_days(repo: PlanRepository) -> None:
    sleep = repo.day_blocks(DAY)[-1]
    assert sleep.title == "Sleep"
    assert repo.day_blocks(NEXT_DAY)[0] == sleep
    repo.update_block(sleep.id, dataclasses.replace(sleep.draft(), end=at(NEXT_DAY, 6, 30)))
    assert repo.day_blocks(NEXT_DAY)[0].end == at(NEXT_DAY, 6, 30)
    assert repo.day_blocks(DAY)[-1].end == at(NEXT_DAY, 6, 30)


def test_moving_a_block_to_another_day(repo: PlanRepository) -> None:
    added = repo.add_block(draft())
    moved = repo.update_block(added.id, draft(start=at(NEXT_DAY, 15), end=at(NEXT_DAY, 16)))
    assert moved.id not in {b.id for b in repo.day_blocks(DAY)}
    assert moved in repo.day_blocks(NEXT_DAY)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        # 02:00-03:00 does not exist in Berlin or New York that night.
        (dt.datetime(2026, 3, 29, 2, 30), dt.datetime(2026, 3, 29, 3, 30)),
        # 02:00-03:00 happens twice in Berlin.
        (dt.datetime(2026, 10, 25, 2, 0), dt.datetime(2026, 10, 25, 3, 0)),
        (dt.datetime(2026, 11, 1, 1, 15), dt.datetime(2026, 11, 1, 1, 45)),
        (dt.datetime(2026, 3, 28, 23, 30), dt.datetime(2026, 3, 29, 2, 30)),
    ],
)
def test_wall_times_on_daylight_saving_days_are_stored_unchanged(
    open_repository: OpenRepository, db_path: Path, start: dt.datetime, end: dt.datetime
) -> None:
    repo = open_repository()
    added = repo.add_block(draft(title="Night job", start=start, end=end))
    repo.database.close()

    repo = open_repository()
    stored = repo.get_block(added.id)
    assert (stored.start, stored.end) == (start, end)
    assert stored.start.tzinfo is None
    assert stored.end.tzinfo is None
    assert stored in repo.day_blocks(start.date())
    (row,) = [r for r in table_dump(db_path)["block"] if r[0] == added.id]
    assert start.strftime("%Y-%m-%d %H:%M:%S") in [str(v)[:19] for v in row]


def test_a_daylight_saving_day_gets_the_template_at_its_wall_times(repo: PlanRepository) -> None:
    spring = dt.date(2026, 3, 29)
    blocks = repo.day_blocks(spring)
    assert summary(blocks[1:]) == expected_template_day(spring)


def test_bulk_insert_of_ten_thousand_blocks(repo: PlanRepository, db_path: Path) -> None:
    first_day = dt.date(2030, 1, 1)

    def drafts() -> list[BlockDraft]:
        result = []
        for n in range(10_000):
            day = first_day + dt.timedelta(days=n // 100)
            start = at(day, 0) + dt.timedelta(minutes=10 * (n % 100))
            result.append(
                BlockDraft(
                    title=f"Run {n}",
                    category="Bulk",
                    start=start,
                    end=start + dt.timedelta(minutes=10),
                )
            )
        return result

    assert repo.bulk_insert(iter(drafts()), batch=3_000) == 10_000

    dump = table_dump(db_path)
    assert len(dump["block"]) == 10_000
    assert len({row[1] for row in dump["block"]}) == 10_000  # uids are unique
    assert [c.name for c in repo.categories()].count("bulk") == 1
    on_first_day = repo.peek_day_blocks(first_day)
    assert len(on_first_day) == 100
    assert [b.title for b in on_first_day] == [f"Run {n}" for n in range(100)]
    assert {b.category.name for b in on_first_day} == {"bulk"}
    last_day = first_day + dt.timedelta(days=99)
    assert repo.peek_day_blocks(last_day)[-1].title == "Run 9999"
    # Bulk inserts do not mark days as filled: opening one still adds the template.
    assert not repo.is_day_filled(first_day)


def test_unknown_ids_raise_block_not_found(repo: PlanRepository, db_path: Path) -> None:
    repo.day_blocks(DAY)
    before = table_dump(db_path)
    missing = 1_000_000
    operations: list[Callable[[], object]] = [
        lambda: repo.get_block(missing),
        lambda: repo.update_block(missing, draft()),
        lambda: repo.remove_block(missing),
        lambda: repo.set_done(missing, done=True),
    ]
    for operation in operations:
        with pytest.raises(BlockNotFoundError) as caught:
            operation()
        assert caught.value.block_id == missing
        assert str(caught.value) == f"there is no block with id {missing}"
        assert isinstance(caught.value, StorageError)
    assert table_dump(db_path) == before


def test_validation_errors_leave_the_stored_plan_unchanged(
    repo: PlanRepository, db_path: Path
) -> None:
    blocks = repo.day_blocks(DAY)
    lunch = next(b for b in blocks if b.category.name == "meal")
    before = table_dump(db_path)
    bad_edits: list[Callable[[], object]] = [
        lambda: repo.add_block(draft(title="")),
        lambda: repo.add_block(draft(title="x" * 10_000_000)),
        lambda: repo.add_block(draft(start=at(DAY, 16), end=at(DAY, 15))),
        lambda: repo.add_block(draft(category="")),
        lambda: repo.update_block(lunch.id, dataclasses.replace(lunch.draft(), end=lunch.start)),
        lambda: repo.update_block(lunch.id, dataclasses.replace(lunch.draft(), title="a\x00b")),
        lambda: repo.update_block(
            lunch.id, dataclasses.replace(lunch.draft(), end=lunch.start + dt.timedelta(days=2))
        ),
        lambda: repo.bulk_insert([draft(), draft(), draft(title="   ")], batch=1),
        # A bad block for a day never opened must not fill that day either.
        lambda: repo.add_block(
            draft(title="", start=at(dt.date(2031, 1, 1), 9), end=at(dt.date(2031, 1, 1), 10))
        ),
    ]
    for edit in bad_edits:
        with pytest.raises(PlanError) as caught:
            edit()
        assert "\n" not in str(caught.value)
        assert table_dump(db_path) == before
    assert repo.get_block(lunch.id) == lunch
    assert repo.day_blocks(DAY) == blocks
    assert not repo.is_day_filled(dt.date(2031, 1, 1))

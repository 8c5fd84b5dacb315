"""ML Day's own JSON backup: every table out, every table back, versioned; a
plan that is not empty is replaced only when asked; a bad file changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from ml_day.core.blocks import BlockDraft
from ml_day.persistence.database import Database
from ml_day.persistence.full_backup import (
    FORMAT,
    VERSION,
    BackupFileError,
    PlanNotEmptyError,
    export_backup,
    import_backup,
    is_plan_empty,
    read_backup,
)
from ml_day.persistence.notifier_state import NotifierStateRepository
from ml_day.persistence.repository import PlanRepository
from ml_day.persistence.schema import METADATA, SCHEMA_VERSION
from tests.interchange.conftest import ORDINARY_DAY, STAMP, OpenPlan, at

TABLES = sorted(METADATA.tables)


def dump(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read with the standard library."""
    with sqlite3.connect(database.path) as connection:
        return {
            table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in TABLES
        }


def sequence(database: Database) -> int:
    with sqlite3.connect(database.path) as connection:
        row = connection.execute("SELECT seq FROM sqlite_sequence WHERE name = 'block'").fetchone()
    return int(row[0])


def filled_plan(plan: PlanRepository) -> None:
    plan.day_blocks(ORDINARY_DAY)
    extra = plan.add_block(
        BlockDraft(
            title="Paper reading: «Attention» ☕",
            category="reading",
            start=at(ORDINARY_DAY, 17),
            end=at(ORDINARY_DAY, 18),
            notes="Sections 3–4\nthen notes",
            deadline=True,
        )
    )
    plan.set_done(extra.id, done=True)
    removed = plan.add_block(
        BlockDraft(title="Gone", category="general", start=at(ORDINARY_DAY, 21),
                   end=at(ORDINARY_DAY, 22))
    )  # fmt: skip
    plan.remove_block(removed.id)  # its id must never come back


def test_a_backup_restores_every_table_into_an_empty_plan(open_plan: OpenPlan) -> None:
    source = open_plan("source")
    filled_plan(source)
    data = export_backup(source.database, now=STAMP)
    document = json.loads(data)
    assert (document["format"], document["version"], document["schema"]) == (
        FORMAT,
        VERSION,
        SCHEMA_VERSION,
    )
    assert sorted(document["tables"]) == TABLES
    assert document["exported_at"] == "2026-03-01T09:00:00Z"

    target = open_plan("target")
    assert is_plan_empty(target.database)
    summary = import_backup(target.database, data)
    assert summary.rows["block"] == len(document["tables"]["block"]) == 21
    assert summary.describe() == "21 blocks, 12 categories, 2 days, 1 template"
    restored, original = dump(target.database), dump(source.database)
    for table in TABLES:
        if table != "meta":
            assert restored[table] == original[table], table
    assert sequence(target.database) == sequence(source.database)
    again = PlanRepository(target.database)
    assert [b.draft() for b in again.day_blocks(ORDINARY_DAY)] == [
        b.draft() for b in source.day_blocks(ORDINARY_DAY)
    ]
    assert any(block.done for block in again.day_blocks(ORDINARY_DAY))


def test_a_new_block_after_a_restore_never_reuses_an_id(open_plan: OpenPlan) -> None:
    source = open_plan("source")
    filled_plan(source)
    highest = sequence(source.database)
    target = open_plan("target")
    import_backup(target.database, export_backup(source.database, now=STAMP))
    new = PlanRepository(target.database).add_block(
        BlockDraft(title="After", category="general", start=at(ORDINARY_DAY, 23),
                   end=at(ORDINARY_DAY, 23, 30))
    )  # fmt: skip
    assert new.id == highest + 1


def test_the_revision_moves_on_and_the_notifier_state_stays(open_plan: OpenPlan) -> None:
    source = open_plan("source")
    filled_plan(source)
    NotifierStateRepository(source.database).set_watermark(STAMP)
    target = open_plan("target")
    here = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
    NotifierStateRepository(target.database).set_watermark(here)
    before = max(target.revision(), source.revision())
    import_backup(target.database, export_backup(source.database, now=STAMP))
    assert target.revision() == before + 1
    assert NotifierStateRepository(target.database).watermark() == here


def test_a_plan_with_blocks_is_replaced_only_when_asked(open_plan: OpenPlan) -> None:
    source = open_plan("source")
    filled_plan(source)
    data = export_backup(source.database, now=STAMP)
    target = open_plan("target")
    target.day_blocks(dt.date(2030, 1, 1))
    before = dump(target.database)
    with pytest.raises(PlanNotEmptyError, match="already holds blocks"):
        import_backup(target.database, data)
    assert dump(target.database) == before
    import_backup(target.database, data, replace=True)
    assert dump(target.database)["block"] == dump(source.database)["block"]
    assert not target.is_day_filled(dt.date(2030, 1, 1))


def backup_of(open_plan: OpenPlan) -> dict[str, Any]:
    source = open_plan("source")
    filled_plan(source)
    document: dict[str, Any] = json.loads(export_backup(source.database, now=STAMP))
    return document


def changed(document: dict[str, Any], table: str, column: str, value: object) -> bytes:
    document["tables"][table][0][column] = value
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(lambda d: b"\xff\xfe not text",
                     "it is not a backup file (it is not UTF-8 text)", id="binary"),
        pytest.param(lambda d: b'{"format": "ml-day-backup", ', "it is not a backup file (not JSON",
                     id="truncated"),
        pytest.param(lambda d: b'{"tables": {}}', 'it is not an ML Day backup (no "format"',
                     id="foreign-json"),
        pytest.param(lambda d: json.dumps({**d, "version": VERSION + 1}).encode(),
                     "written by a newer ML Day (format version 2", id="newer-format"),
        pytest.param(lambda d: json.dumps({**d, "schema": SCHEMA_VERSION + 1}).encode(),
                     "written by a newer ML Day (schema", id="newer-schema"),
        pytest.param(lambda d: json.dumps({**d, "tables": {**d["tables"], "robots": []}}).encode(),
                     "does not know (robots)", id="unknown-table"),
        pytest.param(lambda d: changed(d, "block", "start", "yesterday"),
                     "row 1 of table block has a bad start ('yesterday')", id="bad-date"),
        pytest.param(lambda d: changed(d, "block", "fixed", "yes"),
                     "row 1 of table block has a bad fixed ('yes')", id="bad-flag"),
        pytest.param(lambda d: changed(d, "block", "colour", "#fff"),
                     "row 1 of table block has a column this ML Day does not know (colour)",
                     id="unknown-column"),
        pytest.param(lambda d: changed(d, "block", "category_id", 9999),
                     "the backup's rows do not fit together (FOREIGN KEY constraint failed)",
                     id="no-such-category"),
        pytest.param(lambda d: changed(d, "block", "end", "2026-11-26T00:00:00"),
                     "is bad: the end (00:00) is not after the start", id="end-before-start"),
    ],
)  # fmt: skip
def test_a_bad_backup_is_refused_with_one_line_and_changes_nothing(
    open_plan: OpenPlan, make: Any, message: str
) -> None:
    data = make(backup_of(open_plan))
    target = open_plan("target")
    before = dump(target.database)
    with pytest.raises(BackupFileError) as raised:
        import_backup(target.database, data)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert dump(target.database) == before


def test_reading_a_backup_says_what_it_holds_without_storing(
    open_plan: OpenPlan, tmp_path: Path
) -> None:
    source = open_plan("source")
    filled_plan(source)
    summary = read_backup(export_backup(source.database, now=STAMP))
    assert summary.describe() == "21 blocks, 12 categories, 2 days, 1 template"
    assert summary.schema == SCHEMA_VERSION

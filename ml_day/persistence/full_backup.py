"""ML Day's own full backup: every table of the plan as one JSON document.

Unlike an iCalendar export, which carries blocks for other calendars, this
carries everything ML Day stores (categories, templates, the days filled,
blocks with their ids and UIDs, and the named values of the ``meta`` table),
so that a new machine gets the very same plan. The document is versioned::

    {"format": "ml-day-backup", "version": 1, "schema": 1,
     "exported_at": "2026-03-29T08:00:00Z", "app": "ML Day 0.1.0",
     "tables": {"category": [{"id": 1, "name": "fitness", ...}, ...], ...},
     "sequences": {"block": 42}}

It is written from the schema's own table list, so a table added later is
carried without changes here. Importing it into a plan that holds no block
and no filled day restores everything; a plan that does is replaced only when
asked to (``replace=True``), in one transaction. The notifier's state (what
was last announced, snoozes, a pause) belongs to the machine, not the plan,
and stays as it is.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ml_day import APP_NAME, __version__
from ml_day.core.blocks import BlockDraft, PlanError, clean_draft
from ml_day.persistence.database import Database
from ml_day.persistence.errors import StorageError
from ml_day.persistence.schema import METADATA, REVISION_KEY, SCHEMA_VERSION

FORMAT = "ml-day-backup"
VERSION = 1
"""The layout of the document; the tables inside follow ``schema``."""
MACHINE_KEYS_PREFIX = "notifier."
"""``meta`` keys of this machine's notifier: kept, never taken from a backup."""


class BackupFileError(StorageError):
    """The document is not a usable ML Day backup; the message says why, on one line."""


class PlanNotEmptyError(StorageError):
    """The plan holds blocks or filled days, and replacing it was not asked for."""


@dataclass(frozen=True, slots=True)
class BackupSummary:
    """What a backup holds (or what an import restored)."""

    rows: Mapping[str, int]
    """Rows per table."""
    schema: int
    exported_at: str

    def describe(self) -> str:
        """ "42 blocks, 11 categories, 30 days, 1 template"."""
        names = (
            ("block", "block", "blocks"),
            ("category", "category", "categories"),
            ("day", "day", "days"),
            ("template", "template", "templates"),
        )
        counts = [(self.rows.get(table, 0), one, many) for table, one, many in names]
        return ", ".join(f"{count} {one if count == 1 else many}" for count, one, many in counts)


# ---------------------------------------------------------------- export
def export_backup(database: Database, *, now: dt.datetime) -> bytes:
    """The whole plan as a backup document (UTF-8 JSON), read in one transaction.

    ``now`` (aware, from the app's clock) is recorded as the time of the export.
    """
    tables: dict[str, list[dict[str, Any]]] = {}
    with database.transaction() as session:
        connection = session.connection()
        for table in METADATA.sorted_tables:
            rows = connection.execute(select(table).order_by(*table.primary_key.columns))
            tables[table.name] = [
                {column: _to_json(value) for column, value in row._mapping.items()} for row in rows
            ]
        sequences = _sequences(connection)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "schema": SCHEMA_VERSION,
        "app": f"{APP_NAME} {__version__}",
        "exported_at": now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tables": tables,
        "sequences": sequences,
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _to_json(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _sequences(connection: Connection) -> dict[str, int]:
    """Where each AUTOINCREMENT counter stands, so ids stay never reused."""
    exists = connection.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
    ).first()
    if exists is None:
        return {}
    rows = connection.execute(text("SELECT name, seq FROM sqlite_sequence"))
    return {str(name): int(seq) for name, seq in rows}


# ---------------------------------------------------------------- import
def read_backup(data: bytes) -> BackupSummary:
    """What the backup document in ``data`` holds; :class:`BackupFileError` if
    it is not one this version can restore."""
    document = _document(data)
    rows = {name: len(items) for name, items in document["tables"].items()}
    return BackupSummary(rows, int(document["schema"]), str(document.get("exported_at", "")))


def is_plan_empty(database: Database) -> bool:
    """Whether the plan holds no block and no filled day (only what a new plan
    starts with: the categories and the built-in template)."""
    with database.transaction() as session:
        connection = session.connection()
        for name in ("block", "day"):
            table = METADATA.tables[name]
            if connection.execute(select(func.count()).select_from(table)).scalar_one():
                return False
    return True


def import_backup(database: Database, data: bytes, *, replace: bool = False) -> BackupSummary:
    """Restore the backup in ``data`` into ``database``, all or nothing.

    Refuses (:class:`PlanNotEmptyError`) a plan that holds blocks or filled
    days unless ``replace`` is true; then everything in it is replaced.
    """
    document = _document(data)
    prepared = {
        table.name: [_row(table, item, index) for index, item in enumerate(rows, start=1)]
        for table, rows in _tables(document)
    }
    _check_blocks(prepared.get("block", []))
    with database.transaction() as session:
        connection = session.connection()
        if not replace and not _empty(connection):
            raise PlanNotEmptyError(
                "the plan already holds blocks; restoring the backup would replace them "
                "(use --replace to replace the whole plan)"
            )
        kept = _machine_meta(connection)
        revision = _revision(connection)
        for table in reversed(METADATA.sorted_tables):
            connection.execute(delete(table))
        try:
            for table in METADATA.sorted_tables:
                rows = prepared.get(table.name, [])
                if table.name == "meta":
                    rows = _meta_rows(rows, kept, revision)
                if rows:
                    connection.execute(insert(table), rows)
        except IntegrityError as error:
            reason = str(error.orig).splitlines()[0] if error.orig else "constraint failed"
            raise BackupFileError(f"the backup's rows do not fit together ({reason})") from error
        _restore_sequences(connection, document.get("sequences", {}))
    return BackupSummary(
        {name: len(rows) for name, rows in prepared.items()},
        int(document["schema"]),
        str(document.get("exported_at", "")),
    )


def _document(data: bytes) -> dict[str, Any]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise BackupFileError("it is not a backup file (it is not UTF-8 text)") from error
    except json.JSONDecodeError as error:
        raise BackupFileError(
            f"it is not a backup file (not JSON: {error.msg} on line {error.lineno})"
        ) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupFileError(f'it is not an {APP_NAME} backup (no "format": "{FORMAT}")')
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BackupFileError('the backup has no "version" number')
    if version > VERSION:
        raise BackupFileError(
            f"the backup was written by a newer {APP_NAME} (format version {version}; "
            f"this one reads up to {VERSION}); please update {APP_NAME}"
        )
    schema = document.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise BackupFileError('the backup has no "schema" number')
    if schema > SCHEMA_VERSION:
        raise BackupFileError(
            f"the backup was written by a newer {APP_NAME} (schema {schema}; "
            f"this one reads up to {SCHEMA_VERSION}); please update {APP_NAME}"
        )
    tables = document.get("tables")
    if not isinstance(tables, dict) or not all(isinstance(rows, list) for rows in tables.values()):
        raise BackupFileError('the backup has no "tables" with lists of rows')
    unknown = sorted(set(tables) - set(METADATA.tables))
    if unknown:
        raise BackupFileError(
            f"the backup holds a table this {APP_NAME} does not know ({unknown[0]}); "
            f"it may come from a newer {APP_NAME}"
        )
    sequences = document.get("sequences", {})
    if not isinstance(sequences, dict) or not all(
        isinstance(value, int) and not isinstance(value, bool) for value in sequences.values()
    ):
        raise BackupFileError('the backup\'s "sequences" are not numbers')
    return document


def _tables(document: Mapping[str, Any]) -> list[tuple[Table, list[Any]]]:
    tables: Mapping[str, list[Any]] = document["tables"]
    return [(table, tables.get(table.name, [])) for table in METADATA.sorted_tables]


def _row(table: Table, item: object, index: int) -> dict[str, object]:
    """One row of ``table`` from the backup, with its values checked against
    the column types (a hand-edited file gets a message naming the row)."""
    where = f"row {index} of table {table.name}"
    if not isinstance(item, dict):
        raise BackupFileError(f"{where} is not an object")
    unknown = sorted(set(item) - set(table.columns.keys()))
    if unknown:
        raise BackupFileError(f"{where} has a column this {APP_NAME} does not know ({unknown[0]})")
    row: dict[str, object] = {}
    for column in table.columns:
        if column.name not in item:
            if column.nullable or column.default is not None:
                continue  # the column's own default (a backup of an older schema)
            raise BackupFileError(f"{where} has no {column.name}")
        row[column.name] = _value(column.name, column.type.python_type, column.nullable,
                                  item[column.name], where)  # fmt: skip
    return row


def _value(name: str, kind: type, nullable: bool | None, value: object, where: str) -> object:
    if value is None:
        if nullable:
            return None
        raise BackupFileError(f"{where} has no value for {name}")
    converted = _CONVERTERS.get(kind, _text)(value)
    if converted is None:
        raise BackupFileError(f"{where} has a bad {name} ({_shown(value)})")
    return converted


def _boolean(value: object) -> object:
    return value if isinstance(value, bool) else None


def _integer(value: object) -> object:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: object) -> object:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _naive_datetime(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is None else None


def _date(value: object) -> object:
    parsed = _naive_datetime(value)
    return None if parsed is None else parsed.date()


def _text(value: object) -> object:
    return value if isinstance(value, str) else None


_CONVERTERS: dict[type, Callable[[object], object]] = {
    bool: _boolean,
    int: _integer,
    float: _number,
    dt.datetime: _naive_datetime,
    dt.date: _date,
}
"""JSON value to column value by the column's Python type; None for a bad value."""


def _check_blocks(rows: list[dict[str, object]]) -> None:
    """Every block must be one the plan can hold (a valid span, title, notes)."""
    for row in rows:
        try:
            clean_draft(
                BlockDraft(
                    title=str(row.get("title", "")),
                    category="restored",
                    start=_datetime(row.get("start")),
                    end=_datetime(row.get("end")),
                    notes=str(row.get("notes", "")),
                )
            )
        except PlanError as error:
            raise BackupFileError(f"block {row.get('id')} in the backup is bad: {error}") from error


def _datetime(value: object) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise BackupFileError("a block in the backup has no start or end")
    return value


def _empty(connection: Connection) -> bool:
    for name in ("block", "day"):
        table = METADATA.tables[name]
        if connection.execute(select(func.count()).select_from(table)).scalar_one():
            return False
    return True


def _machine_meta(connection: Connection) -> dict[str, str]:
    meta = METADATA.tables["meta"]
    rows = connection.execute(select(meta.c.key, meta.c.value))
    return {str(key): str(value) for key, value in rows if str(key).startswith(MACHINE_KEYS_PREFIX)}


def _revision(connection: Connection) -> int:
    meta = METADATA.tables["meta"]
    value = connection.execute(select(meta.c.value).where(meta.c.key == REVISION_KEY)).scalar()
    try:
        return int(str(value)) if value is not None else 0
    except ValueError:
        return 0


def _meta_rows(
    rows: list[dict[str, object]], kept: Mapping[str, str], revision: int
) -> list[dict[str, object]]:
    """The backup's named values, except this machine's notifier state (kept)
    and the revision (moved on, so that an open window re-reads the plan)."""
    restored = {
        str(row["key"]): row["value"]
        for row in rows
        if not str(row["key"]).startswith(MACHINE_KEYS_PREFIX)
    }
    try:
        backup_revision = int(str(restored.get(REVISION_KEY, 0)))
    except ValueError:
        backup_revision = 0
    restored.update(kept)
    restored[REVISION_KEY] = str(max(revision, backup_revision) + 1)
    return [{"key": key, "value": value} for key, value in restored.items()]


def _restore_sequences(connection: Connection, sequences: Mapping[str, int]) -> None:
    """Counters never go back: the larger of the backup's and the current one."""
    for name, value in sequences.items():
        if name not in METADATA.tables:
            continue
        updated = connection.execute(
            text("UPDATE sqlite_sequence SET seq = max(seq, :value) WHERE name = :name"),
            {"value": value, "name": name},
        )
        if updated.rowcount == 0:
            connection.execute(
                text("INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :value)"),
                {"value": value, "name": name},
            )


def _shown(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 30 else shown[:29] + "…"

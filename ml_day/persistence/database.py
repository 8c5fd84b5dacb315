"""Opening the plan database: the file, its pragmas, its schema version."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from ml_day.core.blocks import PlanError
from ml_day.core.templates import TemplateDocument, read_template_document
from ml_day.persistence.errors import (
    ConflictError,
    CorruptDatabaseError,
    DataFolderError,
    NewerDatabaseError,
    StorageError,
)
from ml_day.persistence.schema import (
    DEFAULT_TEMPLATE_KEY,
    METADATA,
    SCHEMA_VERSION,
    CategoryRow,
    MetaRow,
    TemplateBlockRow,
    TemplateRow,
)
from ml_day.resources import BUILTIN_TEMPLATE, resource_path

log = logging.getLogger("ml_day.persistence")

BUSY_TIMEOUT_MS = 10_000

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: dict[int, Migration] = {}
"""``MIGRATIONS[n]`` upgrades a database from schema ``n`` to ``n + 1``."""


def _configure_connection(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy, not the driver, open transactions, so that each one can
    # start with BEGIN IMMEDIATE (below): writers queue on the busy timeout
    # instead of failing halfway through a transaction.
    # The journal mode is not set here: switching to WAL rewrites the file's
    # header, and a file that turns out to be foreign or newer must be left
    # untouched. Database.open switches it once the file is known to be ours
    # (WAL is then recorded in the file and every later connection uses it).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def builtin_template_document() -> TemplateDocument:
    """The built-in "ML engineer" template, read from the resources."""
    return read_template_document(resource_path(BUILTIN_TEMPLATE).read_bytes())


class Database:
    """An open plan database. Use :meth:`open`; close with :meth:`close`."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine

    @classmethod
    def open(cls, path: Path) -> Database:
        """Open (creating if needed) the database at ``path``, migrated to the
        current schema. Raises a :class:`StorageError` with a one-line message."""
        _ensure_folder(path.parent)
        _check_file(path)
        engine = create_engine(
            f"sqlite:///{path}",
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        event.listen(engine, "connect", _configure_connection)
        event.listen(engine, "begin", _begin_immediate)
        database = cls(path, engine)
        try:
            database._prepare_schema()
        except OperationalError as error:
            engine.dispose()
            raise _storage_error(path, error) from error
        except SQLAlchemyDatabaseError as error:
            engine.dispose()
            raise CorruptDatabaseError(path, _reason(error)) from error
        except BaseException:
            engine.dispose()
            raise
        return database

    def close(self) -> None:
        self.engine.dispose()

    def session(self) -> Session:
        """A session for one use case; use as ``with db.session() as s, s.begin():``."""
        return Session(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One short transaction (BEGIN IMMEDIATE ... COMMIT), translated errors."""
        try:
            with self.session() as session, session.begin():
                yield session
        except OperationalError as error:
            raise _storage_error(self.path, error) from error
        except IntegrityError as error:
            raise ConflictError(_reason(error)) from error
        except SQLAlchemyDatabaseError as error:
            raise CorruptDatabaseError(self.path, _reason(error)) from error

    def schema_version(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())

    def data_version(self) -> int:
        """Changes whenever another connection commits (``PRAGMA data_version``)."""
        with self.engine.connect() as connection:
            return int(connection.exec_driver_sql("PRAGMA data_version").scalar_one())

    def _prepare_schema(self) -> None:
        with self.engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar_one()
            version = int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())
            tables = {
                row[0]
                for row in connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                )
            }
            connection.rollback()
        if version > SCHEMA_VERSION:
            raise NewerDatabaseError(self.path, version, SCHEMA_VERSION)
        if version == 0 and tables:
            raise CorruptDatabaseError(self.path, "it holds tables ML Day did not create")
        self._use_wal()
        if version == 0:
            self._create_schema()
            return
        if version < SCHEMA_VERSION:
            self._migrate(version)

    def _use_wal(self) -> None:
        """Switch the file to write-ahead logging (outside any transaction)."""
        raw = self.engine.raw_connection()
        try:
            driver = raw.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            mode = str(driver.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        finally:
            raw.close()
        if mode.lower() != "wal":
            log.warning("%s stays in journal mode %s (WAL unavailable)", self.path, mode)

    def _create_schema(self) -> None:
        document = builtin_template_document()
        with self.session() as session, session.begin():
            METADATA.create_all(session.connection())
            _seed(session, document)
            session.connection().exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
        log.info("created plan database %s (schema %d)", self.path, SCHEMA_VERSION)

    def _migrate(self, version: int) -> None:
        raw = self.engine.raw_connection()
        try:
            driver = raw.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            driver.execute("BEGIN IMMEDIATE")
            current = int(driver.execute("PRAGMA user_version").fetchone()[0])
            while current < SCHEMA_VERSION:
                MIGRATIONS[current](driver)
                current += 1
                driver.execute(f"PRAGMA user_version = {current}")
            driver.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                raw.driver_connection.execute("ROLLBACK")  # type: ignore[union-attr]
            raise
        finally:
            raw.close()
        log.info("migrated %s from schema %d to %d", self.path, version, SCHEMA_VERSION)


def _seed(session: Session, document: TemplateDocument) -> None:
    category_ids: dict[str, int] = {}
    for category in document.categories:
        row = CategoryRow(
            name=category.name,
            colour=category.colour,
            silent=category.silent,
            pre_alert_minutes=category.pre_alert_minutes,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        category_ids[category.name] = row.id
    template = TemplateRow(name=document.template.name, builtin=True)
    session.add(template)
    session.flush()
    assert template.id is not None
    for position, item in enumerate(document.template.blocks):
        if item.category not in category_ids:
            raise PlanError(f"the built-in template uses an unknown category {item.category!r}")
        session.add(
            TemplateBlockRow(
                template_id=template.id,
                position=position,
                title=item.title,
                category_id=category_ids[item.category],
                start_time=item.start.strftime("%H:%M"),
                end_time=item.end.strftime("%H:%M"),
                notes=item.notes,
                fixed=item.fixed,
                notify=item.notify,
                deadline=item.deadline,
            )
        )
    session.add(MetaRow(key=DEFAULT_TEMPLATE_KEY, value=str(template.id)))


def _ensure_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        # mkdir(exist_ok=True) would only say "File exists".
        raise DataFolderError(folder, "it is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataFolderError(folder, error.strerror or str(error)) from error
    if not folder.is_dir():
        raise DataFolderError(folder, "it is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DataFolderError(folder, "it is not writable")


def _check_file(path: Path) -> None:
    if path.exists() and not path.is_file():
        raise CorruptDatabaseError(path, "it is not a regular file")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise DataFolderError(path.parent, f"{path.name} is not readable and writable")
    if path.is_file() and path.stat().st_size > 0:
        with path.open("rb") as handle:
            header = handle.read(16)
        if header != b"SQLite format 3\x00":
            raise CorruptDatabaseError(path, "it does not start with the SQLite header")


def _reason(error: Exception) -> str:
    original = getattr(error, "orig", None)
    return str(original if original is not None else error).splitlines()[0]


def _storage_error(path: Path, error: OperationalError) -> StorageError:
    reason = _reason(error)
    lowered = reason.lower()
    if "readonly" in lowered or "unable to open" in lowered or "permission" in lowered:
        return DataFolderError(path.parent, reason)
    if "disk" in lowered and ("full" in lowered or "i/o" in lowered):
        return DataFolderError(path.parent, reason)
    if "malformed" in lowered or "not a database" in lowered:
        return CorruptDatabaseError(path, reason)
    if "locked" in lowered or "busy" in lowered:
        return StorageError(
            f"the plan database {path} is busy (another program holds it): {reason}"
        )
    return StorageError(f"the plan database {path} could not be used: {reason}")

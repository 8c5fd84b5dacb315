"""The database tables (version :data:`SCHEMA_VERSION`).

Wall-clock times are stored as naive date-times (``NaiveDatetime``: the plan
has no zone) (SQLite text,
``YYYY-MM-DD HH:MM:SS.ffffff``), which sort in time order.
"""

from __future__ import annotations

import datetime as dt

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel

SCHEMA_VERSION = 1
"""Recorded in ``PRAGMA user_version``; every change ships a migration."""

METADATA = SQLModel.metadata


class CategoryRow(SQLModel, table=True):
    __tablename__ = "category"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    colour: str
    silent: bool = False
    pre_alert_minutes: int = 0


class BlockRow(SQLModel, table=True):
    __tablename__ = "block"
    # Ids are never reused, so an undo kept by one window can never touch a
    # block that another process created after a deletion.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True)
    title: str
    category_id: int = Field(foreign_key="category.id", index=True)
    start: NaiveDatetime = Field(index=True)
    end: NaiveDatetime
    notes: str = ""
    fixed: bool = False
    notify: bool = True
    deadline: bool = False
    done: bool = False
    actual_start: NaiveDatetime | None = None
    actual_end: NaiveDatetime | None = None


class TemplateRow(SQLModel, table=True):
    __tablename__ = "template"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    builtin: bool = False


class TemplateBlockRow(SQLModel, table=True):
    __tablename__ = "template_block"

    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="template.id", index=True)
    position: int
    title: str
    category_id: int = Field(foreign_key="category.id")
    start_time: str
    """``HH:MM``."""
    end_time: str
    """``HH:MM``; not after ``start_time`` means the block ends the next day."""
    notes: str = ""
    fixed: bool = False
    notify: bool = True
    deadline: bool = False


class DayRow(SQLModel, table=True):
    """A day that has been filled (from a template, or left empty by the user).

    A day with a row here is the user's: it is never filled again, even if the
    user deletes every block.
    """

    __tablename__ = "day"

    date: dt.date = Field(primary_key=True)
    template_id: int | None = Field(default=None, foreign_key="template.id")


class MetaRow(SQLModel, table=True):
    """Small named values: the default template, the notifier's watermark, ..."""

    __tablename__ = "meta"

    key: str = Field(primary_key=True)
    value: str


DEFAULT_TEMPLATE_KEY = "default_template_id"
REVISION_KEY = "revision"
"""Bumped by every edit, so that an open window notices edits from other processes."""

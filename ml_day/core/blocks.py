"""Blocks and categories: what a day plan is made of."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

MAX_TITLE_LENGTH = 200
MAX_NOTES_LENGTH = 20_000
MAX_CATEGORY_NAME_LENGTH = 40
MIN_DURATION = dt.timedelta(minutes=5)
MAX_DURATION = dt.timedelta(hours=24)
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(9998, 12, 31)
"""The days a plan can hold. Far wider than any plan, and far enough from the
calendar's own ends (years 1 and 9999) that a day's neighbours, its midnights
and its instants in every zone can always be computed."""
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


class PlanError(ValueError):
    """A value the plan cannot hold; the message is one line, meant for the user."""


@dataclass(frozen=True, slots=True)
class Category:
    """A kind of block, with its colour and notification defaults."""

    name: str
    colour: str
    """Colour as ``#rrggbb``."""
    silent: bool = False
    """Blocks of this category announce nothing (sleep, by default)."""
    pre_alert_minutes: int = 0
    """Minutes before the start to send a pre-alert (0: none)."""
    id: int | None = None


UNCATEGORISED = Category(name="general", colour="#7f8c8d")


@dataclass(frozen=True, slots=True, kw_only=True)
class BlockDraft:
    """A block's content, before or apart from its storage identity."""

    title: str
    category: str
    """Category name; unknown names are created on save."""
    start: dt.datetime
    """Naive local wall-clock start."""
    end: dt.datetime
    """Naive local wall-clock end; may be on the next day."""
    notes: str = ""
    fixed: bool = False
    """Fixed blocks stay put when the rest of the day is pushed."""
    notify: bool = True
    deadline: bool = False
    """The block's end is a deadline, with countdown alerts."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Block:
    """A stored block of the plan."""

    id: int
    title: str
    category: Category
    start: dt.datetime
    end: dt.datetime
    notes: str = ""
    fixed: bool = False
    notify: bool = True
    deadline: bool = False
    done: bool = False
    actual_start: dt.datetime | None = None
    actual_end: dt.datetime | None = None
    uid: str = field(default="")
    """Stable identity across exports and imports."""

    @property
    def crosses_midnight(self) -> bool:
        return self.end.date() != self.start.date() and self.end.time() != dt.time(0, 0)

    def draft(self) -> BlockDraft:
        """This block's content, for editing and copying."""
        return BlockDraft(
            title=self.title,
            category=self.category.name,
            start=self.start,
            end=self.end,
            notes=self.notes,
            fixed=self.fixed,
            notify=self.notify,
            deadline=self.deadline,
        )


def shown_value(value: object) -> str:
    """A bad value as a message quotes it: short, and on one line (repr escapes
    line breaks and other control characters)."""
    text = repr(value)
    return text if len(text) <= 24 else text[:23] + "…"


def clean_title(title: str) -> str:
    """The title as stored, or a :class:`PlanError` saying what is wrong with it."""
    text = unicodedata.normalize("NFC", title).strip()
    if not text:
        raise PlanError("the title is empty")
    if len(text) > MAX_TITLE_LENGTH:
        raise PlanError(
            f"the title is too long ({len(text):,} characters; at most {MAX_TITLE_LENGTH})"
        )
    check_characters(text, "the title", "contains control characters (such as tabs or line breaks)")
    return text


_LINE_BREAKING = frozenset({"Cc", "Zl", "Zp"})
"""Control characters and the line and paragraph separators: a title or a
category name is one line wherever it is shown (the timeline, the agenda, a
notification)."""


def check_characters(
    text: str,
    what: str,
    refusal: str,
    *,
    refused: frozenset[str] = _LINE_BREAKING,
    allowed: str = "",
) -> None:
    """Refuse characters of the ``refused`` Unicode categories (except those in
    ``allowed``), saying "``what`` ``refusal``", and lone surrogates.

    Lone surrogates are what Python makes of bytes that are not UTF-8 (in a
    command-line argument, say). The database cannot store them, so they are
    refused here, with a message, instead of failing on save.
    """
    categories = {unicodedata.category(char) for char in text if char not in allowed}
    if "Cs" in categories:
        raise PlanError(f"{what} is not valid text (it holds bytes that are not UTF-8)")
    if categories & refused:
        raise PlanError(f"{what} {refusal}")


def clean_notes(notes: str) -> str:
    text = notes.replace("\r\n", "\n").strip()
    if len(text) > MAX_NOTES_LENGTH:
        raise PlanError(
            f"the notes are too long ({len(text):,} characters; at most {MAX_NOTES_LENGTH:,})"
        )
    check_characters(
        text, "the notes", "contain control characters", refused=frozenset({"Cc"}), allowed="\n\t"
    )
    return text


def clean_category_name(name: str) -> str:
    text = unicodedata.normalize("NFC", name).strip().lower()
    if not text:
        raise PlanError("the category name is empty")
    if len(text) > MAX_CATEGORY_NAME_LENGTH:
        raise PlanError(f"the category name is too long (at most {MAX_CATEGORY_NAME_LENGTH})")
    check_characters(text, "the category name", "contains control characters")
    return text


def clean_colour(colour: str) -> str:
    if not _COLOUR.fullmatch(colour):
        raise PlanError(f"{shown_value(colour)} is not a colour like #3a7bd5")
    return colour.lower()


def check_span(start: dt.datetime, end: dt.datetime) -> None:
    """Raise :class:`PlanError` unless ``start``-``end`` is a valid block span."""
    if start.tzinfo is not None or end.tzinfo is not None:
        msg = "block times are wall-clock times without a zone"
        raise ValueError(msg)
    check_day(start.date())  # the end is at most a day later, which always computes
    if end <= start:
        raise PlanError(f"the end ({end:%H:%M}) is not after the start ({start:%H:%M})")
    if end - start < MIN_DURATION:
        raise PlanError("a block lasts at least 5 minutes")
    if end - start > MAX_DURATION:
        raise PlanError("a block lasts at most 24 hours")


def check_day(day: dt.date) -> None:
    """Raise :class:`PlanError` unless ``day`` is one a plan can hold."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise PlanError(
            f"{day.isoformat()} is outside the days ML Day plans ({FIRST_DAY} to {LAST_DAY})"
        )


def clean_draft(draft: BlockDraft) -> BlockDraft:
    """A validated, normalised copy of ``draft``."""
    check_span(draft.start, draft.end)
    return BlockDraft(
        title=clean_title(draft.title),
        category=clean_category_name(draft.category),
        start=draft.start.replace(second=0, microsecond=0),
        end=draft.end.replace(second=0, microsecond=0),
        notes=clean_notes(draft.notes),
        fixed=draft.fixed,
        notify=draft.notify,
        deadline=draft.deadline,
    )

"""What the fuzz tests are made of: nasty text, every zone, the instants where
clocks change, and random day plans."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from zoneinfo import ZoneInfo

from hypothesis import settings
from hypothesis import strategies as st

from ml_day.core.blocks import MAX_TITLE_LENGTH, Block, Category

ACTIVE_PROFILE = "ml-day-fuzz-active"
"""Registered by this folder's conftest: the default or the deep profile."""


def fuzz(weight: float = 1.0) -> settings:
    """The active profile's settings, with ``weight`` times its number of examples
    (costly tests, such as those that write a database, take fewer)."""
    active = settings.get_profile(ACTIVE_PROFILE)
    return settings(active, max_examples=max(5, round(active.max_examples * weight)))


# ---------------------------------------------------------------- text
TROUBLE = (
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\u200b",
    "\u200d",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\ufffd",
    "\udcff",
    "\ud800",
    "'",
    '"',
    "\\",
    "%s",
    "{0}",
    "--",
    "-",
    "=",
    " ",
    "مرحبا",
    "שלום",
    "👩\u200d💻",
    "🚀",
    "e\u0301",
    "ﬁ",
)
"""Pieces that break naive code: controls, separators, bidi and joiners, lone
surrogates (undecodable bytes), quotes and format markers, right-to-left
script, emoji sequences, combining marks."""

nasty_text = st.lists(
    st.sampled_from(TROUBLE) | st.text(st.characters(), max_size=8), max_size=12
).map("".join)
"""Text mixing the troublesome pieces with any other characters."""

titles = (
    nasty_text
    | st.text(max_size=MAX_TITLE_LENGTH + 5)
    | st.integers(MAX_TITLE_LENGTH - 2, MAX_TITLE_LENGTH + 2).map(lambda n: "é" * n)
)


# ---------------------------------------------------------------- zones and clock changes
ALL_ZONES = tuple(sorted(zoneinfo.available_timezones()))
"""Every zone this machine knows (from the tzdata package where the system has none)."""


@functools.cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@functools.cache
def transitions(name: str, year: int) -> tuple[dt.datetime, ...]:
    """The instants (UTC) in ``year`` at which the zone's offset changes."""
    tz = zone(name)
    found: list[dt.datetime] = []
    cursor = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
    step = dt.timedelta(days=1)
    offset = cursor.astimezone(tz).utcoffset()
    while cursor < end:
        following = cursor + step
        next_offset = following.astimezone(tz).utcoffset()
        if next_offset != offset:
            low, high = cursor, following
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(tz).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            found.append(high.replace(microsecond=0))
        offset, cursor = next_offset, following
    return tuple(found)


@st.composite
def zone_and_wall(
    draw: st.DrawFn, first_year: int = 1970, last_year: int = 2040
) -> tuple[ZoneInfo, dt.datetime]:
    """A zone and a naive wall time in it, often within hours of a clock change
    (where gaps and folds are), else anywhere in the year."""
    name = draw(st.sampled_from(ALL_ZONES), label="zone")
    year = draw(st.integers(first_year, last_year), label="year")
    changes = transitions(name, year)
    near_a_change = draw(st.booleans(), label="near a clock change")
    if changes and near_a_change:
        instant = draw(st.sampled_from(changes))
        wall = instant.astimezone(zone(name)).replace(tzinfo=None)
        wall += dt.timedelta(minutes=draw(st.integers(-180, 180), label="minutes from it"))
    else:
        wall = draw(
            st.datetimes(dt.datetime(year, 1, 1), dt.datetime(year, 12, 31, 23, 59)), label="wall"
        )
    return zone(name), wall.replace(second=0, microsecond=0)


# ---------------------------------------------------------------- plans
CATEGORIES = (
    Category(id=1, name="deep-work", colour="#6c4bd8"),
    Category(id=2, name="meeting", colour="#d6453d", pre_alert_minutes=5),
    Category(id=3, name="sleep", colour="#3c4a6b", silent=True),
    Category(id=4, name="wrap-up", colour="#c2407f", pre_alert_minutes=15),
)


@st.composite
def day_plans(
    draw: st.DrawFn, day: dt.date, *, max_blocks: int = 8, minute_step: int = 5
) -> list[Block]:
    """Blocks on and around ``day``: overlapping, touching, crossing midnight into
    it or out of it, some fixed, some deadlines, some silent."""
    count = draw(st.integers(0, max_blocks), label="blocks")
    opens = dt.datetime.combine(day, dt.time(0, 0))
    blocks = []
    for block_id in range(1, count + 1):
        offset = draw(st.integers(-8 * 60 // minute_step, 32 * 60 // minute_step)) * minute_step
        length = draw(st.integers(5 // minute_step or 1, 10 * 60 // minute_step)) * minute_step
        start = opens + dt.timedelta(minutes=offset)
        blocks.append(
            Block(
                id=block_id,
                uid=f"fuzz-{block_id}@ml-day",
                title=f"Block {block_id}: part, point",
                category=draw(st.sampled_from(CATEGORIES)),
                start=start,
                end=start + dt.timedelta(minutes=max(length, 5)),
                fixed=draw(st.booleans()),
                notify=draw(st.booleans() | st.just(True)),
                deadline=draw(st.booleans()),
                done=draw(st.booleans()),
            )
        )
    return blocks


def utc(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(dt.UTC)

"""The edit commands of the command-line contract (add, move, resize, remove)
in depth, on a real database file under tmp_path."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ml_day.core.clock import ManualClock
from ml_day.main import main

BERLIN = "Europe/Berlin"
FRIDAY = "2026-11-27"
SPRING_FORWARD = "2026-03-29"  # Berlin: 02:00-03:00 does not happen


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock.at_local(dt.datetime(2026, 11, 27, 11, 23), BERLIN)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def run(data_dir: Path, clock: ManualClock, *args: str) -> int:
    """``ml-day --data-dir DIR ARGS`` in this process; argparse errors give their status."""
    try:
        return main(["--data-dir", str(data_dir), *args], clock=clock)
    except SystemExit as exit_:
        return int(str(exit_.code))


def run_process(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": BERLIN}
    return subprocess.run(
        [sys.executable, "-m", "ml_day", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def query(data_dir: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    uri = f"{(data_dir / 'plan.sqlite3').as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        return list(connection.execute(sql, params))


def table_dump(data_dir: Path) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: query(data_dir, f"SELECT * FROM {table} ORDER BY 1")
        for table in ("block", "category", "day", "meta", "template", "template_block")
    }


def span(data_dir: Path, block_id: int) -> tuple[str, str] | None:
    """The stored start and end, as ``YYYY-MM-DD HH:MM``."""
    rows = query(data_dir, 'SELECT start, "end" FROM block WHERE id = ?', block_id)
    return None if not rows else (rows[0][0][:16], rows[0][1][:16])


def revision(data_dir: Path) -> int:
    rows = query(data_dir, "SELECT value FROM meta WHERE key = 'revision'")
    return int(rows[0][0]) if rows else 0


def add(
    data_dir: Path,
    clock: ManualClock,
    capsys: pytest.CaptureFixture[str],
    *args: str,
) -> int:
    assert run(data_dir, clock, "add", *args) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return int(captured.out)


# ---------------------------------------------------------------- add
def test_add_prints_only_the_new_id(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data_dir, clock, "add", "  Review PRs ", "--start", "15:00", "--end", "15:45",
               "--category", "Code Review") == 0  # fmt: skip
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.strip().isdigit() and captured.out == f"{int(captured.out)}\n"
    block_id = int(captured.out)
    rows = query(
        data_dir,
        'SELECT b.title, c.name, b.start, b."end", b.done FROM block b '
        "JOIN category c ON c.id = b.category_id WHERE b.id = ?",
        block_id,
    )
    assert rows == [
        ("Review PRs", "code review", "2026-11-27 15:00:00.000000", "2026-11-27 15:45:00.000000", 0)
    ]
    # Without --category a block is "general"; another add gets another id.
    other = add(data_dir, clock, capsys, "Walk", "--start", "17:00", "--end", "17:20")
    assert other != block_id
    assert query(
        data_dir,
        "SELECT c.name FROM block b JOIN category c ON c.id = b.category_id WHERE b.id = ?",
        other,
    ) == [("general",)]


def test_add_uses_the_local_date_of_the_clock(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 23:30 UTC on the 27th is 00:30 on the 28th in Berlin.
    late = ManualClock(dt.datetime(2026, 11, 27, 23, 30, tzinfo=dt.UTC), BERLIN)
    block_id = add(data_dir, late, capsys, "Night owl", "--start", "01:00", "--end", "02:00")
    assert span(data_dir, block_id) == ("2026-11-28 01:00", "2026-11-28 02:00")


def test_add_across_midnight_with_plus_one(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    block_id = add(data_dir, clock, capsys, "Night run", "--date", FRIDAY,
                   "--start", "23:30", "--end", "00:30+1")  # fmt: skip
    assert span(data_dir, block_id) == ("2026-11-27 23:30", "2026-11-28 00:30")


# ---------------------------------------------------------------- move
def test_move_keeps_the_duration_and_prints_the_result(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    block_id = add(data_dir, clock, capsys, "Review PRs", "--start", "15:00", "--end", "15:45")
    assert run(data_dir, clock, "move", str(block_id), "--start", "16:10") == 0
    captured = capsys.readouterr()
    assert captured.out == f"{block_id} 2026-11-27 16:10-16:55 Review PRs\n"
    assert captured.err == ""
    assert span(data_dir, block_id) == ("2026-11-27 16:10", "2026-11-27 16:55")
    # To another day with --date.
    assert (
        run(data_dir, clock, "move", str(block_id), "--date", "2026-12-02", "--start", "09:00") == 0
    )
    assert span(data_dir, block_id) == ("2026-12-02 09:00", "2026-12-02 09:45")


def test_move_a_midnight_crossing_block(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    sleep = add(data_dir, clock, capsys, "Sleep", "--date", FRIDAY,
                "--start", "22:30", "--end", "06:00+1")  # fmt: skip
    assert run(data_dir, clock, "move", str(sleep), "--start", "23:15") == 0
    assert capsys.readouterr().out == f"{sleep} 2026-11-27 23:15-06:45 Sleep\n"
    assert span(data_dir, sleep) == ("2026-11-27 23:15", "2026-11-28 06:45")
    # Moved past midnight, it starts on the next day and keeps its 7.5 hours.
    assert run(data_dir, clock, "move", str(sleep), "--date", "2026-11-28", "--start", "00:30") == 0
    assert span(data_dir, sleep) == ("2026-11-28 00:30", "2026-11-28 08:00")


@pytest.mark.parametrize(
    "case",
    [
        # A real hour from 01:30 on the spring-forward night ends at 03:30.
        pytest.param(("01:00", "02:00", "01:30", ("2026-03-29 01:30", "2026-03-29 03:30")),
                     id="across-the-skipped-hour"),
        # 02:30 does not exist: it means 03:00, and an hour later is 04:00.
        pytest.param(("01:00", "02:00", "02:30", ("2026-03-29 02:30", "2026-03-29 04:00")),
                     id="into-the-skipped-hour"),
        # 01:30-03:30 is one real hour: moved away from the gap it is 1 h of wall time.
        pytest.param(("01:30", "03:30", "09:00", ("2026-03-29 09:00", "2026-03-29 10:00")),
                     id="out-of-the-skipped-hour"),
    ],
)  # fmt: skip
def test_move_on_a_daylight_saving_day_keeps_the_real_duration(
    data_dir: Path,
    clock: ManualClock,
    capsys: pytest.CaptureFixture[str],
    case: tuple[str, str, str, tuple[str, str]],
) -> None:
    start, end, move_to, expected = case
    block_id = add(data_dir, clock, capsys, "Night batch", "--date", SPRING_FORWARD,
                   "--start", start, "--end", end)  # fmt: skip
    assert run(data_dir, clock, "move", str(block_id), "--start", move_to) == 0
    assert span(data_dir, block_id) == expected
    # The agenda agrees: one real hour.
    capsys.readouterr()
    assert run(data_dir, clock, "agenda", "--date", SPRING_FORWARD, "--json") == 0
    item = next(i for i in json.loads(capsys.readouterr().out) if i["id"] == block_id)
    assert item["duration_minutes"] == 60


def test_move_onto_the_daylight_saving_day_from_an_ordinary_day(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    block_id = add(data_dir, clock, capsys, "Batch", "--start", "01:00", "--end", "02:00")
    assert run(data_dir, clock, "move", str(block_id), "--date", SPRING_FORWARD,
               "--start", "01:30") == 0  # fmt: skip
    assert span(data_dir, block_id) == ("2026-03-29 01:30", "2026-03-29 03:30")


# ---------------------------------------------------------------- resize
def test_resize_the_end_also_past_midnight(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    block_id = add(data_dir, clock, capsys, "Late work", "--start", "22:00", "--end", "23:00")
    assert run(data_dir, clock, "resize", str(block_id), "--end", "23:40") == 0
    assert capsys.readouterr().out == f"{block_id} 2026-11-27 22:00-23:40 Late work\n"
    assert run(data_dir, clock, "resize", str(block_id), "--end", "01:00+1") == 0
    assert span(data_dir, block_id) == ("2026-11-27 22:00", "2026-11-28 01:00")
    # Without +1 an end before the start is refused, with a hint.
    before = table_dump(data_dir)
    capsys.readouterr()
    assert run(data_dir, clock, "resize", str(block_id), "--end", "01:00") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--end 01:00+1" in err
    assert table_dump(data_dir) == before


# ---------------------------------------------------------------- remove
def test_remove_deletes_the_block(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    block_id = add(data_dir, clock, capsys, "Walk", "--start", "17:00", "--end", "17:20")
    count = len(query(data_dir, "SELECT id FROM block"))
    assert run(data_dir, clock, "remove", str(block_id)) == 0
    assert capsys.readouterr().out == f"removed {block_id} 2026-11-27 17:00-17:20 Walk\n"
    assert span(data_dir, block_id) is None
    assert len(query(data_dir, "SELECT id FROM block")) == count - 1
    assert run(data_dir, clock, "remove", str(block_id)) == 2
    assert capsys.readouterr().err == f"ml-day: error: there is no block with id {block_id}\n"


# ---------------------------------------------------------------- revision
def test_every_edit_bumps_the_revision_and_nothing_else_does(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data_dir, clock, "agenda", "--date", FRIDAY) == 0
    capsys.readouterr()
    start = revision(data_dir)
    block_id = add(data_dir, clock, capsys, "Walk", "--start", "17:00", "--end", "17:20")
    assert revision(data_dir) == start + 1
    assert run(data_dir, clock, "move", str(block_id), "--start", "17:30") == 0
    assert revision(data_dir) == start + 2
    assert run(data_dir, clock, "resize", str(block_id), "--end", "18:00") == 0
    assert revision(data_dir) == start + 3
    assert run(data_dir, clock, "agenda", "--date", "2026-12-24", "--json") == 0
    assert revision(data_dir) == start + 3  # reading (and filling a day) is no edit
    assert run(data_dir, clock, "resize", str(block_id), "--end", "17:00") == 2
    assert run(data_dir, clock, "move", "999999", "--start", "10:00") == 2
    assert revision(data_dir) == start + 3
    assert run(data_dir, clock, "remove", str(block_id)) == 0
    assert revision(data_dir) == start + 4


# ---------------------------------------------------------------- bad values
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "X", "--start", "11:00", "--end", "10:00"], "is not after the start"),
        (["add", "X", "--start", "11:00", "--end", "11:00"], "is not after the start"),
        (["add", "X", "--start", "11:00", "--end", "11:03"], "at least 5 minutes"),
        (["add", "X", "--start", "00:00", "--end", "23:59+1"], "at most 24 hours"),
        (["add", "X", "--start", "24:00", "--end", "25:00"], "'24:00' is not a valid time"),
        (["add", "X", "--start", "9.30", "--end", "10:00"], "is not a time like 09:30"),
        (["add", "X", "--start", "09:00", "--end", "10:00+2"], "is not a time like 09:30"),
        (["add", "X", "--date", "2026-02-30", "--start", "09:00", "--end", "10:00"],
         "is not a valid date"),
        (["add", "", "--start", "09:00", "--end", "10:00"], "the title is empty"),
        (["add", "a\tb", "--start", "09:00", "--end", "10:00"], "control characters"),
        (["add", "X", "--start", "09:00", "--end", "10:00", "--category", " "],
         "the category name is empty"),
        (["add", "X", "--start", "09:00"], "required"),
        (["move", "{id}", "--start", "7:75"], "is not a valid time"),
        (["move", "{id}", "--date", "tomorrow", "--start", "10:00"], "is not a date like"),
        (["move", "{id}"], "required"),
        (["move", "0", "--start", "10:00"], "'0' is not a block id"),
        (["move", "-3", "--start", "10:00"], "is not a block id"),
        (["resize", "{id}", "--end", "14:00"], "is not after the start"),
        (["resize", "{id}", "--end", "15:02"], "at least 5 minutes"),
        (["resize", "{id}", "--end", "15:30+1"], "at most 24 hours"),
        (["remove", "1.5"], "is not a block id"),
    ],
)  # fmt: skip
def test_bad_values_exit_2_with_one_line_and_change_nothing(
    data_dir: Path,
    clock: ManualClock,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    block_id = add(data_dir, clock, capsys, "Paper reading", "--start", "15:00", "--end", "16:00")
    before = table_dump(data_dir)

    status = run(data_dir, clock, *(arg.replace("{id}", str(block_id)) for arg in args))

    assert status == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("ml-day: error: ")
    assert message in captured.err
    assert "Traceback" not in captured.err
    assert table_dump(data_dir) == before


@pytest.mark.parametrize(
    "args",
    [
        ["move", "424242", "--start", "10:00"],
        ["resize", "424242", "--end", "11:00"],
        ["remove", "424242"],
    ],
)
def test_an_unknown_id_exits_2(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    assert run(data_dir, clock, "agenda", "--date", FRIDAY) == 0
    capsys.readouterr()
    before = table_dump(data_dir)
    assert run(data_dir, clock, *args) == 2
    assert capsys.readouterr().err == "ml-day: error: there is no block with id 424242\n"
    assert table_dump(data_dir) == before


# ---------------------------------------------------------------- real processes
def test_edits_in_real_processes(tmp_path: Path) -> None:
    data_dir = tmp_path / "proc"
    added = run_process(data_dir, "add", "Night batch", "--date", SPRING_FORWARD,
                        "--start", "01:00", "--end", "02:00")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stderr == ""
    block_id = int(added.stdout)
    assert added.stdout == f"{block_id}\n"
    start_revision = revision(data_dir)

    # The process reads the zone from TZ: the move keeps one real hour.
    moved_ = run_process(data_dir, "move", str(block_id), "--start", "01:30")
    assert moved_.returncode == 0, moved_.stderr
    assert moved_.stdout == f"{block_id} 2026-03-29 01:30-03:30 Night batch\n"
    assert span(data_dir, block_id) == ("2026-03-29 01:30", "2026-03-29 03:30")
    assert revision(data_dir) == start_revision + 1

    before = table_dump(data_dir)
    bad = run_process(data_dir, "resize", str(block_id), "--end", "01:00")
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    assert "is not after the start" in bad.stderr
    assert table_dump(data_dir) == before
    assert revision(data_dir) == start_revision + 1

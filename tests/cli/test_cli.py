"""The command-line contract of PRODUCT.md, on a real database file under tmp_path."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ml_day import __version__
from ml_day.core.clock import ManualClock
from ml_day.main import main

BERLIN = "Europe/Berlin"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock.at_local(dt.datetime(2026, 11, 27, 11, 23), BERLIN)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def run(data_dir: Path, clock: ManualClock, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args], clock=clock)


def run_process(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real ``python -m ml_day`` process, as scripts run it."""
    env = {**os.environ, "TZ": BERLIN, "ML_DAY_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "ml_day", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_agenda_fills_today_from_the_template(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data_dir, clock, "agenda") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Friday 27 November 2026"
    rows = out[1:]
    assert len(rows) == 11  # ten template blocks plus last night's sleep
    assert "22:30-06:00" in rows[0] and "Sleep" in rows[0] and "from Thu" in rows[0]
    assert "12:00-13:00" in rows[4] and "Lunch with the team" in rows[4]
    assert "until Sat" in rows[-1]
    assert (data_dir / "plan.sqlite3").is_file()


def test_agenda_json_has_the_contract_fields(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data_dir, clock, "agenda", "--date", "2026-11-27", "--json") == 0
    items = json.loads(capsys.readouterr().out)
    assert [item["title"] for item in items][:2] == ["Sleep", "Exercise, shower, breakfast"]
    lunch = next(item for item in items if item["category"] == "meal")
    assert lunch["start"] == "2026-11-27T12:00:00+01:00"
    assert lunch["end"] == "2026-11-27T13:00:00+01:00"
    assert lunch["done"] is False
    assert isinstance(lunch["id"], int)
    for item in items:
        assert {"id", "title", "category", "start", "end", "done"} <= item.keys()
        assert dt.datetime.fromisoformat(item["start"]).utcoffset() is not None


def test_agenda_json_on_a_spring_forward_day_uses_real_offsets(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data_dir, clock, "add", "Night batch", "--date", "2026-03-29",
               "--start", "01:30", "--end", "03:30", "--category", "ops") == 0  # fmt: skip
    block_id = int(capsys.readouterr().out)
    assert run(data_dir, clock, "agenda", "--date", "2026-03-29", "--json") == 0
    item = next(i for i in json.loads(capsys.readouterr().out) if i["id"] == block_id)
    assert item["start"] == "2026-03-29T01:30:00+01:00"
    assert item["end"] == "2026-03-29T03:30:00+02:00"
    assert item["duration_minutes"] == 60
    assert run(data_dir, clock, "agenda", "--date", "2026-03-29") == 0
    text = capsys.readouterr().out
    assert "Clocks go forward 1 hour: 02:00-03:00 does not happen today" in text
    night_line = next(line for line in text.splitlines() if "Night batch" in line)
    assert "01:30-03:30" in night_line and " 1 h " in night_line


def test_a_day_emptied_by_the_user_stays_empty(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data_dir, clock, "agenda", "--date", "2026-12-01", "--json") == 0
    items = json.loads(capsys.readouterr().out)
    own = [item for item in items if item["start"].startswith("2026-12-01")]
    for item in own:
        assert run(data_dir, clock, "remove", str(item["id"])) == 0
    capsys.readouterr()
    assert run(data_dir, clock, "agenda", "--date", "2026-12-01", "--json") == 0
    left = json.loads(capsys.readouterr().out)
    assert [item["title"] for item in left] == ["Sleep"]  # only last night's sleep
    assert left[0]["start"].startswith("2026-11-30")


def test_edits_from_the_command_line(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data_dir, clock, "add", "Review PRs", "--start", "15:00", "--end", "15:45") == 0
    block_id = int(capsys.readouterr().out)
    assert run(data_dir, clock, "move", str(block_id), "--start", "16:10") == 0
    assert run(data_dir, clock, "resize", str(block_id), "--end", "17:00") == 0
    capsys.readouterr()
    connection = sqlite3.connect(data_dir / "plan.sqlite3")
    row = connection.execute(
        'SELECT title, start, "end" FROM block WHERE id = ?', (block_id,)
    ).fetchone()
    connection.close()
    assert row == ("Review PRs", "2026-11-27 16:10:00.000000", "2026-11-27 17:00:00.000000")
    assert run(data_dir, clock, "add", "Night run", "--start", "23:30", "--end", "00:30+1") == 0
    night_id = int(capsys.readouterr().out)
    assert run(data_dir, clock, "agenda", "--date", "2026-11-28", "--json") == 0
    assert night_id in [item["id"] for item in json.loads(capsys.readouterr().out)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["agenda", "--date", "2026-02-30"], "'2026-02-30' is not a valid date"),
        (["agenda", "--date", "27.11.2026"], "is not a date like 2026-11-27"),
        (["add", "X", "--start", "25:00", "--end", "26:00"], "'25:00' is not a valid time"),
        (["add", "X", "--start", "11:00", "--end", "10:00"], "is not after the start"),
        (["add", "   ", "--start", "09:00", "--end", "10:00"], "the title is empty"),
        (["add", "x" * 10_000_000, "--start", "09:00", "--end", "10:00"], "title is too long"),
        (["add", "a\x07b", "--start", "09:00", "--end", "10:00"], "control characters"),
        (["move", "999999", "--start", "10:00"], "there is no block with id 999999"),
        (["move", "abc", "--start", "10:00"], "is not a block id"),
        (["frobnicate"], "invalid choice"),
        (["agenda", "--colour"], "unrecognized arguments"),
    ],
)
def test_bad_values_exit_2_with_one_line_and_change_nothing(
    data_dir: Path,
    clock: ManualClock,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    assert run(data_dir, clock, "agenda", "--json") == 0
    before = capsys.readouterr().out
    try:
        status = run(data_dir, clock, *args)
    except SystemExit as exit_:  # argparse ends with SystemExit
        status = int(str(exit_.code))
    assert status == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ml-day: error: ")
    assert message in err
    assert len(err) < 400
    assert run(data_dir, clock, "agenda", "--json") == 0
    assert capsys.readouterr().out == before


def test_newer_database_is_refused_with_exit_1(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data_dir, clock, "agenda", "--date", "2026-11-27") == 0
    database = data_dir / "plan.sqlite3"
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA user_version = 42")
    connection.commit()
    connection.close()
    capsys.readouterr()
    before = database.read_bytes()
    assert run(data_dir, clock, "add", "X", "--start", "09:00", "--end", "10:00") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "newer ML Day" in err and str(database) in err
    assert database.read_bytes() == before


def test_not_a_database_exits_1(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir.mkdir()
    database = data_dir / "plan.sqlite3"
    database.write_bytes(b"\xff\xfe not sqlite at all \x00" * 100)
    assert run(data_dir, clock, "agenda") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "damaged or not a database" in err
    # Set aside with a timestamp (the clock's local time), never deleted.
    moved = data_dir / "plan-damaged-20261127-112300.sqlite3"
    assert f"moved to {moved}" in err and "ml-day backup restore latest" in err
    assert moved.read_bytes() == b"\xff\xfe not sqlite at all \x00" * 100
    assert not database.exists()


def test_unusable_data_folder_exits_1(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert run(blocker / "data", clock, "agenda") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot use the data folder" in err
    assert str(blocker / "data") in err


def test_the_real_process_honours_the_contract(tmp_path: Path) -> None:
    data_dir = tmp_path / "proc"
    version = run_process(data_dir, "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"ml-day {__version__}"
    added = run_process(
        data_dir, "add", "Write report", "--date", "2026-11-27",
        "--start", "15:00", "--end", "16:00", "--category", "deep-work",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    block_id = int(added.stdout)
    agenda = run_process(data_dir, "agenda", "--date", "2026-11-27", "--json")
    assert agenda.returncode == 0, agenda.stderr
    titles = {item["id"]: item["title"] for item in json.loads(agenda.stdout)}
    assert titles[block_id] == "Write report"
    bad = run_process(data_dir, "agenda", "--date", "2026-13-01")
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_the_data_folder_may_follow_the_command(tmp_path: Path) -> None:
    data_dir = tmp_path / "after"
    result = subprocess.run(
        [sys.executable, "-m", "ml_day", "agenda", "--date", "2026-11-27", "--json",
         "--data-dir", str(data_dir)],
        capture_output=True, text=True, env={**os.environ, "TZ": BERLIN}, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 11
    assert (data_dir / "plan.sqlite3").is_file()


def test_a_closed_pipe_ends_the_agenda_quietly(tmp_path: Path) -> None:
    env = {**os.environ, "TZ": BERLIN, "ML_DAY_DATA_DIR": str(tmp_path / "pipe")}
    command = [sys.executable, "-m", "ml_day", "agenda", "--date", "2026-11-27"]
    writer = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert writer.stdout is not None
    writer.stdout.close()  # the reader is gone before anything is written ("| true")
    _, errors = writer.communicate(timeout=60)
    assert writer.returncode == 1
    assert errors == b""

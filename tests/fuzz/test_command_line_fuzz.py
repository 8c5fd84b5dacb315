"""The edit commands run end to end, on a real plan file, with random titles,
categories, times, dates and ids: each run prints its result, or exactly one
line on stderr with exit status 2 (what was typed) or 1 (what could not be
done), and a refused command leaves every stored row as it was."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ml_day.core.clock import ManualClock
from ml_day.main import main
from tests.fuzz.strategies import fuzz, nasty_text, titles

CLOCK = ManualClock.at_local(dt.datetime(2026, 3, 29, 1, 23), "Europe/Berlin")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One plan for the whole run: the commands that succeed keep adding to it."""
    folder = tmp_path_factory.mktemp("cli") / "data"
    assert run(folder, ["agenda"])[0] == 0
    return folder


def run(data_dir: Path, argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(["--data-dir", str(data_dir), *argv], clock=CLOCK)
        except SystemExit as exit_:
            status = exit_.code if isinstance(exit_.code, int) else -1
    return status, out.getvalue(), err.getvalue()


def rows(data_dir: Path) -> dict[str, list[tuple[Any, ...]]]:
    uri = f"{(data_dir / 'plan.sqlite3').as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        return {
            table: list(connection.execute(f'SELECT * FROM "{table}" ORDER BY 1'))
            for table in ("block", "category", "day", "meta")
        }


times = st.sampled_from(["00:00", "02:30", "23:59", "24:00", "9:5", "7:45", "12:00+1"]) | (
    st.integers(0, 25).flatmap(lambda h: st.integers(0, 61).map(lambda m: f"{h:02d}:{m:02d}"))
)
dates = st.sampled_from(["2026-03-29", "2026-10-25", "2026-02-30", "1899-12-31", "9998-12-31"])
ids = st.integers(-1, 40).map(str) | nasty_text


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(["add", "move", "resize", "remove", "agenda"]))
    if command == "add":
        argv = ["add", draw(titles), "--start", draw(times), "--end", draw(times)]
        if draw(st.booleans()):
            argv += ["--category", draw(nasty_text | st.sampled_from(["meal", "Deep-Work"]))]
    elif command == "move":
        argv = ["move", draw(ids), "--start", draw(times)]
    elif command == "resize":
        argv = ["resize", draw(ids), "--end", draw(times)]
    elif command == "remove":
        argv = ["remove", draw(ids)]
    else:
        argv = ["agenda"] + (["--json"] if draw(st.booleans()) else [])
    if command != "remove" and draw(st.booleans()):
        argv += ["--date", draw(dates)]
    return argv


@fuzz(weight=2)
@given(command_lines())
def test_a_command_succeeds_or_says_why_in_one_line_and_changes_nothing(
    data_dir: Path, argv: list[str]
) -> None:
    before = rows(data_dir)
    status, out, err = run(data_dir, argv)
    if status == 0:
        assert out and err == ""
        return
    assert status in {1, 2}, (status, err)
    assert out == ""
    assert err.count("\n") == 1 and err.endswith("\n"), err[:300]
    assert err.startswith("ml-day: error: ") and "Traceback" not in err
    assert err.strip().isprintable()
    assert rows(data_dir) == before, f"{argv[0]} failed yet changed the plan"

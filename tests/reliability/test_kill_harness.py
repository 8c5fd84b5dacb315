"""The kill harness: a short run as a test, and its checker caught in the act."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.kill_harness import Edit, Op, Rows, after_edit, matches

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_a_short_run_survives_every_kill_and_loses_nothing(tmp_path: Path) -> None:
    """Three kills of the command line and three of a window process, run as
    the harness is run alone (about 20 s)."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.reliability.kill_harness", "--kills", "6",
         "--seed", "20261127", "--keep", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=240, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "6 kills (3 command line, 3 window)" in out
    assert "kills survived: 6" in out
    assert "losses: 0" in out and "all ok" in out
    checked = re.search(r"edits checked: (\d+) \(acknowledged (\d+)", out)
    assert checked is not None and int(checked[2]) > 6
    assert (tmp_path / "data" / "plan.sqlite3").is_file()


BEFORE: Rows = {
    1: ("Lunch", "meal", "2026-11-27 12:00:00.000000", "2026-11-27 13:00:00.000000", 0),
    2: ("Call", "meeting", "2026-11-27 14:00:00.000000", "2026-11-27 15:00:00.000000", 0),
}
PUSH = Edit(
    (
        Op("update", 1, ("Lunch", "meal", "2026-11-27 12:15:00.000000",
                         "2026-11-27 13:15:00.000000", 0)),
        Op("update", 2, ("Call", "meeting", "2026-11-27 14:15:00.000000",
                         "2026-11-27 15:15:00.000000", 0)),
        Op("create", row=("New", "general", "2026-11-27 16:00:00.000000",
                          "2026-11-27 16:30:00.000000", 0)),
    )
)  # fmt: skip


def test_the_checker_accepts_an_edit_whole_or_absent() -> None:
    known, unknown = after_edit(BEFORE, PUSH, None)
    whole = {**known, 3: unknown[0]}
    assert matches(whole, known, unknown, newest_before=2)
    assert whole != BEFORE
    assert matches(BEFORE, BEFORE, [], newest_before=2)


def test_the_checker_rejects_a_half_applied_or_lost_edit() -> None:
    known, unknown = after_edit(BEFORE, PUSH, None)
    half = {1: known[1], 2: BEFORE[2], 3: unknown[0]}
    assert not matches(half, known, unknown, newest_before=2) and half != BEFORE
    without_the_new_block = dict(known)
    assert not matches(without_the_new_block, known, unknown, newest_before=2)
    reused_id = {1: known[1], 2: known[2], 1_000: unknown[0]}
    assert matches(reused_id, known, unknown, newest_before=2)
    assert not matches({**known, 2: unknown[0]}, known, unknown, newest_before=2)


def test_acknowledged_ids_are_checked_exactly() -> None:
    expected, unknown = after_edit(BEFORE, PUSH, [7])
    assert unknown == [] and expected[7][0] == "New"
    assert not matches({**expected, 8: expected.pop(7)}, after_edit(BEFORE, PUSH, [7])[0], [], 2)

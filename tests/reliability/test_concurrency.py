"""The window and the command line writing the same plan at the same moment:
no damage, no lost edit (busy timeout, short BEGIN IMMEDIATE transactions)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ml_day.core.blocks import BlockDraft
from ml_day.core.editing import CreateBlock, PlanEdit, UpdateBlock
from ml_day.gui.store import PlanStore
from ml_day.paths import AppPaths, resolve_paths
from tests.reliability.support import DAY, at, block_titles, integrity

ROOT = Path(__file__).resolve().parents[2]
EDITS_EACH = 40

# The command line's own code path (argument parsing, opening, one transaction,
# printing), called again and again in one process: the interpreter's start-up
# would otherwise keep the writers from overlapping much.
CLI_LOOP = textwrap.dedent(
    """
    import sys
    from ml_day.main import main
    data_dir, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    print("started", flush=True)
    for number in range(count):
        minute = number % 12 * 5
        status = main(["--data-dir", data_dir, "add", f"{name} {number}", "--date",
                       "2026-11-27", "--start", f"16:{minute:02d}", "--end", "17:00"])
        if status != 0:
            sys.exit(status)
    """
)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return resolve_paths(tmp_path / "data")


@pytest.fixture
def store(qtbot: QtBot, paths: AppPaths) -> Iterator[PlanStore]:
    plan_store = PlanStore(paths)
    plan_store.open()
    plan_store.day_blocks(DAY)
    yield plan_store
    plan_store.close()


def start_cli_loop(paths: AppPaths, name: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", CLI_LOOP, str(paths.data_dir), name, str(EDITS_EACH)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert process.stdout is not None
    assert process.stdout.readline() == "started\n"
    return process


def test_the_window_and_two_command_lines_writing_at_once_lose_nothing(
    store: PlanStore, paths: AppPaths
) -> None:
    failures: list[str] = []
    store.editFailed.connect(failures.append)
    writers = [start_cli_loop(paths, "script A"), start_cli_loop(paths, "script B")]
    lunch = next(b for b in store.day_blocks(DAY) if b.title == "Lunch with the team")

    for number in range(EDITS_EACH):
        draft = BlockDraft(title=f"window {number}", category="general",
                           start=at(9, number % 12 * 5), end=at(10))  # fmt: skip
        assert store.apply(PlanEdit("Add", (CreateBlock(draft),))) is not None
        moved = BlockDraft(title="Lunch with the team", category="meal",
                           start=at(12, number % 6 * 5), end=at(13, number % 6 * 5))  # fmt: skip
        assert store.apply(PlanEdit("Move", (UpdateBlock(lunch.id, moved),))) is not None
        QApplication.processEvents()

    outputs = [writer.communicate(timeout=240) for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0], outputs
    assert failures == [] and store.unsaved_count == 0

    assert integrity(paths.database) == "ok"
    titles = Counter(block_titles(paths.database))
    for name in ("window", "script A", "script B"):
        assert all(titles[f"{name} {n}"] == 1 for n in range(EDITS_EACH)), name
    # Every id the scripts printed is a block of theirs.
    printed = [int(line) for out, _err in outputs for line in out.split()]
    assert len(set(printed)) == 2 * EDITS_EACH
    # The window sees the scripts' edits as someone else's.
    assert store.check_for_external_changes() is True
    shown = {b.title for b in store.day_blocks(DAY)}
    assert {"script A 0", f"script B {EDITS_EACH - 1}", "window 0"} <= shown


HOLD_LOCK = textwrap.dedent(
    """
    import sqlite3, sys, time
    connection = sqlite3.connect(sys.argv[1], isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("UPDATE meta SET value = value WHERE key = 'revision'")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    connection.execute("COMMIT")
    """
)


def test_an_edit_waits_for_another_writer_instead_of_failing(
    store: PlanStore, paths: AppPaths
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(paths.database), "0.6"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    began = time.monotonic()
    draft = BlockDraft(title="Waited its turn", category="general", start=at(9), end=at(10))

    applied = store.apply(PlanEdit("Add", (CreateBlock(draft),)))

    waited = time.monotonic() - began
    holder.communicate(timeout=30)
    assert holder.returncode == 0
    assert applied is not None and store.unsaved_count == 0
    assert waited > 0.3  # it queued behind the other writer
    assert "Waited its turn" in block_titles(paths.database)


def test_a_reader_never_sees_half_an_edit(store: PlanStore, paths: AppPaths) -> None:
    """While the window writes multi-block edits, another process reading
    the day sees each edit whole or not at all."""
    blocks = [b for b in store.day_blocks(DAY) if b.start.date() == DAY == b.end.date()][:4]
    reader = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(
            """
            import sqlite3, sys
            ids = sys.argv[2].split(",")
            seen = set()
            connection = sqlite3.connect(sys.argv[1])
            print("reading", flush=True)
            for _ in range(3000):
                rows = connection.execute(
                    f"SELECT start FROM block WHERE id IN ({','.join(ids)})").fetchall()
                seen.add(len({start[14:16] for (start,) in rows}))
            print(sorted(seen))
            """), str(paths.database), ",".join(str(b.id) for b in blocks)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert reader.stdout is not None and reader.stdout.readline() == "reading\n"
    for number in range(60):
        minute = number % 11 * 5
        operations = tuple(
            UpdateBlock(b.id, BlockDraft(title=b.title, category=b.category.name,
                        start=b.start.replace(minute=minute),
                        end=b.start.replace(minute=minute) + (b.end - b.start)))
            for b in blocks
        )  # fmt: skip
        assert store.apply(PlanEdit("Push", operations)) is not None
    out, _err = reader.communicate(timeout=120)
    # All four blocks always share their minute: never some moved and some not.
    assert out.strip() == "[1]"
    with contextlib.closing(sqlite3.connect(paths.database)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert dt.timedelta(0) < blocks[0].end - blocks[0].start

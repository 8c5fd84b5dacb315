"""Kill ML Day with SIGKILL at random moments while it edits the plan; count what survives.

    python -m tests.reliability.kill_harness [--kills N] [--seed S] [--keep DIR]

Half the kills hit the command line (``python -m ml_day add/move/resize/remove``,
one process per edit; an edit is acknowledged when the command printed its
result, which it does only after the commit), half hit a window process (the
real :class:`PlanStore` and :class:`MainWindow` on the offscreen platform,
applying scripted edits, some of several operations, and printing an
acknowledgement after each ``apply`` returned).

After every kill the harness opens the file itself and checks:

* ``PRAGMA integrity_check`` is ``ok`` and no foreign key dangles;
* every acknowledged edit is there, exactly;
* the edit in flight when the process died is there whole or not at all.

It prints the kills survived, the edits checked and the losses (must be 0),
and exits 1 if anything was lost.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import select
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ml_day.core.blocks import BlockDraft
from ml_day.core.editing import (
    BlockOperation,
    CreateBlock,
    DeleteBlock,
    PlanEdit,
    SetDone,
    UpdateBlock,
)

Row = tuple[str, str, str, str, int]
"""A block as the harness tracks it: title, category, start, end, done."""
Rows = dict[int, Row]

FIRST_DAY = dt.date(2026, 11, 27)
DAYS = 3
"""Edits stay on these days (all filled from the template before the run)."""
CATEGORIES = ("general", "deep-work", "meeting", "meal")
GUI_BATCH = 24
"""Edits sent to a window process before it is killed."""
START_TIMEOUT_S = 60.0


# ---------------------------------------------------------------- edits as values
@dataclass(frozen=True, slots=True)
class Op:
    """One operation of a scripted edit."""

    kind: str
    """``create``, ``update``, ``delete`` or ``done``."""
    block_id: int = 0
    row: Row = ("", "", "", "", 0)

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "id": self.block_id, "row": list(self.row)}


@dataclass(frozen=True, slots=True)
class Edit:
    ops: tuple[Op, ...]
    cli: tuple[str, ...] = ()
    """The command-line arguments that make this edit (command-line edits only)."""


def stamp(value: dt.datetime) -> str:
    """A wall time as the database stores it."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def parse_stamp(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def after_edit(rows: Rows, edit: Edit, created_ids: Sequence[int] | None) -> tuple[Rows, list[Row]]:
    """The rows once ``edit`` is applied: by id, plus the created rows whose
    ids are unknown (when ``created_ids`` is None)."""
    result = dict(rows)
    unknown: list[Row] = []
    created = iter(created_ids or ())
    for op in edit.ops:
        if op.kind == "create":
            if created_ids is None:
                unknown.append(op.row)
            else:
                result[next(created)] = op.row
        elif op.kind == "update":
            done = result[op.block_id][4]
            result[op.block_id] = (*op.row[:4], done)
        elif op.kind == "delete":
            del result[op.block_id]
        elif op.kind == "done":
            result[op.block_id] = (*result[op.block_id][:4], op.row[4])
    return result, unknown


def matches(found: Rows, known: Rows, unknown: list[Row], newest_before: int) -> bool:
    """Whether the file holds exactly ``known`` plus new blocks with ``unknown``'s content."""
    if any(found.get(block_id) != row for block_id, row in known.items()):
        return False
    extra = {block_id: row for block_id, row in found.items() if block_id not in known}
    if any(block_id <= newest_before for block_id in extra):
        return False
    return sorted(extra.values()) == sorted(unknown)


# ---------------------------------------------------------------- the script
class Script:
    """Random but reproducible edits on the blocks that exist."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.serial = 0

    def _title(self) -> str:
        self.serial += 1
        return self.rng.choice(["Edit", "Review", "Call", "Write", "Plan", "Réunion", "会议"]) + (
            f" {self.serial}"
        )

    def _span(self) -> tuple[dt.datetime, dt.datetime]:
        day = FIRST_DAY + dt.timedelta(days=self.rng.randrange(DAYS))
        start = dt.datetime.combine(day, dt.time(6)) + dt.timedelta(
            minutes=5 * self.rng.randrange(14 * 12)
        )
        end = start + dt.timedelta(minutes=5 * self.rng.randrange(3, 25))
        return start, end

    def _editable(self, rows: Rows, taken: set[int]) -> list[int]:
        """Blocks within one of the script's days, not touched yet in this batch."""
        days = {FIRST_DAY + dt.timedelta(days=n) for n in range(DAYS)}
        return sorted(
            block_id
            for block_id, row in rows.items()
            if block_id not in taken
            and parse_stamp(row[2]).date() in days
            and parse_stamp(row[2]).date() == parse_stamp(row[3]).date()
        )

    def cli_edit(self, rows: Rows) -> Edit:
        candidates = self._editable(rows, set())
        choice = self.rng.random()
        if choice < 0.3 or len(candidates) < 5:
            start, end = self._span()
            category = self.rng.choice(CATEGORIES)
            title = self._title()
            row: Row = (title, category, stamp(start), stamp(end), 0)
            args = ("add", title, "--date", start.date().isoformat(), "--start",
                    f"{start:%H:%M}", "--end", f"{end:%H:%M}", "--category", category)  # fmt: skip
            return Edit((Op("create", row=row),), args)
        block_id = self.rng.choice(candidates)
        title, category, old_start, old_end, done = rows[block_id]
        start, end = parse_stamp(old_start), parse_stamp(old_end)
        if choice < 0.65:
            new_start, _ = self._span()
            new_start = dt.datetime.combine(start.date(), new_start.time())
            new_end = new_start + (end - start)
            if new_end.date() != start.date():
                new_start, new_end = start, end  # stays put; still an edit
            row = (title, category, stamp(new_start), stamp(new_end), done)
            return Edit((Op("update", block_id, row),), ("move", str(block_id), "--start",
                        f"{new_start:%H:%M}"))  # fmt: skip
        if choice < 0.85:
            latest = dt.datetime.combine(start.date(), dt.time(23, 55))
            new_end = min(start + dt.timedelta(minutes=5 * self.rng.randrange(2, 30)), latest)
            new_end = max(start + dt.timedelta(minutes=5), new_end)
            row = (title, category, old_start, stamp(new_end), done)
            return Edit((Op("update", block_id, row),), ("resize", str(block_id), "--end",
                        f"{new_end:%H:%M}"))  # fmt: skip
        return Edit((Op("delete", block_id),), ("remove", str(block_id)))

    def gui_batch(self, rows: Rows, count: int) -> list[Edit]:
        """``count`` edits that refer only to blocks existing before the batch."""
        taken: set[int] = set()
        edits = []
        for _ in range(count):
            edits.append(self._gui_edit(rows, taken))
        return edits

    def _gui_edit(self, rows: Rows, taken: set[int]) -> Edit:
        candidates = self._editable(rows, taken)
        choice = self.rng.random()
        if choice < 0.25 or len(candidates) < 8:
            ops = []
            for _ in range(self.rng.choice([1, 1, 2, 3])):
                start, end = self._span()
                ops.append(Op("create", row=(self._title(), self.rng.choice(CATEGORIES),
                                             stamp(start), stamp(end), 0)))  # fmt: skip
            return Edit(tuple(ops))
        if choice < 0.55:
            block_id = self.rng.choice(candidates)
            taken.add(block_id)
            return Edit((self._moved(rows, block_id),))
        if choice < 0.75:
            # Several blocks at once, like "push the rest of the day": all or nothing.
            chosen = self.rng.sample(candidates, self.rng.randint(2, 4))
            taken.update(chosen)
            ops = [self._moved(rows, block_id) for block_id in chosen]
            if self.rng.random() < 0.5:
                start, end = self._span()
                ops.append(Op("create", row=(self._title(), "general", stamp(start),
                                             stamp(end), 0)))  # fmt: skip
            return Edit(tuple(ops))
        block_id = self.rng.choice(candidates)
        taken.add(block_id)
        if choice < 0.88:
            return Edit((Op("done", block_id, ("", "", "", "", 1 - rows[block_id][4])),))
        return Edit((Op("delete", block_id),))

    def _moved(self, rows: Rows, block_id: int) -> Op:
        title, category, old_start, old_end, done = rows[block_id]
        start, end = parse_stamp(old_start), parse_stamp(old_end)
        shift = dt.timedelta(minutes=5 * self.rng.choice([-6, -3, -1, 1, 2, 3, 6, 12]))
        if (start + shift).date() != start.date() or (end + shift).date() != end.date():
            shift = -shift
        if (start + shift).date() != start.date() or (end + shift).date() != end.date():
            shift = dt.timedelta(0)
        return Op("update", block_id, (title, category, stamp(start + shift),
                                       stamp(end + shift), done))  # fmt: skip


# ---------------------------------------------------------------- reading the file
def read_rows(database: Path) -> Rows:
    """Every block, after checking the file; raises AssertionError if it is damaged."""
    with contextlib.closing(sqlite3.connect(database, timeout=10)) as connection:
        check = connection.execute("PRAGMA integrity_check").fetchall()
        assert check == [("ok",)], f"integrity_check: {check}"
        dangling = connection.execute("PRAGMA foreign_key_check").fetchall()
        assert dangling == [], f"foreign_key_check: {dangling}"
        rows = connection.execute(
            'SELECT block.id, block.title, category.name, block.start, block."end", block.done '
            "FROM block JOIN category ON category.id = block.category_id"
        )
        return {row[0]: (row[1], row[2], row[3], row[4], int(row[5])) for row in rows}


def prepare(data_dir: Path) -> None:
    """Create the plan and fill the script's days (and their neighbours) from the template."""
    from ml_day.persistence.database import Database
    from ml_day.persistence.repository import PlanRepository

    database = Database.open(data_dir / "plan.sqlite3")
    try:
        plan = PlanRepository(database)
        for offset in range(-1, DAYS + 1):
            plan.day_blocks(FIRST_DAY + dt.timedelta(days=offset))
    finally:
        database.close()


# ---------------------------------------------------------------- the tally
@dataclass
class Tally:
    kills: int = 0
    cli_kills: int = 0
    gui_kills: int = 0
    survived: int = 0
    acknowledged: int = 0
    in_flight_whole: int = 0
    in_flight_absent: int = 0
    losses: int = 0
    integrity_checks: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def edits_checked(self) -> int:
        return self.acknowledged + self.in_flight_whole + self.in_flight_absent

    def report(self, seed: int) -> str:
        integrity = f"integrity checks: {self.integrity_checks}"
        return "\n".join(
            [
                (
                    f"kill harness: seed {seed}, {self.kills} kills "
                    f"({self.cli_kills} command line, {self.gui_kills} window)"
                ),
                f"kills survived: {self.survived}",
                (
                    f"edits checked: {self.edits_checked} (acknowledged {self.acknowledged}; "
                    f"in flight at the kill: {self.in_flight_whole} applied whole, "
                    f"{self.in_flight_absent} not at all)"
                ),
                integrity if self.problems else f"{integrity}, all ok",
                f"losses: {self.losses}",
                *self.problems,
            ]
        )


class Harness:
    def __init__(self, data_dir: Path, seed: int) -> None:
        self.data_dir = data_dir
        self.database = data_dir / "plan.sqlite3"
        self.script = Script(seed)
        self.rng = random.Random(seed + 1)
        self.tally = Tally()
        self.cli_seconds: list[float] = []
        self.gui_edit_seconds = 0.05
        prepare(data_dir)
        self.rows = self._check_file()

    def _check_file(self) -> Rows:
        self.tally.integrity_checks += 1
        return read_rows(self.database)

    def _env(self) -> dict[str, str]:
        return {**os.environ, "TZ": "UTC", "QT_QPA_PLATFORM": "offscreen",
                "ML_DAY_DATA_DIR": str(self.data_dir)}  # fmt: skip

    def _check_acknowledged(self, expected: Rows, count: int, what: str) -> bool:
        """The file must hold exactly ``expected`` (all ``count`` acknowledged edits)."""
        found = self._check_file()
        self.tally.acknowledged += count
        self.rows = found
        if found == expected:
            return True
        self.tally.losses += 1
        self.tally.problems.append(
            f"{what} not stored as acknowledged: {describe(found, expected)}"
        )
        return False

    def _check_in_flight(self, before: Rows, edit: Edit, acknowledged: int, what: str) -> bool:
        """The file must hold ``before`` plus the edit in flight, whole or not at all."""
        found = self._check_file()
        self.tally.acknowledged += acknowledged
        self.rows = found
        known, unknown = after_edit(before, edit, None)
        if matches(found, known, unknown, max(before, default=0)):
            self.tally.in_flight_whole += 1
            return True
        if found == before:
            self.tally.in_flight_absent += 1
            return True
        self.tally.losses += 1
        self.tally.problems.append(f"{what}: half applied or lost: {describe(found, known)}")
        return False

    # ------------------------------------------------------------ the command line
    def cli_round(self, *, kill: bool) -> None:
        edit = self.script.cli_edit(self.rows)
        command = [sys.executable, "-m", "ml_day", *edit.cli]
        began = time.monotonic()
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self._env(),
            start_new_session=True,
        )  # fmt: skip
        killed = False
        if kill and self.cli_seconds:
            typical = statistics.median(self.cli_seconds)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=typical * self.rng.uniform(0.4, 1.05))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                killed = True
        out, err = process.communicate(timeout=120)
        if not killed:
            self.cli_seconds.append(time.monotonic() - began)
        acknowledged = out.endswith(b"\n")
        if not killed and process.returncode != 0:
            self.tally.problems.append(f"{' '.join(edit.cli)}: exit {process.returncode}: {err!r}")
        what = " ".join(edit.cli)
        if acknowledged:
            created = [int(out.split()[0])] if edit.ops[0].kind == "create" else []
            expected, _ = after_edit(self.rows, edit, created)
            survived = self._check_acknowledged(expected, 1, what)
        else:
            survived = self._check_in_flight(self.rows, edit, 0, what)
        if killed:
            self._count_kill(cli=True, survived=survived)

    # ------------------------------------------------------------ the window
    def gui_round(self, *, kill: bool) -> None:
        edits = self.script.gui_batch(self.rows, GUI_BATCH)
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.kill_harness", "--window-process",
             str(self.data_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=self._env(), start_new_session=True,
        )  # fmt: skip
        assert process.stdin is not None and process.stdout is not None
        lines = LineReader(process.stdout.fileno())
        ready = lines.next_line(START_TIMEOUT_S)
        if ready != "ready":
            process.kill()
            _out, err = process.communicate()
            msg = f"the window process did not start: {ready!r} {err.decode(errors='replace')}"
            raise RuntimeError(msg)
        payload = "".join(json.dumps([op.to_json() for op in e.ops]) + "\n" for e in edits)
        began = time.monotonic()
        process.stdin.write(payload.encode())
        process.stdin.flush()
        killed = False
        if kill:
            lines.wait(GUI_BATCH * self.gui_edit_seconds * self.rng.uniform(0.05, 0.95))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                killed = True
        else:
            while len(lines.complete) < len(edits) + 1:
                if lines.next_line(START_TIMEOUT_S) is None:
                    break
            self.gui_edit_seconds = (time.monotonic() - began) / len(edits)
        with contextlib.suppress(BrokenPipeError):
            process.stdin.close()
        process.wait(timeout=120)
        lines.drain()
        acks = [line.split(" ", 2) for line in lines.complete[1:] if line.startswith("ack ")]
        rows = self.rows
        for index, (_word, sequence, ids) in enumerate(acks):
            assert int(sequence) == index
            created = [int(value) for value in ids.split(",") if value]
            rows, _ = after_edit(rows, edits[index], created)
        what = f"window edits (after {len(acks)} acknowledged)"
        if len(acks) == len(edits):
            survived = self._check_acknowledged(rows, len(acks), what)
        else:
            survived = self._check_in_flight(rows, edits[len(acks)], len(acks), what)
        if killed:
            self._count_kill(cli=False, survived=survived)

    def _count_kill(self, *, cli: bool, survived: bool) -> None:
        self.tally.kills += 1
        if cli:
            self.tally.cli_kills += 1
        else:
            self.tally.gui_kills += 1
        if survived:
            self.tally.survived += 1

    def run(self, kills: int) -> Tally:
        # Measure first: how long a command takes, how fast the window edits.
        for _ in range(2):
            self.cli_round(kill=False)
        self.gui_round(kill=False)
        cli_target = (kills + 1) // 2
        gui_target = kills - cli_target
        attempts = 0
        while (
            self.tally.cli_kills < cli_target or self.tally.gui_kills < gui_target
        ) and attempts < kills * 6:
            attempts += 1
            if self.tally.cli_kills < cli_target:
                self.cli_round(kill=True)
            if self.tally.gui_kills < gui_target:
                self.gui_round(kill=True)
        return self.tally


def describe(found: Rows, expected: Rows) -> str:
    missing = {k: v for k, v in expected.items() if found.get(k) != v}
    extra = {k: v for k, v in found.items() if k not in expected}
    return f"missing or different {missing}; unexpected {extra}"


class LineReader:
    """Reads a child's output lines without blocking past a deadline."""

    def __init__(self, descriptor: int) -> None:
        self.descriptor = descriptor
        self.buffer = b""
        self.complete: list[str] = []
        self.closed = False

    def _read(self, timeout: float) -> bool:
        if self.closed:
            return False
        ready, _, _ = select.select([self.descriptor], [], [], max(0.0, timeout))
        if not ready:
            return False
        chunk = os.read(self.descriptor, 65536)
        if not chunk:
            self.closed = True
            return False
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        self.complete.extend(line.decode() for line in lines)
        return True

    def next_line(self, timeout: float) -> str | None:
        seen = len(self.complete)
        deadline = time.monotonic() + timeout
        while len(self.complete) == seen:
            if not self._read(deadline - time.monotonic()) and (
                self.closed or time.monotonic() >= deadline
            ):
                return None
        return self.complete[seen]

    def wait(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.closed:
            self._read(deadline - time.monotonic())

    def drain(self) -> None:
        while not self.closed:
            self._read(5.0)


# ---------------------------------------------------------------- the window process
def window_process(data_dir: Path) -> int:
    """The real store and window, offscreen: apply each edit read from stdin
    and print ``ack <n> <created ids>`` once ``apply`` has returned."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ml_day.core.clock import ManualClock
    from ml_day.core.editing import CreateBlock
    from ml_day.gui.main_window import MainWindow
    from ml_day.gui.store import PlanStore
    from ml_day.paths import resolve_paths

    app = QApplication([sys.argv[0]])
    paths = resolve_paths(data_dir)
    clock = ManualClock.at_local(dt.datetime.combine(FIRST_DAY, dt.time(10)), "UTC")
    store = PlanStore(paths)
    window = MainWindow(store, clock, QSettings(str(paths.settings), QSettings.Format.IniFormat))
    store.open()
    window.show_day(FIRST_DAY)
    window.show()
    app.processEvents()
    print("ready", flush=True)
    for number, line in enumerate(sys.stdin):
        edit = plan_edit(json.loads(line))
        applied = store.apply(edit)  # the window re-reads its day on planChanged
        if applied is None:
            print(f"failed {number}", flush=True)
            return 1
        created = [
            after.id
            for operation, after in zip(edit.operations, applied.after, strict=True)
            if isinstance(operation, CreateBlock) and after is not None
        ]
        print(f"ack {number} {','.join(map(str, created))}", flush=True)
        app.processEvents()
    store.close()
    return 0


def plan_edit(ops: list[dict[str, object]]) -> PlanEdit:
    operations: list[BlockOperation] = []
    for op in ops:
        row = op["row"]
        assert isinstance(row, list)
        block_id = int(str(op["id"]))
        if op["kind"] in {"create", "update"}:
            draft = BlockDraft(title=row[0], category=row[1], start=parse_stamp(row[2]),
                               end=parse_stamp(row[3]))  # fmt: skip
            operations.append(
                CreateBlock(draft) if op["kind"] == "create" else UpdateBlock(block_id, draft)
            )
        elif op["kind"] == "delete":
            operations.append(DeleteBlock(block_id))
        else:
            operations.append(SetDone(block_id, bool(row[4])))
    return PlanEdit(f"Scripted edit of {len(operations)}", tuple(operations))


# ---------------------------------------------------------------- running it
def run_harness(kills: int, seed: int, folder: Path) -> Tally:
    data_dir = folder / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    return Harness(data_dir, seed).run(kills)


@contextlib.contextmanager
def working_folder(keep: str | None) -> Iterator[Path]:
    if keep:
        path = Path(keep)
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="ml-day-kill-") as temporary:
        yield Path(temporary)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=40, help="how many kills (default 40)")
    parser.add_argument("--seed", type=int, default=None, help="for a reproducible run")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and leave the files there")
    parser.add_argument("--window-process", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.window_process:
        return window_process(Path(args.window_process))
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    with working_folder(args.keep) as folder:
        tally = run_harness(args.kills, seed, folder)
    print(tally.report(seed))
    return 0 if tally.losses == 0 and not tally.problems else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Figures measured as whole processes: start-up, memory after start, the command line.

Each process is launched ``process_runs`` times after one warm-up, ours and
its floor in turn (so that a busy moment of the machine hits both); a figure
is the median, with the median absolute deviation as its spread.

* First paint: ML Day with ``ML_DAY_REPORT_STARTUP=1`` (see
  :mod:`ml_day.gui.first_paint`) on a plan whose today is filled, against a
  bare ``QMainWindow`` (:mod:`bench.floors.bare_window`).
* Edits accepted and resident memory: the same launches, against a process
  that only imports ``PySide6.QtWidgets`` and ``sqlmodel``
  (:mod:`bench.floors.imports`).
* ``ml-day agenda`` for that day, against ``khal list`` of the same day in a
  temporary khal calendar, and against ``python -c pass``.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from bench.config import BenchConfig
from bench.environment import (
    Launch,
    child_environment,
    console_script,
    launch,
    median,
    python_script,
    spread,
)
from bench.khal_calendar import write_khal_calendar
from bench.plans import filled_plan, open_plan
from bench.table import Budget, Row
from ml_day.core.clock import SystemClock, today

Command = tuple[list[str], dict[str, str]]


def process_rows(config: BenchConfig, cache: Path, work: Path) -> list[Row]:
    clock = SystemClock()
    day = today(clock)
    plan = filled_plan(work / "startup-plan", day)
    env = child_environment(cache)
    ml_day = console_script("ml-day") or [sys.executable, "-m", "ml_day"]
    app: Command = (ml_day, env | {"ML_DAY_DATA_DIR": str(plan), "ML_DAY_REPORT_STARTUP": "1"})
    bare: Command = (python_script("bench/floors/bare_window.py"), env)
    imports: Command = (python_script("bench/floors/imports.py"), env)
    runs = _interleaved(config.process_runs, {"app": app, "bare": bare, "imports": imports})

    def moments(name: str, moment: str) -> list[float]:
        return [run.moments_ms[moment] for run in runs[name]]

    def resident_mb(name: str) -> list[float]:
        return [run.values["rss-kb"] / 1024 for run in runs[name]]

    rows = [
        _row(
            "start-up",
            "launch → first paint with today's blocks, vs a bare QMainWindow",
            "ms",
            ours=moments("app", "first-paint"),
            floor=moments("bare", "first-paint"),
            budget=Budget(1.4),
        ),
        _row(
            "start-up",
            "launch → edits accepted, vs import PySide6.QtWidgets, sqlmodel",
            "ms",
            ours=moments("app", "edits-accepted"),
            floor=moments("imports", "imported"),
            budget=Budget(1.1),
            note=(
                "the plan opens first; the whole window (timeline, menus, notifier, tray) "
                f"was ready at {median(moments('app', 'started')):,.0f} ms"
            ),
        ),
        _row(
            "memory",
            "resident memory after start, vs import PySide6.QtWidgets, sqlmodel",
            "MB",
            ours=resident_mb("app"),
            floor=resident_mb("imports"),
            budget=Budget(1.3),
        ),
    ]
    return rows + _command_line_rows(
        config, plan=plan, day=day, clock=clock, env=env, ml_day=ml_day, work=work
    )


def _command_line_rows(
    config: BenchConfig,
    *,
    plan: Path,
    day: dt.date,
    clock: SystemClock,
    env: dict[str, str],
    ml_day: list[str],
    work: Path,
) -> list[Row]:
    database, repository = open_plan(plan)
    try:
        blocks = repository.day_blocks(day)
    finally:
        database.close()
    agenda: Command = (
        [*ml_day, "agenda", "--date", day.isoformat()],
        env | {"ML_DAY_DATA_DIR": str(plan)},
    )
    khal = console_script("khal")
    commands = {"agenda": agenda, "pass": ([sys.executable, "-c", "pass"], env)}
    note = ""
    if khal:
        config_file = write_khal_calendar(work / "khal", blocks, clock.zone())
        khal_list = [*khal, "-c", str(config_file), "list", day.isoformat(), day.isoformat()]
        _check_khal_lists(khal_list, env, [block.title for block in blocks])
        commands["khal"] = (khal_list, env)
    else:
        note = "khal is not installed (it is in the test extra: pip install -e '.[test]')"
    runs = _interleaved(config.process_runs, commands)

    def totals(name: str) -> list[float]:
        return [run.total_ms for run in runs.get(name, [])]

    return [
        _row(
            "command line",
            f"ml-day agenda of one day ({len(blocks)} blocks), vs khal list of the same day",
            "ms",
            ours=totals("agenda"),
            floor=totals("khal"),
            budget=Budget(0.5),
            note=note,
        ),
        _row(
            "command line",
            "ml-day agenda of one day, vs python -c pass",
            "ms",
            ours=totals("agenda"),
            floor=totals("pass"),
            budget=Budget(10),
        ),
    ]


def _check_khal_lists(command: list[str], env: dict[str, str], titles: list[str]) -> None:
    """khal must really list the day (and build its cache before it is timed)."""
    shown = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    missing = [title for title in titles if title[:20] not in shown]
    if missing:
        msg = f"khal did not list {len(missing)} of the day's blocks, e.g. {missing[0]!r}"
        raise RuntimeError(msg)


def _interleaved(runs: int, commands: dict[str, Command]) -> dict[str, list[Launch]]:
    """One warm-up each, then ``runs`` rounds of every command in turn."""
    for command, env in commands.values():
        launch(command, env)
    results: dict[str, list[Launch]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, env) in commands.items():
            results[name].append(launch(command, env))
    return results


def _row(
    group: str,
    figure: str,
    unit: str,
    *,
    ours: list[float],
    floor: list[float],
    budget: Budget,
    note: str = "",
) -> Row:
    return Row(
        group=group,
        figure=figure,
        unit=unit,
        ours=median(ours) if ours else None,
        floor=median(floor) if floor else None,
        budget=budget,
        ours_spread=spread(ours) if ours else None,
        floor_spread=spread(floor) if floor else None,
        note=note,
    )

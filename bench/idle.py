"""The app left alone, against an empty ``QApplication`` left alone.

Three processes run side by side for ``idle_seconds`` (60 s in the full run):
the real app with its window hidden (as closing it to the tray leaves it) on a
plan where nothing is due, the real app with its window shown on such a plan,
and the empty application (:mod:`bench.floors.empty_app`). Each measures
itself with :mod:`bench.idle_meter`.
"""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

from bench.config import BenchConfig
from bench.environment import SOURCE_ROOT, TIMEOUT_S, child_environment, python_module
from bench.plans import quiet_plan
from bench.table import Applies, Budget, Row
from ml_day.core.clock import SystemClock, today


def idle_rows(config: BenchConfig, cache: Path, work: Path) -> list[Row]:
    seconds = config.idle_seconds
    day = today(SystemClock())
    env = child_environment(cache)
    commands = {
        "hidden": python_module(
            "bench.probes.idle_app",
            "hidden",
            str(seconds),
            str(quiet_plan(work / "idle-hidden", day)),
        ),
        "shown": python_module(
            "bench.probes.idle_app",
            "shown",
            str(seconds),
            str(quiet_plan(work / "idle-shown", day)),
        ),
        "empty": python_module("bench.floors.empty_app", str(seconds)),
    }
    running = {
        name: subprocess.Popen(
            command,
            env=env,
            cwd=SOURCE_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, command in commands.items()
    }
    figures: dict[str, dict[str, float]] = {}
    for name, process in running.items():
        out, err = process.communicate(timeout=seconds + TIMEOUT_S)
        if process.returncode != 0:
            msg = f"the idle probe {name!r} failed: {' '.join(err.split()[-30:])}"
            raise RuntimeError(msg)
        figures[name] = json.loads(out.strip().splitlines()[-1])
    hidden, shown, empty = figures["hidden"], figures["shown"], figures["empty"]
    window = f"{seconds:g} s"
    allowed = max(1, math.ceil(seconds / 60))
    per = "one a minute" if seconds >= 60 else f"one in the {window} of a quick run"
    return [
        Row("idle", f"CPU over {window}, window hidden, nothing due, vs an empty QApplication",
            "ms", hidden["cpu_ms"], empty["cpu_ms"], Budget(3)),
        Row("idle", f"wakeups in {window}, window hidden (budget: {per}; floor: empty app)",
            "", hidden["wakeups"], empty["wakeups"], Budget(allowed, Applies.VALUE)),
        Row("idle", f"timeline repaints in {window}, window shown (the now line's)", "",
            shown["repaints"], None, Budget(allowed, Applies.VALUE)),
        Row("idle", "height of a now-line repaint, vs the now line's strip (before and after)",
            "px", shown["max_repaint_height"] or None, shown["strip_height"], Budget(1.0),
            note="" if shown["repaints"] else f"the now line did not move in {window}"),
    ]  # fmt: skip

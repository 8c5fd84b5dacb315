"""Where the benchmark keeps its files, how it starts processes, and what it runs on.

Every process is started the way a user's would run: compiled bytecode
cached (in the benchmark's cache folder, not in the source tree, even when
``PYTHONDONTWRITEBYTECODE`` is set in the environment), Qt on the offscreen
platform, and one warm-up run first so that caches are equally warm for ours
and for the floors.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

CACHE_ENV = "ML_DAY_BENCH_CACHE"
"""Overrides the cache folder (large plans, compiled bytecode)."""


def cache_folder() -> Path:
    """Kept between runs: building the large plan takes minutes."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        folder = Path(chosen)
    else:
        from platformdirs import user_cache_path  # noqa: PLC0415

        folder = user_cache_path("ml-day-bench", appauthor=False)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def child_environment(cache: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of every measured process."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("ML_DAY_DATA_DIR", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache / "pycache")
    env["QT_QPA_PLATFORM"] = "offscreen"
    if extra:
        env.update(extra)
    return env


def console_script(name: str) -> list[str]:
    """How to run an installed command: the script beside this Python, else on PATH."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return [str(beside)]
    found = shutil.which(name)
    return [found] if found else []


SOURCE_ROOT = Path(__file__).resolve().parent.parent
"""The folder holding ``bench`` and ``ml_day``: the working folder of every process."""


def python_module(module: str, *args: str) -> list[str]:
    """Run one of the benchmark's own programs (found from :data:`SOURCE_ROOT`)."""
    return [sys.executable, "-m", module, *args]


def python_script(relative: str, *args: str) -> list[str]:
    """Run a floor script by its path: nothing but itself lands on ``sys.path``."""
    return [sys.executable, str(SOURCE_ROOT / relative), *args]


@dataclass(frozen=True, slots=True)
class Launch:
    """One process run: when each reported moment came, from the launch."""

    moments_ms: dict[str, float]
    values: dict[str, int]
    total_ms: float


class LaunchError(RuntimeError):
    pass


TIMEOUT_S = 120


def launch(command: Sequence[str], env: Mapping[str, str]) -> Launch:
    """Run ``command`` and read its ``name <number>`` lines: a name that ends a
    moment (``first-paint``, ``imported``...) holds ``time.monotonic_ns()``,
    ``rss-kb`` a value. The launch is the instant just before the process starts."""
    started = time.monotonic_ns()
    result = subprocess.run(
        command,
        env=dict(env),
        cwd=SOURCE_ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    ended = time.monotonic_ns()
    if result.returncode != 0:
        tail = " ".join(result.stderr.split()[-30:])
        msg = f"{' '.join(command)} failed with status {result.returncode}: {tail}"
        raise LaunchError(msg)
    moments: dict[str, float] = {}
    values: dict[str, int] = {}
    for line in result.stdout.splitlines():
        match = re.fullmatch(r"([a-z-]+) (\d+)", line.strip())
        if match is None:
            continue
        name, number = match[1], int(match[2])
        if name.endswith("-kb"):
            values[name] = number
        else:
            moments[name] = (number - started) / 1e6
    return Launch(moments, values, (ended - started) / 1e6)


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def spread(samples: Sequence[float]) -> float:
    """The median absolute deviation: robust to the odd slow run on a shared machine."""
    if len(samples) < 2:
        return 0.0
    middle = statistics.median(samples)
    return statistics.median(abs(sample - middle) for sample in samples)


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def machine_description() -> list[str]:
    """The machine, for the record (no paths)."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from PySide6 import __version__ as pyside  # noqa: PLC0415
    except ImportError:
        pyside = "?"
    try:
        import sqlalchemy  # noqa: PLC0415

        orm = f"SQLAlchemy {sqlalchemy.__version__}"
    except ImportError:
        orm = "SQLAlchemy ?"
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return [
        f"CPU: {cpu}, {os.cpu_count()} cores; load average at the end: {load}",
        (
            f"Python {platform.python_version()} ({platform.python_implementation()}), "
            f"PySide6 {pyside}, {orm}, SQLite {_sqlite_version()}"
        ),
        f"System: {platform.system()} {platform.release()}, Qt platform: offscreen",
    ]


def _sqlite_version() -> str:
    import sqlite3  # noqa: PLC0415

    return sqlite3.sqlite_version

"""``python -m bench [--quick] [--only GROUP ...]``: every budget, one table.

The groups, in order: ``processes`` (start-up, memory after start, the
command line), ``drag``, ``scale``, ``memory``, ``idle``. The in-process
groups each run in a fresh process; the large plans are built once and kept
in the cache folder (``ML_DAY_BENCH_CACHE``, default: the user cache folder).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.config import CONFIGS, FULL, QUICK, BenchConfig
from bench.environment import (
    SOURCE_ROOT,
    cache_folder,
    child_environment,
    machine_description,
    python_module,
)
from bench.inprocess import GROUPS as IN_PROCESS
from bench.table import Row, format_table, rows_from_json, summary

ALL_GROUPS = ("processes", *IN_PROCESS, "idle")
GROUP_TIMEOUT_S = 3600


def run_benchmark(
    config: BenchConfig, groups: tuple[str, ...], cache: Path, work: Path
) -> list[Row]:
    """Every row of ``groups``, in the order of :data:`ALL_GROUPS`."""
    rows: list[Row] = []
    for group in ALL_GROUPS:
        if group not in groups:
            continue
        started = time.monotonic()
        sys.stderr.write(f"bench: {group}…\n")
        rows += _run_group(group, config, cache, work)
        sys.stderr.write(f"bench: {group} took {time.monotonic() - started:.0f} s\n")
    return rows


def _run_group(group: str, config: BenchConfig, cache: Path, work: Path) -> list[Row]:
    if group == "processes":
        from bench.processes import process_rows  # noqa: PLC0415

        return process_rows(config, cache, work)
    if group == "idle":
        from bench.idle import idle_rows  # noqa: PLC0415

        return idle_rows(config, cache, work)
    command = python_module("bench.inprocess", group, config.name, str(cache), str(work))
    result = subprocess.run(
        command,
        env=child_environment(cache),
        cwd=SOURCE_ROOT,
        capture_output=True,
        text=True,
        timeout=GROUP_TIMEOUT_S,
        check=False,
    )
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        msg = f"the {group} group failed (status {result.returncode})"
        raise RuntimeError(msg)
    return rows_from_json(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="a short run: fewer samples, 20 s idle, 100,000 blocks"
    )
    parser.add_argument("--only", nargs="+", choices=ALL_GROUPS, metavar="GROUP",
                        help=f"run only these groups ({', '.join(ALL_GROUPS)})")  # fmt: skip
    parser.add_argument("--config", choices=sorted(CONFIGS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    config = CONFIGS[args.config] if args.config else QUICK if args.quick else FULL
    groups = tuple(args.only or ALL_GROUPS)
    cache = cache_folder()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ml-day-bench-") as work:
        rows = run_benchmark(config, groups, cache, Path(work))
    lines = [format_table(rows), "", summary(rows)]
    lines.append(f"Run: {config.name}, {time.monotonic() - started:.0f} s")
    lines += machine_description()
    sys.stdout.write("\n".join(lines) + "\n")
    return 0 if all(row.passed is not False for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

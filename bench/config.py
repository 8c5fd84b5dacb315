"""How long each part of the benchmark runs: the full run, ``--quick``, and a
tiny one for the test that checks the machinery."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BenchConfig:
    name: str
    process_runs: int
    """Launches of each start-up and command-line process (after one warm-up)."""
    drag_blocks: int
    drag_moves: int
    """Mouse moves measured per drag prototype (and as many for ours)."""
    full_repaints: int
    scale_sizes: tuple[int, int]
    """Blocks stored in the small and the large plan."""
    scale_repeats: int
    idle_seconds: float
    shown_blocks: tuple[int, int]
    edits: int
    """Stored edits for the memory figure: half of them moves, half their undos."""


FULL = BenchConfig(
    name="full",
    process_runs=9,
    drag_blocks=200,
    drag_moves=400,
    full_repaints=200,
    scale_sizes=(1_000, 1_000_000),
    scale_repeats=60,
    idle_seconds=60.0,
    shown_blocks=(20, 2_000),
    edits=10_000,
)

QUICK = BenchConfig(
    name="quick",
    process_runs=3,
    drag_blocks=200,
    drag_moves=100,
    full_repaints=40,
    scale_sizes=(1_000, 100_000),
    scale_repeats=15,
    idle_seconds=20.0,
    shown_blocks=(20, 2_000),
    edits=1_000,
)

TINY = BenchConfig(
    name="tiny",
    process_runs=1,
    drag_blocks=20,
    drag_moves=6,
    full_repaints=3,
    scale_sizes=(50, 200),
    scale_repeats=2,
    idle_seconds=1.0,
    shown_blocks=(5, 40),
    edits=10,
)

CONFIGS = {config.name: config for config in (FULL, QUICK, TINY)}

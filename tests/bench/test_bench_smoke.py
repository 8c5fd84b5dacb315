"""The benchmark's machinery, on a tiny configuration: it runs every group and
prints one well-formed table. Nothing here asserts a timing: the benchmark
measures, the tests only check that what it reports adds up."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bench.__main__ import ALL_GROUPS, run_benchmark
from bench.config import TINY
from bench.table import HEADERS, Applies, Budget, Row, format_table, quantity

GROUP_NAMES = {
    "processes": {"start-up", "memory", "command line"},
    "drag": {"drag"},
    "scale": {"scale"},
    "memory": {"memory"},
    "idle": {"idle"},
}


def table_cells(table: str) -> list[list[str]]:
    """The body rows of a Markdown table, as lists of stripped cells."""
    lines = [line for line in table.splitlines() if line.startswith("|")]
    header, rule, *body = lines
    assert [cell.strip() for cell in header.strip("|").split("|")] == list(HEADERS)
    assert set(rule.replace("|", "").strip()) <= {"-", " "}
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in body]


def expected_result(row: Row) -> str:
    checked = row.ours if row.budget.applies is Applies.VALUE else row.ratio
    if checked is None:
        return "not measured"
    return "pass" if checked <= row.budget.limit else "FAIL"


def test_the_table_shows_ours_over_floor_and_judges_by_the_budget() -> None:
    rows = [
        Row("start-up", "first paint", "ms", 150.0, 100.0, Budget(1.4), ours_spread=3.0),
        Row("drag", "per move", "ms", 0.9, 0.3, Budget(2.0)),
        Row("memory", "growth", "MB", 1.5, None, Budget(5, Applies.VALUE)),
        Row("idle", "wakeups", "", 2.0, 0.0, Budget(1, Applies.VALUE)),
        Row("command line", "agenda vs khal", "ms", 80.0, None, Budget(0.5), note="no khal"),
    ]
    cells = table_cells(format_table(rows))
    assert [line[0] for line in cells] == [f"{row.group}: {row.figure}" for row in rows]
    assert cells[0][1:] == ["150 ±3.00 ms", "100 ms", "1.50x", "≤ 1.4x", "FAIL"]
    assert cells[1][3:] == ["3.00x", "≤ 2x", "FAIL"]
    assert cells[2][2:] == ["—", "—", "≤ 5 MB", "pass"]
    assert cells[3][1:] == ["2", "0", "—", "≤ 1", "FAIL"]
    assert cells[4][2:] == ["—", "—", "≤ 0.5x", "not measured"]
    assert "- agenda vs khal: no khal" in format_table(rows)


def test_quantities_keep_their_unit_and_sensible_digits() -> None:
    assert quantity(1234.4, "ms") == "1,234 ms"
    assert quantity(0.0123, "ms") == "0.0123 ms"
    assert quantity(3.0, "") == "3"
    assert quantity(None, "ms") == "—"


@pytest.mark.slow
def test_every_group_runs_on_a_tiny_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("ML_DAY_BENCH_CACHE", str(cache))
    rows = run_benchmark(TINY, ALL_GROUPS, cache, tmp_path / "work")

    groups = {row.group for row in rows}
    assert groups == set().union(*GROUP_NAMES.values())
    assert len(rows) == len({(row.group, row.figure) for row in rows}), "no figure twice"
    for row in rows:
        assert row.ours is None or math.isfinite(row.ours), row
        if row.ours is not None and row.floor:
            assert row.ratio == pytest.approx(row.ours / row.floor), row
        assert row.passed is (None if expected_result(row) == "not measured" else
                              expected_result(row) == "pass"), row  # fmt: skip
    # The scale figures compare the two plan sizes of the configuration.
    small, large = TINY.scale_sizes
    assert all(f"{large:,} vs {small:,}" in row.figure for row in rows if row.group == "scale")
    assert (cache / f"plan-{large}" / "built").is_file(), "the large plan is cached"

    cells = table_cells(format_table(rows))
    assert len(cells) == len(rows)
    for row, line in zip(rows, cells, strict=True):
        assert len(line) == len(HEADERS)
        assert line[5] == expected_result(row)
        if row.ratio is not None:
            assert line[3] == f"{row.ratio:.2f}x"

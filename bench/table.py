"""The benchmark's one table: figure, ours, floor, ratio, budget, pass/fail.

A row compares what ML Day costs ("ours") with a floor measured in the same
run, so that a budget holds on any machine: ``ratio = ours / floor``. A few
budgets are absolute (a growth in megabytes, a count of wakeups, SQL
statements); their floor cell holds what the floor process did, for
reference, and the budget applies to ``ours`` itself.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass


class Applies(enum.StrEnum):
    RATIO = "ratio"
    """The budget bounds ``ours / floor``."""
    VALUE = "value"
    """The budget bounds ``ours`` itself."""


@dataclass(frozen=True, slots=True)
class Budget:
    limit: float
    applies: Applies = Applies.RATIO

    def describe(self, unit: str) -> str:
        if self.applies is Applies.RATIO:
            return f"≤ {self.limit:g}x"
        if self.limit == 0:
            return "= 0"
        return f"≤ {self.limit:g} {unit}".rstrip()


@dataclass(frozen=True, slots=True)
class Row:
    """One figure of one run. ``spread`` is the median absolute deviation of the
    samples (process figures), or None; ``note`` says what a cell cannot."""

    group: str
    figure: str
    unit: str
    ours: float | None
    floor: float | None
    budget: Budget
    ours_spread: float | None = None
    floor_spread: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.floor is None or self.floor <= 0:
            return None
        return self.ours / self.floor

    @property
    def passed(self) -> bool | None:
        """None when the figure could not be measured (see ``note``)."""
        checked = self.ratio if self.budget.applies is Applies.RATIO else self.ours
        if checked is None or math.isnan(checked):
            return None
        return checked <= self.budget.limit

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["budget"] = {"limit": self.budget.limit, "applies": self.budget.applies.value}
        return data

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Row:
        fields = dict(data)
        budget = fields.pop("budget")
        assert isinstance(budget, dict)
        return cls(
            budget=Budget(float(budget["limit"]), Applies(budget["applies"])),
            **fields,  # type: ignore[arg-type]
        )


def rows_to_json(rows: Iterable[Row]) -> str:
    return json.dumps([row.as_json() for row in rows])


def rows_from_json(text: str) -> list[Row]:
    return [Row.from_json(item) for item in json.loads(text)]


def quantity(value: float | None, unit: str, spread: float | None = None) -> str:
    """``value`` with its unit and spread, in as many digits as it deserves."""
    if value is None or math.isnan(value):
        return "—"
    text = f"{round(value):,}" if not unit and value == round(value) else _number(value)
    if spread is not None and spread > 0:
        text += f" ±{_number(spread)}"
    return f"{text} {unit}".rstrip()


def _number(value: float) -> str:
    magnitude = abs(value)
    if magnitude == 0 or (magnitude >= 100 and value == round(value)):
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


HEADERS = ("figure", "ours", "floor", "ratio", "budget", "result")


def format_table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table (readable as plain text, pasteable in the docs)."""
    lines = [_cells(row) for row in rows]
    widths = [max(len(h), *(len(cells[i]) for cells in lines)) for i, h in enumerate(HEADERS)]
    out = [_line(HEADERS, widths), _line(tuple("-" * w for w in widths), widths)]
    out.extend(_line(cells, widths) for cells in lines)
    notes = [f"- {row.figure}: {row.note}" for row in rows if row.note]
    if notes:
        out += ["", *notes]
    return "\n".join(out)


def _cells(row: Row) -> tuple[str, ...]:
    ratio = row.ratio
    result = {True: "pass", False: "FAIL", None: "not measured"}[row.passed]
    return (
        f"{row.group}: {row.figure}",
        quantity(row.ours, row.unit, row.ours_spread),
        quantity(row.floor, row.unit, row.floor_spread),
        "—" if ratio is None else f"{ratio:.2f}x",
        row.budget.describe(row.unit),
        result,
    )


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return (
        "| "
        + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        + " |"
    )


def summary(rows: Sequence[Row]) -> str:
    passed = sum(row.passed is True for row in rows)
    failed = [row for row in rows if row.passed is False]
    unmeasured = sum(row.passed is None for row in rows)
    text = f"{passed} of {len(rows)} budgets met"
    if failed:
        text += f"; not met: {', '.join(f'{row.group}: {row.figure}' for row in failed)}"
    if unmeasured:
        text += f"; {unmeasured} not measured"
    return text

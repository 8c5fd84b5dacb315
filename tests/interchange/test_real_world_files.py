"""Every calendar file that the installed ``icalendar`` and ``recurring-ical-events``
packages ship with their own tests (exports of Google Calendar, Thunderbird,
Outlook and Exchange, Nextcloud's SabreDAV, and many broken ones) is imported
into a real plan without crashing, and the report says for each file what was
added and what was skipped, and why.

The files are read from the installed packages, not copied here. The report
is written to ``import-report.txt`` under the test's temporary folder (the
path is printed when the test fails).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events  # type: ignore[import-untyped]

from ml_day.interchange.import_plan import Action, ImportPlan
from ml_day.interchange.importing import prepare_import
from ml_day.interchange.reading import CalendarFileError, read_calendar
from ml_day.persistence.exchange import apply_import, blocks_by_uid
from ml_day.persistence.repository import PlanRepository
from tests.interchange.conftest import BERLIN, OpenPlan

PRODUCERS = {
    "Google Calendar": re.compile(r"Google Calendar"),
    "Thunderbird": re.compile(r"Mozilla\.org"),
    "Outlook and Exchange": re.compile(r"Microsoft|Outlook"),
    "Nextcloud (SabreDAV)": re.compile(r"SabreDAV"),
}
EXPECTED_REFUSALS = (
    "it is not an iCalendar file (it does not begin with BEGIN:VCALENDAR)",
    "it is a binary file, not an iCalendar file",
)
"""The packages also ship single events and time zones without a calendar
around them, and a fuzzing case with a NUL byte: those are not calendar files."""


def shipped_files() -> list[Path]:
    roots = [
        Path(icalendar.__file__).parent / "tests",
        Path(recurring_ical_events.__file__).parent / "test",
    ]
    return sorted(path for root in roots for path in root.rglob("*.ics"))


def first_day_of(data: bytes) -> dt.date:
    """The day of the file's first event, so that repeating events are expanded
    where they happen (the files are from many years)."""
    try:
        calendar = read_calendar(data).calendar
    except CalendarFileError:
        return dt.date(2026, 3, 23)
    days = []
    for event in calendar.walk("VEVENT"):
        try:
            start = getattr(event.get("DTSTART"), "dt", None)
        except ValueError:  # a broken DTSTART: the import reports it
            continue
        if isinstance(start, dt.date):
            days.append(start if not isinstance(start, dt.datetime) else start.date())
    return min(days, default=dt.date(2026, 3, 23))


def import_report(path: Path, plan: PlanRepository) -> tuple[str, ImportPlan | None]:
    data = path.read_bytes()
    try:
        result = prepare_import(
            data,
            source=path.name,
            zone=BERLIN,
            first_day=first_day_of(data),
            days=14,
            stored=lambda uids: blocks_by_uid(plan.database, uids),
        )
    except CalendarFileError as error:
        return f"refused: {error}", None
    apply_import(plan, result.edit(), result.whole_days)
    lines = [result.done_summary()]
    lines.extend(f"    skipped {item.title}: {item.detail}" for item in result.of(Action.SKIP))
    return "\n".join(lines), result


def test_the_installed_packages_ship_the_files() -> None:
    files = shipped_files()
    assert len(files) >= 200, "the installed icalendar / recurring-ical-events ship no test files"


@pytest.mark.slow
def test_every_shipped_calendar_file_imports_without_crashing(
    open_plan: OpenPlan, tmp_path: Path
) -> None:
    plan = open_plan("plan")
    report: list[str] = []
    added_by: dict[str, int] = dict.fromkeys(PRODUCERS, 0)
    refused: dict[str, str] = {}
    total_added = total_skipped = 0
    for path in shipped_files():
        text, result = import_report(path, plan)
        where = f"{path.parent.parent.name}/{path.parent.name}/{path.name}"
        report.append(f"{where}: {text}")
        if result is None:
            refused[where] = text.removeprefix("refused: ")
            continue
        total_added += result.count(Action.ADD)
        total_skipped += result.count(Action.SKIP)
        producer = path.read_bytes().decode("utf-8", "replace")
        for name, pattern in PRODUCERS.items():
            if re.search(r"PRODID:.*" + pattern.pattern, producer):
                added_by[name] += result.count(Action.ADD)
    output = tmp_path / "import-report.txt"
    output.write_text("\n".join(report) + "\n", encoding="utf-8")
    print(f"import report: {output}")

    assert len(report) == len(shipped_files())
    assert all(added_by[name] > 0 for name in PRODUCERS), added_by
    assert set(refused.values()) <= set(EXPECTED_REFUSALS), refused
    assert total_added > 500 and total_skipped > 200
    # Outlook's holiday calendar holds only all-day events: each is skipped, saying why.
    germany = next(line for line in report if line.startswith("test/calendars/Germany.ics"))
    assert "added 0" in germany
    assert "it is an all-day event (ML Day plans the hours of a day)" in germany

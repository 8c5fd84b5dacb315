"""``ml-day export`` and ``ml-day import`` on real data folders."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from ml_day.core.clock import ManualClock
from ml_day.main import main

BERLIN = "Europe/Berlin"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock.at_local(dt.datetime(2026, 11, 27, 11, 23), BERLIN)


def run(data_dir: Path, clock: ManualClock, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args], clock=clock)


def block_rows(data_dir: Path) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(data_dir / "plan.sqlite3") as connection:
        return sorted(connection.execute('SELECT uid, title, start, "end" FROM block').fetchall())


def agenda(
    data_dir: Path, clock: ManualClock, day: str, capsys: pytest.CaptureFixture[str]
) -> list[dict[str, object]]:
    """The day as ``agenda --json`` prints it, without the ids (each plan numbers its own)."""
    assert run(data_dir, clock, "agenda", "--date", day, "--json") == 0
    items = json.loads(capsys.readouterr().out)
    assert items
    return [{key: value for key, value in item.items() if key != "id"} for item in items]


def ics(*events: tuple[str, str, str, str]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Other//EN"]
    for uid, title, start, end in events:
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"SUMMARY:{title}", f"DTSTART:{start}",
                  f"DTEND:{end}", "END:VEVENT"]  # fmt: skip
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


def test_export_then_import_into_a_new_data_folder(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target, file = tmp_path / "source", tmp_path / "target", tmp_path / "plan.ics"
    assert run(source, clock, "export", "--date", "2026-03-28", "--days", "2", "-o", str(file)) == 0
    assert capsys.readouterr().out == f"wrote 21 blocks (2026-03-28 to 2026-03-29) to {file}\n"
    assert file.read_bytes().startswith(b"BEGIN:VCALENDAR")

    assert run(target, clock, "import", str(file)) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("add        Fri 27 Mar 2026 22:30–Sat 06:00  Sleep  (sleep)")
    assert out[-1] == "imported plan.ics: added 21, changed 0, unchanged 0, skipped 0"
    for day in ("2026-03-28", "2026-03-29"):
        assert agenda(target, clock, day, capsys) == agenda(source, clock, day, capsys)

    assert run(target, clock, "import", str(file)) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "nothing to import from plan.ics: 0 to add, 0 to change, 21 already the same, 0 skipped"
    )


def test_a_dry_run_lists_and_stores_nothing(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "meetings.ics"
    file.write_bytes(ics(("a", "Standup", "20261130T080000Z", "20261130T083000Z")))
    data_dir = tmp_path / "data"
    assert run(data_dir, clock, "agenda") == 0
    before = block_rows(data_dir)
    capsys.readouterr()
    assert run(data_dir, clock, "import", str(file), "--dry-run") == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "add        Mon 30 Nov 2026 09:00–09:30  Standup  (general)",
        "dry run, nothing stored: 1 to add, 0 to change, 0 skipped",
    ]
    assert block_rows(data_dir) == before


def test_changing_stored_blocks_takes_yes(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir, file = tmp_path / "data", tmp_path / "meetings.ics"
    file.write_bytes(ics(("a", "Standup", "20261130T080000Z", "20261130T083000Z")))
    assert run(data_dir, clock, "import", str(file)) == 0
    file.write_bytes(ics(("a", "Standup", "20261130T090000Z", "20261130T093000Z")))
    before = block_rows(data_dir)
    capsys.readouterr()
    assert run(data_dir, clock, "import", str(file)) == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "change     Mon 30 Nov 2026 10:00–10:30  Standup  (time Mon 09:00–09:30 → Mon 10:00–10:30)"
    ]
    assert captured.err == (
        "ml-day: error: the import would change 1 stored block; "
        "run again with --yes to allow it (nothing was stored)\n"
    )
    assert block_rows(data_dir) == before
    assert run(data_dir, clock, "import", str(file), "--yes") == 0
    assert ("a", "Standup", "2026-11-30 10:00:00.000000", "2026-11-30 10:30:00.000000") in (
        block_rows(data_dir)
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"Subject,Start\r\n", "it is not an iCalendar file (it does not begin with "
                     "BEGIN:VCALENDAR)", id="csv"),
        pytest.param(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n",
                     "the file is cut short: it ends in the middle of its first entry",
                     id="truncated"),
        pytest.param(b"\x00\x01\x02", "it is a binary file, not an iCalendar file", id="binary"),
        pytest.param(b"BEGIN:VCALENDAR\r\nSUMMARY:Caf\xe9\r\n",
                     "it is not UTF-8 text (byte 0xE9 on line 2); iCalendar files are UTF-8",
                     id="latin-1"),
    ],
)  # fmt: skip
def test_a_file_that_is_no_calendar_gets_one_line_and_exit_1(
    tmp_path: Path,
    clock: ManualClock,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    message: str,
) -> None:
    data_dir, file = tmp_path / "data", tmp_path / "bad.ics"
    file.write_bytes(content)
    assert run(data_dir, clock, "agenda") == 0
    before = block_rows(data_dir)
    capsys.readouterr()
    assert run(data_dir, clock, "import", str(file)) == 1
    assert capsys.readouterr().err == f"ml-day: error: {file}: {message}\n"
    assert block_rows(data_dir) == before


def test_a_missing_file_gets_one_line(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.ics"
    assert run(tmp_path / "data", clock, "import", str(missing)) == 1
    assert capsys.readouterr().err == (
        f"ml-day: error: {missing}: it cannot be read (No such file or directory)\n"
    )


def test_the_json_backup_round_trip_and_its_refusals(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target, file = tmp_path / "source", tmp_path / "target", tmp_path / "plan.json"
    assert run(source, clock, "agenda") == 0
    assert run(source, clock, "export", "--format", "json", "-o", str(file)) == 0
    document = json.loads(file.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == ("ml-day-backup", 1)
    capsys.readouterr()

    assert run(target, clock, "import", str(file), "--dry-run") == 0
    assert capsys.readouterr().out == (
        "dry run, nothing stored: the backup holds 20 blocks, 10 categories, 2 days, 1 template\n"
    )
    assert run(target, clock, "import", str(file)) == 0
    assert capsys.readouterr().out == (
        "restored 20 blocks, 10 categories, 2 days, 1 template from plan.json\n"
    )
    assert block_rows(target) == block_rows(source)

    assert run(target, clock, "import", str(file)) == 2
    assert "--replace" in capsys.readouterr().err
    assert run(target, clock, "import", str(file), "--replace") == 0
    assert block_rows(target) == block_rows(source)
    # The plan a --replace overwrote is kept as a backup first, and can be restored.
    kept = sorted((target / "backups").glob("plan-before-restore-*.sqlite3"))
    assert len(kept) == 1
    assert f"the plan it replaced is kept as {kept[0]}" in capsys.readouterr().out
    import sqlite3

    with sqlite3.connect(kept[0]) as copy:
        assert copy.execute("SELECT count(*) FROM block").fetchone()[0] == 20


def test_export_to_standard_output_and_usage_errors(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    assert run(data_dir, clock, "export", "-o", "-") == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("BEGIN:VCALENDAR")
    assert captured.err == "ml-day: wrote 11 blocks (2026-11-27) to -\n"

    assert run(data_dir, clock, "export", "--format", "json", "--date", "2026-11-27",
               "-o", str(tmp_path / "x.json")) == 2  # fmt: skip
    assert "holds every day" in capsys.readouterr().err
    with pytest.raises(SystemExit) as raised:
        run(data_dir, clock, "export", "--days", "0", "-o", "x.ics")
    assert raised.value.code == 2
    assert "'0' is not a number of days from 1 to 366" in capsys.readouterr().err

"""Bad input on the command line: every wrong title, time, date, id, option or file
gets exactly one line on stderr (exit 2 for what the user typed wrong, 1 for
what could not be done), never a traceback, and the stored plan stays exactly
as it was, row for row."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ml_day.cli.arguments import build_parser
from ml_day.core.clock import ManualClock
from ml_day.main import main

BERLIN = "Europe/Berlin"
FRIDAY = "2026-11-27"
TEN_MEGABYTES = 10 * 1024 * 1024


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock.at_local(dt.datetime(2026, 11, 27, 11, 23), BERLIN)


@pytest.fixture(scope="module")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan with Friday filled from the template and one block added by hand."""
    folder = tmp_path_factory.mktemp("seeded") / "data"
    clock = ManualClock.at_local(dt.datetime(2026, 11, 27, 11, 23), BERLIN)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["--data-dir", str(folder), "agenda", "--date", FRIDAY], clock=clock) == 0
        added = ["add", "Paper reading", "--start", "17:00", "--end", "17:45"]
        assert main(["--data-dir", str(folder), *added], clock=clock) == 0
    return folder


@pytest.fixture
def data_dir(seeded_dir: Path, tmp_path: Path) -> Path:
    """A copy of the seeded plan, for one test."""
    return Path(shutil.copytree(seeded_dir, tmp_path / "data"))


def run(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """``ml-day --data-dir DIR ARGS``: the exit status, stdout and stderr."""
    capsys.readouterr()
    try:
        status = main(["--data-dir", str(data_dir), *args], clock=clock)
    except SystemExit as exit_:  # argparse's refusals end this way
        status = exit_.code if isinstance(exit_.code, int) else -1
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def stored(data_dir: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read with the plain driver (read-only)."""
    uri = f"{(data_dir / 'plan.sqlite3').as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {
            table: list(connection.execute(f'SELECT * FROM "{table}" ORDER BY 1'))
            for table in tables
        }


def assert_one_line_error(err: str, out: str = "") -> str:
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, repr(err[:300])
    assert err.startswith("ml-day: error: ")
    assert "Traceback" not in err
    line = err.removesuffix("\n")
    assert line.isprintable(), repr(line)
    assert len(line) <= 500
    return line


ADD = ("add", "--start", "09:00", "--end", "10:00", "--date", FRIDAY)


@dataclass(frozen=True)
class BadInput:
    """A command line, the exit status it gets and what its one-line message says."""

    argv: tuple[str, ...]
    status: int
    says: str


def bad(name: str, status: int, says: str, *argv: str) -> Any:
    return pytest.param(BadInput(argv, status, says), id=name)


BAD_INPUT = [
    # titles
    bad("empty-title", 2, "the title is empty", *ADD, ""),
    bad("blank-title", 2, "the title is empty", *ADD, " \t "),
    bad("10MB", 2, "too long (10,485,760 characters", *ADD, "x" * TEN_MEGABYTES),
    bad("line-break", 2, "control characters", *ADD, "Lunch\nwith the team"),
    bad("tab", 2, "control characters", *ADD, "Lunch\twith"),
    bad("nul", 2, "control characters", *ADD, "Lunch\x00"),
    bad("escape-codes", 2, "control characters", *ADD, "\x1b[31mRed\x1b[0m"),
    bad("line-separator", 2, "control characters", *ADD, "Lunch\u2028team"),
    bad("latin-1-bytes", 2, "not valid text (it holds bytes that are not UTF-8)",
        *ADD, "Caf\udce9"),
    bad("category-line-break", 2, "category name contains control",
        *ADD, "L", "--category", "me\nal"),
    bad("category-too-long", 2, "category name is too long", *ADD, "L", "--category", "c" * 41),
    # times and dates
    bad("end-before-start", 2, "the end (12:00) is not after the start (13:00)",
        "add", "Lunch", "--start", "13:00", "--end", "12:00"),
    bad("too-short", 2, "a block lasts at least 5 minutes",
        "add", "Lunch", "--start", "12:00", "--end", "12:03"),
    bad("25:00", 2, "'25:00' is not a valid time (00:00 to 23:59)",
        "add", "Lunch", "--start", "25:00", "--end", "26:00"),
    bad("24:00", 2, "'24:00' is not a valid time", "add", "L", "--start", "9:00", "--end", "24:00"),
    bad("12:60", 2, "'12:60' is not a valid time", "add", "L", "--start", "12:60", "--end", "14"),
    bad("noon", 2, "'noon' is not a time like 09:30", "add", "L", "--start", "noon", "--end", "1"),
    bad("arabic-indic-digits", 2, "is not a time like 09:30",
        "add", "Lunch", "--start", "\u0660\u0669:\u0660\u0660", "--end", "13:00"),
    bad("2026-02-30", 2, "'2026-02-30' is not a valid date (no such day)",
        *ADD[:5], "--date", "2026-02-30", "Lunch"),
    bad("month-13", 2, "not a valid date", "agenda", "--date", "2026-13-01"),
    bad("other-format", 2, "is not a date like 2026-11-27", "agenda", "--date", "27.11.2026"),
    bad("date-with-line-break", 2, "'2026-11-27\\nrm -rf' is not",
        "agenda", "--date", "2026-11-27\nrm -rf"),
    bad("long-date", 2, "is not a date like", "agenda", "--date", "9" * 100_000),
    bad("year-1", 2, "0001-01-01 is outside the days ML Day plans (1900-01-01 to 9998-12-31)",
        "agenda", "--date", "0001-01-01"),
    bad("year-9999", 2, "outside the days ML Day plans", "agenda", "--date", "9999-12-31"),
    bad("last-day-into-the-next", 0, "", *ADD[:5], "--date", "9998-12-31", "N", "--end", "02:00+1"),
    # ids
    bad("no-such-block", 2, "there is no block with id 999", "move", "999", "--start", "09:00"),
    bad("id-0", 2, "'0' is not a block id", "remove", "0"),
    bad("negative-id", 2, "'-4' is not a block id", "remove", "-4"),
    bad("superscript-id", 2, "'\u00b2' is not a block id", "remove", "\u00b2"),
    bad("huge-id", 2, "is not a block id", "remove", "9" * 30),
    bad("plus-two-days", 2, "is not a time like 09:30", "resize", "1", "--end", "06:00+2"),
    # options and commands
    bad("unknown-option", 2, "unrecognized arguments: --bogus", "--bogus"),
    bad("unknown-command", 2, "invalid choice: 'frobnicate'", "frobnicate"),
    bad("missing-options", 2, "the following arguments are required: --start, --end",
        "add", "Lunch"),
    bad("flag-value", 2, "ignored explicit argument 'yes'", "agenda", "--json=yes"),
    bad("missing-value", 2, "expected one argument", "agenda", "--date"),
    bad("terminal-escape", 2, "unrecognized arguments: extra\\x1b[2J", "agenda", "extra\x1b[2J"),
    bad("bad-choice", 2, "invalid choice: 'maybe'", "autostart", "maybe"),
    bad("window-flag", 2, "use them without a command", "--show-today", "agenda"),
]  # fmt: skip


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_gets_one_line_and_changes_nothing(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str], case: BadInput
) -> None:
    before = stored(data_dir)
    code, out, err = run(data_dir, clock, capsys, *case.argv)
    assert code == case.status
    if case.status == 0:
        assert err == "" and out.strip().isdigit()
        return
    line = assert_one_line_error(err, out)
    assert case.says in line
    assert stored(data_dir) == before


def test_right_to_left_and_emoji_titles_are_stored_and_shown_exactly(
    data_dir: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    titles = ["اجتماع الفريق", "ישיבת צוות", "Deep work 👩\u200d💻🚀", "Cafe\u0301 ☕"]
    for hour, title in enumerate(titles, start=19):
        times = ("--start", f"{hour}:00", "--end", f"{hour}:30", "--date", FRIDAY)
        code, out, err = run(data_dir, clock, capsys, "add", title, *times)
        assert (code, err) == (0, "")
        assert out.strip().isdigit()
    code, out, _ = run(data_dir, clock, capsys, "agenda", "--date", FRIDAY, "--json")
    assert code == 0
    shown = [item["title"] for item in json.loads(out)]
    # Stored as typed, except that the combining accent is composed (NFC).
    assert [*titles[:3], "Café ☕"] == [title for title in shown if title in {*titles, "Café ☕"}]
    code, out, _ = run(data_dir, clock, capsys, "agenda", "--date", FRIDAY)
    assert code == 0
    assert all(any(title in line for line in out.splitlines()) for title in titles[:3])


def test_a_file_given_as_the_data_folder_is_refused_and_left_alone(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "photo.jpg"
    content = bytes(range(256)) * 64
    binary.write_bytes(content)
    code, out, err = run(binary, clock, capsys, "agenda")
    assert code == 1
    assert "is not a folder" in assert_one_line_error(err, out)
    assert binary.read_bytes() == content


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(bytes(range(256)) * 16, id="binary"),
        pytest.param("Réunion d'équipe,12:00,13:00\n".encode("latin-1"), id="latin-1"),
        pytest.param(b"\xff\xfeB\x00E\x00G\x00I\x00N\x00", id="utf-16"),
        pytest.param(b"", id="empty"),
    ],
)
def test_a_file_that_is_not_text_given_to_import_is_refused_and_changes_nothing(
    data_dir: Path,
    clock: ManualClock,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: bytes,
) -> None:
    if not has_command("import"):
        pytest.skip("this build has no import command")
    path = tmp_path / "calendar.ics"
    path.write_bytes(content)
    before = stored(data_dir)
    code, out, err = run(data_dir, clock, capsys, "import", str(path))
    assert code in {1, 2}
    assert_one_line_error(err, out)
    assert stored(data_dir) == before
    assert path.read_bytes() == content


def has_command(name: str) -> bool:
    """Whether ``ml-day NAME FILE`` is a command line this build understands."""
    with contextlib.redirect_stderr(io.StringIO()):
        try:
            build_parser().parse_args([name, "FILE"])
        except SystemExit:
            return False
    return True


# ---------------------------------------------------------------- the real process
def run_process(data_dir: Path, *args: str | bytes) -> subprocess.CompletedProcess[bytes]:
    """``python -m ml_day`` as a script runs it, arguments passed as raw bytes."""
    env = {**os.environ, "TZ": BERLIN, "ML_DAY_DATA_DIR": str(data_dir), "LC_ALL": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "ml_day", *args],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_bytes_that_are_not_utf8_on_the_command_line_get_one_line(data_dir: Path) -> None:
    before = stored(data_dir)
    for args in (
        [b"add", b"Caf\xe9", b"--start", b"09:00", b"--end", b"10:00"],
        [b"add", b"Lunch", b"--category", b"\xff\xfe", b"--start", b"09:00", b"--end", b"10:00"],
        [b"agenda", b"--date", b"2026-11-\xff"],
        [b"remove", b"\xc3"],
    ):
        result = run_process(data_dir, *args)
        err = result.stderr.decode("utf-8")
        assert result.returncode == 2, err
        assert_one_line_error(err, result.stdout.decode())
    assert stored(data_dir) == before


def test_a_title_as_long_as_the_system_allows_gets_one_line(data_dir: Path) -> None:
    before = stored(data_dir)
    result = run_process(data_dir, "add", "t" * 100_000, "--start", "09:00", "--end", "10:00")
    assert result.returncode == 2
    line = assert_one_line_error(result.stderr.decode(), result.stdout.decode())
    assert line == "ml-day: error: the title is too long (100,000 characters; at most 200)"
    assert stored(data_dir) == before


@pytest.mark.parametrize("as_json", [False, True])
def test_an_ascii_only_output_still_gets_the_agenda(tmp_path: Path, as_json: bool) -> None:
    """A title with an emoji and accents, printed where only ASCII can go (a C locale)."""
    data_dir = tmp_path / "data"
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "TZ": "Europe/Berlin"}
    command = [sys.executable, "-m", "ml_day", "--data-dir", str(data_dir)]
    added = subprocess.run(
        [
            *command,
            "add",
            "Café ☕ break",
            "--date",
            "2026-11-27",
            "--start",
            "15:00",
            "--end",
            "15:30",
        ],
        env={**os.environ, "TZ": "Europe/Berlin"},
        capture_output=True,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    flags = ["--json"] if as_json else []
    shown = subprocess.run(
        [*command, "agenda", "--date", "2026-11-27", *flags],
        env=env,
        capture_output=True,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout.decode("ascii")
    if as_json:
        titles = [block["title"] for block in json.loads(out)]
        assert "Café ☕ break" in titles
    else:
        assert "Caf\\xe9 \\u2615 break" in out

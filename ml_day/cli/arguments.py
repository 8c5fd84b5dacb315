"""The command-line grammar, with one-line errors and exit status 2."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from dataclasses import dataclass
from typing import NoReturn

from ml_day import __version__
from ml_day.core.blocks import PlanError, check_day
from ml_day.overrides import override

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

# ASCII digits only: "\d" would also take other scripts' digits, which int()
# reads but date.fromisoformat() does not.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_ID = re.compile(r"[0-9]+")
MAX_BLOCK_ID = 2**63 - 1
"""The largest id the database can hold (a signed 64-bit integer)."""
SHOWN_VALUE_LENGTH = 40
"""A bad value is quoted in its error message up to this many characters."""
MAX_MESSAGE_LENGTH = 400
"""An error message (which may quote what argparse could not use) is cut here."""


class UsageError(Exception):
    """Bad arguments or values: exit status 2 with a one-line message."""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr, exit status 2."""

    @override
    def error(self, message: str) -> NoReturn:
        # argparse quotes what it could not use (an unknown option, a bad
        # choice): keep that on one line and short, whatever it holds.
        text = printable(message)
        if len(text) > MAX_MESSAGE_LENGTH:
            text = text[: MAX_MESSAGE_LENGTH - 1] + "…"
        sys.stderr.write(f"ml-day: error: {text} (see 'ml-day --help')\n")
        raise SystemExit(EXIT_USAGE)


def printable(text: str) -> str:
    """``text`` with each unprintable character (a line break, a tab, a byte that
    was not UTF-8) written as its escape, so that a message stays one line."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def quoted(text: str) -> str:
    """A value as an error message shows it: quoted, printable, and not too long."""
    shown = printable(text[: SHOWN_VALUE_LENGTH + 1])
    if len(shown) > SHOWN_VALUE_LENGTH:
        shown = shown[: SHOWN_VALUE_LENGTH - 1] + "…"
    return f"'{shown}'"


def parse_date(text: str) -> dt.date:
    """A calendar date ``YYYY-MM-DD``."""
    if not _DATE.fullmatch(text):
        msg = f"{quoted(text)} is not a date like 2026-11-27"
        raise argparse.ArgumentTypeError(msg)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        msg = f"{quoted(text)} is not a valid date (no such day)"
        raise argparse.ArgumentTypeError(msg) from None
    try:
        check_day(day)
    except PlanError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return day


def parse_time(text: str) -> dt.time:
    """A wall-clock time ``HH:MM`` (00:00 to 23:59)."""
    match = _TIME.fullmatch(text.strip())
    if not match:
        msg = f"{quoted(text)} is not a time like 09:30"
        raise argparse.ArgumentTypeError(msg)
    hours, minutes = int(match[1]), int(match[2])
    if hours > 23 or minutes > 59:
        msg = f"{quoted(text)} is not a valid time (00:00 to 23:59)"
        raise argparse.ArgumentTypeError(msg)
    return dt.time(hours, minutes)


@dataclass(frozen=True, slots=True)
class EndTime:
    """An ``--end`` value: a time of day, on the start's day or (``+1``) the next."""

    time: dt.time
    next_day: bool


def parse_end(text: str) -> EndTime:
    """``HH:MM``, or ``HH:MM+1`` for the next day (a block past midnight)."""
    stripped = text.strip()
    next_day = stripped.endswith("+1")
    return EndTime(parse_time(stripped.removesuffix("+1")), next_day)


def parse_id(text: str) -> int:
    # Compared as text first: int() refuses numbers of thousands of digits.
    digits = text.lstrip("0")
    if (
        not _ID.fullmatch(text)
        or len(digits) > len(str(MAX_BLOCK_ID))
        or not 0 < int(digits or "0") <= MAX_BLOCK_ID
    ):
        msg = f"{quoted(text)} is not a block id (a positive whole number)"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def build_parser() -> OneLineParser:
    parser = OneLineParser(
        prog="ml-day",
        description="ML Day: plan your day as a timeline of blocks. "
        "Without a command, opens the planner window.",
    )
    parser.add_argument("--version", action="version", version=f"ml-day {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep the database and settings in DIR (default: $ML_DAY_DATA_DIR, "
        "else the user data folder)",
    )
    window = parser.add_argument_group("window (used by the menu entry's actions)")
    window.add_argument("--show-today", action="store_true", help="open the window on today")
    window.add_argument(
        "--new-block", action="store_true", help="open the window and start a new block"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)

    agenda = commands.add_parser("agenda", help="print a day's blocks")
    agenda.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="default: today")
    agenda.add_argument("--json", action="store_true", help="print JSON for scripts")

    add = commands.add_parser("add", help="add a block; prints its id")
    add.add_argument("title")
    add.add_argument("--start", type=parse_time, required=True, metavar="HH:MM")
    add.add_argument(
        "--end", type=parse_end, required=True, metavar="HH:MM[+1]",
        help="add +1 for a block that ends the next day, e.g. 06:00+1",
    )  # fmt: skip
    add.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="default: today")
    add.add_argument("--category", default="general", metavar="NAME")

    move = commands.add_parser("move", help="move a block, keeping its duration")
    move.add_argument("id", type=parse_id)
    move.add_argument("--start", type=parse_time, required=True, metavar="HH:MM")
    move.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="default: its day")

    resize = commands.add_parser("resize", help="change where a block ends")
    resize.add_argument("id", type=parse_id)
    resize.add_argument(
        "--end", type=parse_end, required=True, metavar="HH:MM[+1]",
        help="add +1 for a block that ends the next day, e.g. 06:00+1",
    )  # fmt: skip

    remove = commands.add_parser("remove", help="delete a block")
    remove.add_argument("id", type=parse_id)

    commands.add_parser(
        "notify-test", help="send one test notification and say which backend delivered it"
    )
    commands.add_parser(
        "install-desktop",
        help="add ML Day to the applications menu, with its icon (for this user)",
    )
    commands.add_parser("uninstall-desktop", help="remove what install-desktop added")
    autostart = commands.add_parser("autostart", help="start ML Day at login: on, off or status")
    autostart.add_argument("state", choices=["on", "off", "status"])
    _add_backup_commands(commands.add_parser("backup", help="list, take or restore backups"))
    _add_exchange_commands(commands)
    # Scripts may also name the data folder after the command: "ml-day agenda --data-dir DIR".
    for command in commands.choices.values():
        command.add_argument(
            "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="as before the command"
        )
    return parser


def _add_backup_commands(backup: argparse.ArgumentParser) -> None:
    """``ml-day backup list|now|restore``: the daily backups of the plan."""
    actions = backup.add_subparsers(
        dest="backup_command", metavar="ACTION", required=True, parser_class=OneLineParser
    )
    actions.add_parser("list", help="list the backups: day, size and number of blocks")
    actions.add_parser("now", help="take today's backup now (replacing an earlier one of today)")
    restore = actions.add_parser(
        "restore", help="replace the plan by a backup; the plan as it is now is kept"
    )
    restore.add_argument(
        "which", nargs="?", default="latest", metavar="DAY|latest|FILE",
        help="a day YYYY-MM-DD, 'latest' (the default), or a file name from 'backup list'",
    )  # fmt: skip
    for action in actions.choices.values():
        action.add_argument(
            "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="as before the command"
        )


def parse_days(text: str) -> int:
    """A number of days, 1 to 366."""
    if not re.fullmatch(r"[0-9]{1,3}", text) or not 1 <= int(text) <= 366:
        msg = f"{quoted(text)} is not a number of days from 1 to 366"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _add_exchange_commands(commands: argparse._SubParsersAction[OneLineParser]) -> None:
    """``ml-day export`` and ``ml-day import``: iCalendar files and full backups."""
    export = commands.add_parser(
        "export", help="write days as an iCalendar file, or the whole plan as a backup"
    )
    export.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="default: today")
    export.add_argument("--days", type=parse_days, metavar="N", help="how many days (default: 1)")
    export.add_argument(
        "--format", choices=["ics", "json"],
        help="ics: an iCalendar file; json: a full backup of the plan "
        "(default: json for a FILE ending in .json, else ics)",
    )  # fmt: skip
    export.add_argument(
        "-o", "--output", required=True, metavar="FILE",
        help="where to write ('-': standard output)",
    )  # fmt: skip
    imported = commands.add_parser(
        "import", help="add an iCalendar file's events, or restore a full backup"
    )
    imported.add_argument("file", metavar="FILE", help="an .ics file, or a backup from export")
    imported.add_argument(
        "--date", type=parse_date, metavar="YYYY-MM-DD",
        help="first day of repeating events (default: today)",
    )  # fmt: skip
    imported.add_argument(
        "--days", type=parse_days, metavar="N", help="days of repeating events (default: 7)"
    )
    imported.add_argument(
        "--dry-run", action="store_true", help="list what would change, store nothing"
    )
    imported.add_argument("--yes", action="store_true", help="allow changing stored blocks")
    imported.add_argument(
        "--replace", action="store_true", help="let a backup replace a plan that is not empty"
    )

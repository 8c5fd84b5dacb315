"""The command-line grammar, with one-line errors and exit status 2."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from dataclasses import dataclass
from typing import NoReturn

from typing_extensions import override

from ml_day import __version__

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


class UsageError(Exception):
    """Bad arguments or values: exit status 2 with a one-line message."""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr, exit status 2."""

    @override
    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"ml-day: error: {message} (see 'ml-day --help')\n")
        raise SystemExit(EXIT_USAGE)


def parse_date(text: str) -> dt.date:
    """A calendar date ``YYYY-MM-DD``."""
    if not _DATE.fullmatch(text):
        msg = f"'{text}' is not a date like 2026-11-27"
        raise argparse.ArgumentTypeError(msg)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"'{text}' is not a valid date (no such day)"
        raise argparse.ArgumentTypeError(msg) from None


def parse_time(text: str) -> dt.time:
    """A wall-clock time ``HH:MM`` (00:00 to 23:59)."""
    match = _TIME.fullmatch(text.strip())
    if not match:
        msg = f"'{text}' is not a time like 09:30"
        raise argparse.ArgumentTypeError(msg)
    hours, minutes = int(match[1]), int(match[2])
    if hours > 23 or minutes > 59:
        msg = f"'{text}' is not a valid time (00:00 to 23:59)"
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
    if not text.isdigit() or int(text) <= 0:
        msg = f"'{text}' is not a block id (a positive whole number)"
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
    # Scripts may also name the data folder after the command: "ml-day agenda --data-dir DIR".
    for command in commands.choices.values():
        command.add_argument(
            "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="as before the command"
        )
    return parser

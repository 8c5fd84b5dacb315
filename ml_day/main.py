"""The ``ml-day`` entry point: the planner window, or a command for scripts."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ml_day.cli.arguments import EXIT_FAILURE, build_parser
from ml_day.core.clock import Clock, SystemClock
from ml_day.paths import resolve_paths


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """Run ``ml-day`` with ``argv``; ``clock`` replaces the system clock (tests)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is not None and (args.show_today or args.new_block):
        parser.error("--show-today and --new-block open the window; use them without a command")
    paths = resolve_paths(args.data_dir)
    from ml_day.logs import setup_logging  # noqa: PLC0415

    setup_logging(paths.log_file, stderr_fallback=args.command is None)
    clock = clock or SystemClock()
    if args.command is None:
        from ml_day.gui.app import run_gui  # noqa: PLC0415

        return run_gui(
            paths, clock, sys.argv[:1], new_block=args.new_block, show_today=args.show_today
        )
    from ml_day.cli.commands import run_command  # noqa: PLC0415

    try:
        return run_command(args, paths, clock)
    except KeyboardInterrupt:
        return EXIT_FAILURE


if __name__ == "__main__":
    raise SystemExit(main())

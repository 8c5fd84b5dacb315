"""The ``ml-day`` entry point: the planner window, or a command for scripts.

Start-up time is part of the product, so this module imports only what the
path taken needs: ``ml-day`` alone opens the window without loading the
command-line grammar, and a command never loads Qt.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ml_day.core.clock import Clock, SystemClock
from ml_day.paths import AppPaths, resolve_paths


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """Run ``ml-day`` with ``argv``; ``clock`` replaces the system clock (tests)."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    if not arguments:
        # How the menu entry and autostart launch it: nothing to parse.
        return _open_window(resolve_paths(None), clock)
    from ml_day.cli.arguments import EXIT_FAILURE, build_parser  # noqa: PLC0415

    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.command is not None and (args.show_today or args.new_block):
        parser.error("--show-today and --new-block open the window; use them without a command")
    paths = resolve_paths(args.data_dir)
    if args.command is None:
        return _open_window(paths, clock, new_block=args.new_block, show_today=args.show_today)
    from ml_day.cli.commands import run_command  # noqa: PLC0415
    from ml_day.logs import setup_logging  # noqa: PLC0415

    setup_logging(paths.log_file, stderr_fallback=False)
    try:
        return run_command(args, paths, clock or SystemClock())
    except KeyboardInterrupt:
        return EXIT_FAILURE


def _open_window(
    paths: AppPaths, clock: Clock | None, *, new_block: bool = False, show_today: bool = False
) -> int:
    from ml_day.logs import setup_logging  # noqa: PLC0415

    setup_logging(paths.log_file, stderr_fallback=True)
    # Qt first, then our window modules outside its import hook (see plain_imports).
    import PySide6.QtWidgets  # noqa: PLC0415, F401

    from ml_day.gui.plain_imports import plain_imports  # noqa: PLC0415

    with plain_imports():
        from ml_day.gui.app import run_gui  # noqa: PLC0415

    return run_gui(
        paths, clock or SystemClock(), sys.argv[:1], new_block=new_block, show_today=show_today
    )


if __name__ == "__main__":
    raise SystemExit(main())

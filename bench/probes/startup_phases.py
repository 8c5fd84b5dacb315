"""Where the time to the first paint goes: ``python -m bench.probes.startup_phases [RUNS]``.

Not part of the table: a diagnosis for the start-up figure. Each run is a fresh
process (launched as the benchmark launches ML Day) that takes ML Day's
start-up steps one at a time, as ``run_gui`` takes them, on a plan whose today
is filled, and stamps the time after each step; the output is the median of
each step over RUNS runs, the first from the launch. The measured process
imports nothing of the benchmark before its last stamp.
"""

from __future__ import annotations

import sys
import time

RUNS = 7


def one_run(data_dir: str) -> None:
    """Take the start-up steps in this process; print ``name<TAB>monotonic ns`` lines."""
    marks: list[tuple[str, int]] = []

    def stamp(name: str) -> None:
        marks.append((name, time.monotonic_ns()))

    stamp("the interpreter starts (site, encodings)")
    from ml_day.core.clock import SystemClock, wall_now_quickly  # noqa: PLC0415
    from ml_day.logs import setup_logging  # noqa: PLC0415
    from ml_day.paths import resolve_paths  # noqa: PLC0415

    stamp("ml_day.main's imports: clock, paths, logs (with stdlib modules PySide6 needs too)")
    paths = resolve_paths(data_dir)
    setup_logging(paths.log_file)
    clock = SystemClock()
    stamp("set up the log")
    import PySide6.QtWidgets  # noqa: PLC0415

    stamp("import PySide6.QtWidgets (the floor's import too)")
    from ml_day.gui.plain_imports import plain_imports  # noqa: PLC0415

    with plain_imports():
        from ml_day.gui.app import create_application, settings_for  # noqa: PLC0415
        from ml_day.gui.main_window import MainWindow  # noqa: PLC0415
        from ml_day.persistence.quick_read import read_day_quickly  # noqa: PLC0415
    stamp("import the start-up modules, the window's frame and the sketch")
    app = create_application(sys.argv[:1])
    assert isinstance(app, PySide6.QtWidgets.QApplication)
    stamp("QApplication (the window icon comes after the first paint)")
    day = wall_now_quickly(clock).date()
    quick = read_day_quickly(paths.database, day)
    stamp("read today (sqlite3, read-only)")
    window = MainWindow(None, clock, settings_for(paths), sketched=quick.blocks if quick else [])
    stamp("build the window's frame and the sketch")
    window.show()
    stamp("show the window")
    sketch = window.sketch
    assert sketch is not None
    from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: PLC0415

    from ml_day.overrides import override  # noqa: PLC0415 - loaded already (ml_day.logs)

    class FirstPaint(QObject):
        @override
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                assert sketch is not None
                sketch.event(event)
                stamp("paint the sketch of today")
                QTimer.singleShot(0, app.quit)
            return False

    report = FirstPaint()
    sketch.installEventFilter(report)
    app.exec()
    with plain_imports():
        from ml_day.gui.store import PlanStore  # noqa: PLC0415

        store = PlanStore(paths)
        store.open()
    stamp("import the database layer and open the plan (edits accepted)")
    with plain_imports():
        window.complete(store)
    stamp("complete the window (the timeline, the menus)")
    store.close()
    sys.stdout.write("".join(f"{name}\t{instant}\n" for name, instant in marks))


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        one_run(sys.argv[2])
        return 0
    import statistics  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import tempfile  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    from bench.environment import SOURCE_ROOT, cache_folder, child_environment  # noqa: PLC0415
    from bench.plans import filled_plan  # noqa: PLC0415
    from ml_day.core.clock import SystemClock, today  # noqa: PLC0415

    runs = int(sys.argv[1]) if len(sys.argv) > 1 else RUNS
    env = child_environment(cache_folder())
    samples: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as work:
        plan = filled_plan(Path(work) / "plan", today(SystemClock()))
        command = [sys.executable, "-m", "bench.probes.startup_phases", "--one", str(plan)]
        for run in range(runs + 1):  # the first one warms the caches
            previous = time.monotonic_ns()
            out = subprocess.run(
                command, env=env, cwd=SOURCE_ROOT, capture_output=True, text=True, check=True
            ).stdout
            for line in out.splitlines():
                name, instant = line.rsplit("\t", 1)
                if run:
                    samples.setdefault(name, []).append((int(instant) - previous) / 1e6)
                previous = int(instant)
    total = 0.0
    for name, values in samples.items():
        middle = statistics.median(values)
        total += middle
        sys.stdout.write(f"{middle:7.1f} ms  {name}\n")
    sys.stdout.write(f"{total:7.1f} ms  in all, from the launch (sum of the medians)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The PyInstaller bundle, built for real and run for real: CLI, JSON agenda, headless GUI.

Building takes about a minute, so the bundle is built once for the module,
under the test's temporary folder, never in the source tree.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ml_day import __version__

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "pyinstaller" / "ml-day.spec"
BERLIN_ENV = {**os.environ, "TZ": "Europe/Berlin"}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled ``ml-day`` executable of a fresh one-folder build."""
    work = tmp_path_factory.mktemp("pyinstaller")
    started = time.monotonic()
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(SPEC),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=780,
        check=False,
    )
    seconds = time.monotonic() - started
    assert build.returncode == 0, build.stderr[-4000:]
    executable = work / "dist" / "ml-day" / "ml-day"
    assert executable.is_file()
    size = sum(
        path.stat().st_size
        for path in executable.parent.rglob("*")
        if not path.is_symlink() and path.is_file()
    )
    print(f"bundle built in {seconds:.0f} s; {size / 2**20:.0f} MiB")
    return executable


def test_the_bundle_reports_its_version(bundle: Path) -> None:
    result = subprocess.run(
        [str(bundle), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ml-day {__version__}"


def test_the_bundle_prints_the_agenda_as_json(bundle: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(bundle), "--data-dir", str(tmp_path), "agenda", "--date", "2026-11-27", "--json"],
        env=BERLIN_ENV,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    blocks = json.loads(result.stdout)
    assert len(blocks) == 11  # the built-in template day plus last night's sleep
    assert blocks[0]["title"] == "Sleep"  # last night's, from the day before
    lunch = next(block for block in blocks if block["category"] == "meal")
    assert lunch["start"] == "2026-11-27T12:00:00+01:00"  # Europe/Berlin
    assert (tmp_path / "plan.sqlite3").is_file()


def wait_for_text(path: Path, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.is_file() and text in path.read_text(encoding="utf-8"):
            return True
        time.sleep(0.1)
    return False


def test_the_bundled_gui_opens_its_plan_headless_and_quits_on_sigterm(
    bundle: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    env = {**BERLIN_ENV, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [str(bundle), "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    log_file = data_dir / "logs" / "ml-day.log"
    try:
        opened = wait_for_text(log_file, "plan open", 60)
        assert process.poll() is None, "the bundled app exited on its own"
        assert opened, "the bundled app did not open its plan"
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert (data_dir / "plan.sqlite3").is_file()
    logged = log_file.read_text(encoding="utf-8")
    assert "received signal 15; quitting" in logged
    assert "Traceback" not in logged

"""Packaging tests: the real validators, the real icon renders, and
``ml-day`` in a subprocess with its XDG folders under ``tmp_path``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging" / "linux"


def require_tool(name: str, debian_package: str) -> str:
    """The path of a command-line tool; a missing one fails the test with a fix."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"'{name}' is not installed: install the Debian package '{debian_package}' "
            "(sh packaging/dev/setup.sh test installs it)"
        )
    return path


class XdgHome:
    """An isolated user: XDG data and config folders under one temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.config = root / "config"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            XDG_DATA_HOME=str(self.data),
            XDG_CONFIG_HOME=str(self.config),
            HOME=str(self.root / "home"),
            ML_DAY_DATA_DIR=str(self.root / "ml-day"),
        )
        return env

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ml_day", *args],
            capture_output=True,
            text=True,
            env=self.env(),
            check=False,
            timeout=120,
        )


@pytest.fixture
def xdg(tmp_path: Path) -> XdgHome:
    return XdgHome(tmp_path)

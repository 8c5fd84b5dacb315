"""The domain core stays free of Qt and SQL, and the layer contracts hold."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import ml_day.core

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {"PySide6", "shiboken6", "sqlmodel", "sqlalchemy", "sqlite3", "pydantic"}


def core_modules() -> list[str]:
    return sorted(f"ml_day.core.{info.name}" for info in pkgutil.iter_modules(ml_day.core.__path__))


def test_the_core_has_the_expected_modules() -> None:
    # A guard for the test below: it must import every module of the core.
    assert {
        "ml_day.core.blocks",
        "ml_day.core.clock",
        "ml_day.core.days",
        "ml_day.core.templates",
        "ml_day.core.timemodel",
    } <= set(core_modules())


def test_importing_the_core_loads_neither_qt_nor_sql() -> None:
    modules = core_modules()
    code = "\n".join(
        [
            "import json, sys",
            *(f"import {name}" for name in modules),
            f"forbidden = {sorted(FORBIDDEN)!r}",
            "print(json.dumps({",
            "    'loaded': sorted(m for m in sys.modules if m.startswith('ml_day.core.')),",
            "    'forbidden': sorted(m for m in sys.modules if m.split('.')[0] in forbidden),",
            "}))",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(modules) <= set(report["loaded"])
    assert report["forbidden"] == []


def test_the_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    assert lint_imports.is_file(), f"{lint_imports} is missing: install the 'test' extra"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout
    assert "0 broken" in result.stdout

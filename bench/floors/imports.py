"""Floor for "edits accepted" and for the memory after start: a process that
imports ``PySide6.QtWidgets`` and ``sqlmodel`` and nothing else, as
``python -c "import PySide6.QtWidgets, sqlmodel"`` does.

Prints ``imported <time.monotonic_ns()>`` once both are imported, then
``rss-kb <resident KiB>``.
"""

from __future__ import annotations

import sys
import time

import PySide6.QtWidgets
import sqlmodel

imported = time.monotonic_ns()
assert PySide6.QtWidgets and sqlmodel
with open("/proc/self/status", encoding="ascii") as status:  # noqa: PTH123 - no pathlib here
    rss = next((line.split()[1] for line in status if line.startswith("VmRSS:")), "0")
sys.stdout.write(f"imported {imported}\nrss-kb {rss}\n")

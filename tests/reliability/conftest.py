"""Reliability tests: real files under tmp_path, real processes, real Qt widgets offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

"""Qt tests run on the offscreen platform unless the environment picks another."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

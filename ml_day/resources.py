"""The one accessor for files under ``resources/``.

Works from a wheel (resources packaged as ``ml_day/resources``), from an
editable install or a source checkout (the top-level ``resources/`` folder),
and from a PyInstaller bundle (``sys._MEIPASS``).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_root() -> Path:
    """The folder holding the application's resources."""
    package_dir = Path(__file__).resolve().parent
    candidates = [package_dir / "resources", package_dir.parent / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        candidates.insert(0, Path(bundle) / "ml_day" / "resources")
    for candidate in candidates:
        if (candidate / "templates").is_dir():
            return candidate
    msg = "the application's resources are missing; reinstall ML Day"
    raise FileNotFoundError(msg)


def resource_path(relative: str) -> Path:
    """The path of a resource file, e.g. ``"templates/ml-engineer.json"``."""
    path = resources_root() / relative
    if not path.is_file():
        msg = f"resource {relative!r} is missing; reinstall ML Day"
        raise FileNotFoundError(msg)
    return path


def read_resource_text(relative: str) -> str:
    return resource_path(relative).read_text(encoding="utf-8")


BUILTIN_TEMPLATE = "templates/ml-engineer.json"


ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
"""The PNG sizes of the application icon (rendered by ``packaging/linux/render_icons.py``)."""


def png_icon(size: int) -> str:
    """The resource name of the application icon's PNG of ``size`` pixels."""
    from ml_day import APP_ID  # noqa: PLC0415

    return f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png"

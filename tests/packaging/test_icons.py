"""The application icon: a valid SVG, and every PNG render at its size."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from ml_day.freedesktop.install import SCALABLE_ICON
from ml_day.resources import ICON_SIZES, png_icon, resource_path
from tests.packaging.conftest import ROOT


def test_svg_icon_renders(qapp: QApplication) -> None:
    renderer = QSvgRenderer(str(resource_path(SCALABLE_ICON)))
    assert renderer.isValid()
    assert renderer.defaultSize().width() == renderer.defaultSize().height()


@pytest.mark.parametrize("size", ICON_SIZES)
def test_png_icon_has_its_size(qapp: QApplication, size: int) -> None:
    path = resource_path(png_icon(size))
    assert path.relative_to(ROOT / "resources").as_posix() == png_icon(size)
    image = QImage(str(path))
    assert not image.isNull(), path
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()
    # The corners are transparent (a rounded tile), the centre is not.
    assert image.pixelColor(0, 0).alpha() == 0
    assert image.pixelColor(size // 2, size // 2).alpha() == 255


def test_render_script_covers_every_installed_size() -> None:
    script = (ROOT / "packaging" / "linux" / "render_icons.py").read_text(encoding="utf-8")
    assert f"SIZES = {ICON_SIZES!r}" in script

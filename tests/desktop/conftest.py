"""The ``desktop`` fixture: a private X server, session bus, dunst and tray host.

Every test that uses it must be marked ``@pytest.mark.desktop``. A missing
program fails the test and names the Debian package to install; it is never
skipped silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop.rig import DesktopRig, RigError, running_desktop


@pytest.fixture
def desktop(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DesktopRig]:
    """A fresh desktop for one test, under its ``tmp_path``; stopped afterwards."""
    if request.node.get_closest_marker("desktop") is None:
        pytest.fail("mark tests that use the desktop rig with @pytest.mark.desktop")
    try:
        with running_desktop(tmp_path / "desktop") as rig:
            yield rig
    except RigError as error:
        pytest.fail(f"desktop rig: {error}", pytrace=False)

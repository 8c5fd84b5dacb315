"""The rig itself: private, complete, tidy, and clear about what is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.desktop.rig import DesktopRig, RigError, running_desktop


@pytest.mark.desktop
def test_the_rig_keeps_to_its_own_folder_and_stops_everything(tmp_path: Path) -> None:
    root = tmp_path / "rig"
    with running_desktop(root) as rig:
        processes = dict(rig._processes)
        assert set(processes) == {"Xvfb", "dbus-daemon", "dunst", "sni-watcher"}
        assert rig.bus_address.startswith(f"unix:path={root}/bus")
        for name in ("HOME", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "ML_DAY_DATA_DIR"):
            assert Path(rig.env[name]).is_relative_to(root), name
        assert rig.env["QT_QPA_PLATFORM"] == "xcb"
        assert rig.env["DISPLAY"] == rig.display
        assert Path(rig.env["XDG_RUNTIME_DIR"]).stat().st_mode & 0o777 == 0o700
        assert not {"WAYLAND_DISPLAY", "XAUTHORITY", "SESSION_MANAGER"} & set(rig.env)
    assert all(process.poll() is not None for process in processes.values())


def test_a_missing_program_names_the_debian_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no Xvfb, dunst, ... here
    rig = DesktopRig(tmp_path / "rig")
    with pytest.raises(RigError, match="'Xvfb' is missing: install the Debian package 'xvfb'"):
        rig.start()
    rig.stop()

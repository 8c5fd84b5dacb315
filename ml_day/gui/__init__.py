"""The Qt side of ML Day: widgets, windows and the tray."""

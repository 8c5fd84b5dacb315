"""ML Day: a desktop time-blocking planner."""

__version__ = "0.1.0"

APP_NAME = "ML Day"
APP_ID = "org.mlday.MLDay"
"""Reverse-DNS application id: desktop file, AppStream id, icon, window class."""

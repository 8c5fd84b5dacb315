"""The Qt side of the plan: one object that reads and edits it and says what changed.

Widgets (the timeline, the window, later the tray) take the store in their
constructor and subscribe to its signals; none of them touches the database.
Before the database layer is loaded, the store can already answer "what is on
this day" from the quick read path, so the window paints at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ml_day.core.blocks import Block
from ml_day.paths import AppPaths

if TYPE_CHECKING:
    from ml_day.persistence.database import Database
    from ml_day.persistence.repository import PlanRepository

log = logging.getLogger("ml_day.store")


class PlanStore(QObject):
    """The plan, as the widgets see it."""

    ready = Signal()
    """The database is open: edits are accepted from now on."""
    planChanged = Signal()
    """Something in the plan changed; views re-read what they show."""

    def __init__(self, paths: AppPaths, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self._database: Database | None = None
        self._plan: PlanRepository | None = None

    @property
    def is_ready(self) -> bool:
        return self._plan is not None

    def quick_day(self, day: dt.date) -> list[Block] | None:
        """The day as stored (or as the template will fill it), read without the
        database layer; None if it cannot be read that way."""
        from ml_day.persistence.quick_read import read_day_quickly  # noqa: PLC0415

        quick = read_day_quickly(self.paths.database, day)
        return None if quick is None else quick.blocks

    def open(self) -> None:
        """Load the database layer and open the plan (creating it on first run).

        Raises :class:`ml_day.persistence.errors.StorageError` with a one-line
        message when the plan cannot be used.
        """
        if self._plan is not None:
            return
        from ml_day.persistence.database import Database  # noqa: PLC0415
        from ml_day.persistence.repository import PlanRepository  # noqa: PLC0415

        self._database = Database.open(self.paths.database)
        self._plan = PlanRepository(self._database)
        log.info("plan open: %s", self.paths.database)
        self.ready.emit()

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
        self._database = None
        self._plan = None

    @property
    def plan(self) -> PlanRepository:
        if self._plan is None:
            msg = "the plan is not open yet"
            raise RuntimeError(msg)
        return self._plan

    def day_blocks(self, day: dt.date) -> list[Block]:
        """The blocks touching ``day``, filling a never-opened day from the template."""
        return self.plan.day_blocks(day)

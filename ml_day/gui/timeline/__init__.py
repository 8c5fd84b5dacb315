"""The day timeline: one day drawn as an hour grid with its blocks."""

from ml_day.gui.timeline.view import BlockHit, BlockPart, TimelineView

__all__ = ["BlockHit", "BlockPart", "TimelineView"]

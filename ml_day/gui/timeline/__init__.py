"""The day timeline: one day drawn as an hour grid with its blocks.

:mod:`~ml_day.gui.timeline.view` has the timeline itself; the package imports
nothing, so that the sketch of the first paint loads without it.
"""

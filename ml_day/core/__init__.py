"""The domain core: blocks, days, templates, layout and the time model.

Plain dataclasses and functions shared by the timeline, the tray and the
command line. Nothing here imports Qt or talks to a database.
"""

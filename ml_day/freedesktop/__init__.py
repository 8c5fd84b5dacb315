"""Freedesktop.org integration without Qt: the menu entry, icons and AppStream
metainfo installed into the user's XDG data folder, and the autostart entry.

The source files are resources (``resources/desktop/``, ``resources/icons/``);
``packaging/linux/`` links to them for distribution packagers.
"""

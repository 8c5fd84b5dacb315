"""Import our own modules and the database layer outside PySide6's import hook.

Importing PySide6 replaces Python's ``__import__`` with a hook that serves
``from __feature__ import snake_case``. After every later import the hook asks
whether the new module uses PySide6, and finds out with
``inspect.getsource(module)``: it reads each module's whole source into
:mod:`linecache` (where it stays) and scans every loaded module to name it.
ML Day uses no ``__feature__``, so for the modules it loads at start-up,
SQLAlchemy, pydantic and sqlmodel among them (about 400 modules), this is pure
cost: measured here, about 130 ms and 20 MB of resident memory. The same
cost has been reported upstream by other PySide6 applications.

:func:`plain_imports` puts Python's own ``__import__`` (which shiboken keeps as
``builtins.__orig_import__``) back for the duration of a block of imports. It
changes nothing when PySide6 is not loaded, or when the hook is not there.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def plain_imports() -> Iterator[None]:
    """Within the block, imports go through Python's own ``__import__``.

    Nested blocks, or a block entered while another thread is in one, find
    the hook already out and leave it to whoever took it out.
    """
    original = getattr(builtins, "__orig_import__", None)
    hooked = builtins.__import__
    if original is None or original is hooked:
        yield
        return
    builtins.__import__ = original
    try:
        yield
    finally:
        builtins.__import__ = hooked

"""``@override`` without loading :mod:`typing_extensions` at run time.

Python 3.12 has :func:`typing.override`; on 3.11 it comes from
``typing_extensions``, a module of some 3,500 lines that costs several
milliseconds to load. The window's first paint does not wait for it: type
checkers see ``typing_extensions.override``, and at run time the decorator
does what that one does, mark the method. Ruff is told the same
(``typing-modules`` in ``pyproject.toml``).
"""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING

__all__ = ["override"]

if TYPE_CHECKING:
    from typing_extensions import override
elif sys.version_info >= (3, 12):
    from typing import override
else:

    def override(method):
        """Mark ``method`` as overriding one of its class's bases (PEP 698)."""
        with contextlib.suppress(AttributeError, TypeError):
            method.__override__ = True
        return method

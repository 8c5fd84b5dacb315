"""Storage failures, each with a one-line message naming the file or folder."""

from __future__ import annotations

from pathlib import Path


class StorageError(Exception):
    """The plan could not be read or written; the message is meant for the user."""


class DataFolderError(StorageError):
    def __init__(self, folder: Path, reason: str) -> None:
        super().__init__(f"cannot use the data folder {folder}: {reason}")
        self.folder = folder


class CorruptDatabaseError(StorageError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"the plan database {path} is damaged or not a database ({reason})")
        self.path = path


class ConflictError(StorageError):
    """The change clashes with what another program stored meanwhile (the same
    imported event added twice, say); the change is refused, the plan is fine."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"the change conflicts with the stored plan ({reason}); nothing was changed"
        )


class NewerDatabaseError(StorageError):
    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(
            f"the plan database {path} was written by a newer ML Day "
            f"(schema {found}; this version reads up to {supported}); please update ML Day"
        )
        self.path = path
        self.found = found
        self.supported = supported


class BlockNotFoundError(StorageError):
    def __init__(self, block_id: int) -> None:
        super().__init__(f"there is no block with id {block_id}")
        self.block_id = block_id

"""The storage folder for uploaded files: bytes on disk, metadata in rows.

Files are stored under random names (never a client's filename), two levels
deep so no folder grows huge. The key is the path below the root, and is all
a row keeps.
"""

import os
import secrets
from pathlib import Path


class FileStore:
    """Saves, finds and deletes files below ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, content: bytes) -> str:
        """Write ``content`` under a new random key and return the key."""
        name = secrets.token_hex(16)
        key = f"{name[:2]}/{name}"
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside, then renamed: a reader never sees half a file.
        partial = path.with_suffix(".partial")
        partial.write_bytes(content)
        os.replace(partial, path)
        return key

    def path_of(self, key: str) -> Path:
        """Where a key's bytes are; keys are ours, but never leave the root."""
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"Storage key {key!r} points outside the storage folder.")
        return path

    def delete(self, key: str) -> None:
        self.path_of(key).unlink(missing_ok=True)

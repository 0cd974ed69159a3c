"""The dashboard's registered operations, by name.

The API runs the dashboard's documents by id (``sha256:<hex>``) from
``operations/manifest.json``; the app knows its operations by name. This
module reads the manifest and gives the app a name → id map, so the host
never needs the API's code to know what is registered.
"""

import json
import re
from pathlib import Path

OPERATIONS_DIR = Path(__file__).resolve().parent / "operations"
MANIFEST = "manifest.json"
OPERATION_NAME = re.compile(r"^\s*(?:query|mutation)\s+([A-Za-z_]\w*)", re.MULTILINE)


class OperationsError(Exception):
    """The manifest cannot give each operation exactly one id."""


def operation_name(document: str) -> str:
    found = OPERATION_NAME.findall(document)
    if len(found) != 1:
        raise OperationsError(
            "Each registered document must hold exactly one named query or "
            f"mutation; this one holds {len(found)}: {document[:80]!r}"
        )
    return str(found[0])


def operation_ids(directory: Path = OPERATIONS_DIR) -> dict[str, str]:
    """Every registered operation's name mapped to its document id."""
    path = directory / MANIFEST
    manifest: dict[str, str] = json.loads(path.read_text("utf-8"))
    ids: dict[str, str] = {}
    for document_id, document in sorted(manifest.items()):
        name = operation_name(document)
        if name in ids:
            raise OperationsError(f"Two registered documents are named {name}.")
        ids[name] = document_id
    return ids

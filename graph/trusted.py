"""Trusted documents: the dashboard app's operations, known by their hashes.

The operations the dashboard sends live as ``.graphql`` files, one per
operation, in ``portal_host/operations``. ``haulgraph build-operations``
writes ``manifest.json`` beside them: each document's id
(``sha256:<hex of its UTF-8 text>``) mapped to the document. In production
the dashboard route runs only documents of the manifest, sent by id, so no
one can run a query of their own there.
"""

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

OPERATIONS_DIR = Path(__file__).resolve().parents[1] / "portal_host" / "operations"
MANIFEST = "manifest.json"
ID_PREFIX = "sha256:"


def document_id(document: str) -> str:
    return ID_PREFIX + hashlib.sha256(document.encode("utf-8")).hexdigest()


def build_manifest(directory: Path = OPERATIONS_DIR) -> dict[str, str]:
    """Every ``.graphql`` file of ``directory`` by its id, in file-name order."""
    documents = [
        path.read_text("utf-8") for path in sorted(directory.glob("*.graphql"))
    ]
    return {document_id(document): document for document in documents}


def manifest_text(manifest: Mapping[str, str]) -> str:
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_manifest(directory: Path = OPERATIONS_DIR) -> Path:
    path = directory / MANIFEST
    path.write_text(manifest_text(build_manifest(directory)), "utf-8")
    return path


class TrustedDocuments:
    """The registered documents of one route, found by id."""

    def __init__(self, documents: Mapping[str, str]) -> None:
        self.documents = dict(documents)

    @classmethod
    def load(cls, directory: Path = OPERATIONS_DIR) -> "TrustedDocuments":
        path = directory / MANIFEST
        return cls(json.loads(path.read_text("utf-8")) if path.exists() else {})

    def find(self, identifier: str) -> str | None:
        """The document with this id; a bare hex hash (Apollo's) works too."""
        if not identifier.startswith(ID_PREFIX):
            identifier = ID_PREFIX + identifier
        return self.documents.get(identifier.lower())

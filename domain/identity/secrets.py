"""Random secrets and the digests they are stored as.

Secrets are 256 random bits, so a fast digest (SHA-256) is as safe to store
as a slow one; only passwords, which people choose, need Argon2.
"""

import hashlib
import secrets


def new_secret(prefix: str) -> str:
    """A new secret such as ``hgs_…``; the prefix tells people what it is."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()

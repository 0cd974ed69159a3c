"""Signed provider callbacks: HMAC-SHA256 of the exact request body.

The provider and we share a secret; the provider sends
``X-Haulgraph-Signature: sha256=<hex digest of the body>``. Comparing in
constant time keeps the check from leaking how much of a guess was right.
"""

import hashlib
import hmac

SIGNATURE_HEADER = "X-Haulgraph-Signature"
PREFIX = "sha256="


def signature_of(body: bytes, secret: str) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return PREFIX + digest


def is_signed(body: bytes, signature: str | None, secret: str | None) -> bool:
    """The body carries a valid signature; never true without a secret."""
    if not secret or not signature:
        return False
    return hmac.compare_digest(signature_of(body, secret), signature.strip())

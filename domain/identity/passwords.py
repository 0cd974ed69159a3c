"""Password hashing with Argon2id (argon2-cffi's tuned defaults)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

hasher = PasswordHasher()

# Verified against when no user matches, so an unknown email costs the same
# time as a wrong password and timing reveals nothing.
DUMMY_HASH = hasher.hash("no user has this password")


def hash_password(password: str) -> str:
    return hasher.hash(password)


def is_password_correct(password_hash: str | None, password: str) -> bool:
    try:
        return hasher.verify(password_hash or DUMMY_HASH, password) and (
            password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False

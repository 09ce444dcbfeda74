"""argon2id password hashing (argon2-cffi defaults are argon2id)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A real hash to verify against when the account does not exist, so timing does not
# reveal which usernames exist.
def dummy_verify(password: str) -> None:
    verify_password(_dummy_hash(), password)


@cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password-for-timing")

"""Random tokens and their stored hashes (only hashes are stored)."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "kos_"  # noqa: S105 - a public prefix, not a secret
INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_invite_code(length: int = 8) -> str:
    return "".join(secrets.choice(INVITE_ALPHABET) for _ in range(length))

"""The VAPID key pair (RFC 8292) Kosmos signs its Web Push requests with.

The private key is an EC P-256 key in a PEM file (PKCS#8, mode 0600). Kosmos creates it on
first use; every process after that loads the same file, so the public key browsers
subscribed with stays valid. Loaded keys are cached per path.
"""

from __future__ import annotations

import base64
import contextlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

from kosmos.config import get_settings


class VapidKeyError(RuntimeError):
    """The key file exists but holds no EC P-256 private key."""


@dataclass(frozen=True)
class VapidKeys:
    path: Path
    signer: Vapid02
    """Signs the `Authorization: vapid t=...,k=...` header (what pywebpush takes)."""
    public_key_b64url: str
    """The uncompressed public point (65 bytes, 0x04 first), base64url without padding:
    the browser's `applicationServerKey`."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    """Base64url with or without padding; raises ValueError on anything else."""
    if not text or any(c not in _B64URL for c in text.rstrip("=")):
        raise ValueError("not base64url")
    stripped = text.rstrip("=")
    return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

_cache: dict[Path, VapidKeys] = {}
_lock = threading.Lock()


def ensure_keys(path: str | os.PathLike[str]) -> VapidKeys:
    """The key pair in `path`, created there on first use; cached per path."""
    resolved = Path(path).expanduser().resolve()
    with _lock:
        keys = _cache.get(resolved)
        if keys is None:
            keys = _cache[resolved] = load_or_create(resolved)
        return keys


def current_keys() -> VapidKeys:
    """The key pair the settings name (`KOSMOS_VAPID_PRIVATE_KEY_PATH`)."""
    return ensure_keys(get_settings().vapid_private_key_path)


def load_or_create(path: Path) -> VapidKeys:
    """Load the key from `path`, or generate one and write it there (no cache)."""
    if not path.exists():
        _create(path)
    private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private_key, ec.EllipticCurvePrivateKey) or not isinstance(
        private_key.curve, ec.SECP256R1
    ):
        raise VapidKeyError(f"{path} holds no EC P-256 private key (needed for VAPID)")
    point = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return VapidKeys(path=path, signer=Vapid02(private_key), public_key_b64url=b64url(point))


def _create(path: Path) -> None:
    """Write a new key atomically with mode 0600. If another process got there first,
    its key wins (hard link, which refuses to replace an existing file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):  # another process won: keep its key
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)

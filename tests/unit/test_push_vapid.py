"""VAPID keys: generated once on first use, kept private on disk, reloaded unchanged."""

import base64
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kosmos.push import vapid


def _decode(b64url: str) -> bytes:
    assert "=" not in b64url
    return base64.urlsafe_b64decode(b64url + "=" * (-len(b64url) % 4))


def test_first_use_generates_a_p256_key_in_a_private_file(tmp_path):
    # given no key file yet (nor its folder)
    path = tmp_path / "var" / "vapid.pem"
    # when
    keys = vapid.ensure_keys(path)
    # then
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    assert private.curve.name == "secp256r1"
    point = _decode(keys.public_key_b64url)
    assert len(point) == 65
    assert point[0] == 0x04
    assert point == private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_the_key_is_reloaded_identical_from_the_file(tmp_path):
    # given a key made on first use
    path = tmp_path / "vapid.pem"
    first = vapid.ensure_keys(path)
    pem = path.read_bytes()
    # when another process loads it (no cache), and this one asks again (cache)
    reloaded = vapid.load_or_create(path)
    again = vapid.ensure_keys(path)
    # then nothing changed
    assert reloaded.public_key_b64url == first.public_key_b64url
    assert again is first
    assert path.read_bytes() == pem


def test_each_path_has_its_own_key(tmp_path):
    a = vapid.ensure_keys(tmp_path / "a.pem")
    b = vapid.ensure_keys(tmp_path / "b.pem")
    assert a.public_key_b64url != b.public_key_b64url


def test_a_file_with_another_kind_of_key_is_refused(tmp_path):
    path = tmp_path / "p384.pem"
    path.write_bytes(
        ec.generate_private_key(ec.SECP384R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(vapid.VapidKeyError, match="P-256"):
        vapid.load_or_create(path)

"""Web Push use cases: subscribe, unsubscribe, send a notification to a user's browsers.

Sending: the message is JSON ({"title", "body", "url", "tag"}; the service worker shows
it), encrypted for each subscription (aes128gcm, RFC 8291) and POSTed to the browser
vendor's push service with a VAPID `Authorization` header (RFC 8292) by pywebpush. A
push service's 404/410 means the subscription is gone: its row is deleted. Any other
failure only counts (`failures`, reset by a success); `send_to_user` never raises for it.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypedDict
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric import ec
from pywebpush import WebPushException, webpush
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.config import get_settings
from kosmos.errors import Invalid, NotFound
from kosmos.push.tables import PushSubscription
from kosmos.push.vapid import b64url_decode, current_keys

log = logging.getLogger(__name__)

TIMEOUT = 5.0
"""Seconds to wait for a push service (connect, and again for the answer)."""
MAX_PER_USER = 20
"""Subscriptions kept per user; a new one beyond this replaces the oldest (browsers
rotate subscriptions and do not always tell us)."""
GONE = frozenset({404, 410})
MAX_ENDPOINT = 2048
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

Urgency = Literal["very-low", "low", "normal", "high"]


class Notification(TypedDict, total=False):
    """What the service worker shows: `title` and `body`, opens `url` on a click; a
    newer notification with the same `tag` replaces the older one."""

    title: str
    body: str
    url: str
    tag: str


# --- subscriptions -------------------------------------------------------------------


def subscribe(
    session: Session,
    user: User,
    *,
    endpoint: str,
    p256dh: str,
    auth: str,
    user_agent: str | None = None,
) -> PushSubscription:
    """Store the caller's browser subscription (an upsert by endpoint). A browser has one
    subscription per site, so an endpoint known for another user now belongs to the
    caller (the browser's user changed)."""
    endpoint = check_endpoint(endpoint)
    p256dh, auth = check_keys(p256dh, auth)
    user_agent = (user_agent or "").strip()[:300] or None
    now = clock.now()
    row = session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if row is None:
        row = PushSubscription(
            user_id=user.id, endpoint=endpoint, p256dh=p256dh, auth=auth,
            user_agent=user_agent, created_at=now, failures=0,
        )  # fmt: skip
        session.add(row)
    else:
        if row.user_id != user.id or row.p256dh != p256dh or row.auth != auth:
            row.created_at = now  # a new subscription on a known endpoint
            row.last_success_at = None
        row.user_id, row.p256dh, row.auth = user.id, p256dh, auth
        row.user_agent = user_agent
        row.failures = 0
    session.flush()
    _keep_newest(session, user.id)
    session.commit()
    return row


def _keep_newest(session: Session, user_id: int) -> None:
    surplus = session.scalars(
        select(PushSubscription.id)
        .where(PushSubscription.user_id == user_id)
        .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())
        .offset(MAX_PER_USER)
    ).all()
    if surplus:
        session.execute(delete(PushSubscription).where(PushSubscription.id.in_(surplus)))


def unsubscribe(session: Session, user: User, endpoint: str) -> None:
    """Forget one of the caller's subscriptions; anyone else's is a 404."""
    row = session.scalar(
        select(PushSubscription).where(
            PushSubscription.endpoint == endpoint.strip(),
            PushSubscription.user_id == user.id,
        )
    )
    if row is None:
        raise NotFound("No such push subscription.", field="endpoint")
    session.delete(row)
    session.commit()


def list_subscriptions(session: Session, user: User) -> list[PushSubscription]:
    return list(
        session.scalars(
            select(PushSubscription)
            .where(PushSubscription.user_id == user.id)
            .order_by(PushSubscription.id)
        )
    )


def check_endpoint(endpoint: str) -> str:
    """An absolute https URL (http too outside production, for local push services and
    tests); in production never an address inside our own network (no SSRF)."""
    endpoint = endpoint.strip()
    if len(endpoint) > MAX_ENDPOINT:
        raise Invalid("The push endpoint URL is too long.", field="endpoint")
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        host = None
    if not host or parts.scheme not in ("https", "http") or any(c.isspace() for c in endpoint):
        raise Invalid("The push endpoint must be an https URL.", field="endpoint")
    production = get_settings().is_production
    if parts.scheme == "http" and production:
        raise Invalid("The push endpoint must be an https URL.", field="endpoint")
    if production and not _public(host):
        raise Invalid("This push endpoint is not reachable from the internet.", field="endpoint")
    return endpoint


def check_keys(p256dh: str, auth: str) -> tuple[str, str]:
    """The browser's keys, base64url: p256dh an uncompressed P-256 point (65 bytes),
    auth a 16-byte secret. Returned without padding."""
    p256dh, auth = p256dh.strip(), auth.strip()
    try:
        point = b64url_decode(p256dh)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        point = b""
    if len(point) != 65:
        raise Invalid(
            "keys.p256dh must be the browser's P-256 public key (65 bytes, base64url).",
            field="keys.p256dh",
        )
    try:
        secret = b64url_decode(auth)
    except ValueError:
        secret = b""
    if len(secret) != 16:
        raise Invalid("keys.auth must be a 16-byte secret (base64url).", field="keys.auth")
    return p256dh.rstrip("="), auth.rstrip("=")


def _public(host: str) -> bool:
    """Every address the host resolves to is a public one."""
    if host.lower() in LOOPBACK_HOSTS:
        return False
    try:
        infos = socket.getaddrinfo(host, None)
        addresses = {ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos}
    except (OSError, ValueError):
        return False
    return bool(addresses) and all(a.is_global for a in addresses)


# --- sending -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    id: int
    endpoint: str
    p256dh: str
    auth: str


def send_to_user(
    session: Session,
    user_id: int,
    payload: Mapping[str, Any],
    *,
    ttl: int = 3600,
    urgency: Urgency = "normal",
) -> int:
    """Send `payload` (a `Notification`) to every browser of the user; returns how many
    push services accepted it.

    Ends the session's transaction before the network calls (no database lock is held
    while a push service answers), then records the outcome in a transaction of its own.
    Never raises for a push service's failure.
    """
    targets = [
        _Target(row.id, row.endpoint, row.p256dh, row.auth)
        for row in session.scalars(
            select(PushSubscription)
            .where(PushSubscription.user_id == user_id)
            .order_by(PushSubscription.id)
        )
    ]
    session.commit()
    if not targets:
        return 0
    data = json.dumps(dict(payload), separators=(",", ":"), ensure_ascii=False)
    outcomes: dict[int, int | None] = {}
    with requests.Session() as http:
        http.max_redirects = 0  # a push service answers; it does not send us elsewhere
        for target in targets:
            outcomes[target.id] = _send_one(http, target, data, ttl=ttl, urgency=urgency)
    return _record(session, outcomes)


def _send_one(
    http: requests.Session, target: _Target, data: str, *, ttl: int, urgency: Urgency
) -> int | None:
    """POST one message. Returns the push service's status (None: no answer)."""
    settings = get_settings()
    if settings.is_production and not _public(urlsplit(target.endpoint).hostname or ""):
        log.warning("push subscription %s refused: endpoint is not public", target.id)
        return None  # DNS changed since the subscription was stored
    try:
        response = webpush(
            subscription_info={
                "endpoint": target.endpoint,
                "keys": {"p256dh": target.p256dh, "auth": target.auth},
            },
            data=data,
            vapid_private_key=current_keys().signer,
            # a fresh dict per call: pywebpush writes the audience (this endpoint's
            # origin) and the expiry into it
            vapid_claims={"sub": settings.vapid_subject},
            ttl=ttl,
            headers={"Urgency": urgency},
            timeout=TIMEOUT,
            requests_session=http,
        )
        return int(getattr(response, "status_code", 201))
    except WebPushException as exc:
        status = exc.status_code
        log.info("push to subscription %s failed: %s", target.id, status)
        return int(status) if status is not None else None
    except requests.RequestException as exc:
        log.info("push to subscription %s failed: %r", target.id, exc)
        return None
    except Exception:  # a bug or a broken stored key: logged, counted, never raised
        log.exception("push to subscription %s failed", target.id)
        return None


def _record(session: Session, outcomes: dict[int, int | None]) -> int:
    now = clock.now()
    rows = session.scalars(select(PushSubscription).where(PushSubscription.id.in_(outcomes))).all()
    for row in rows:
        status = outcomes[row.id]
        if status is not None and 200 <= status < 300:
            row.last_success_at = now
            row.failures = 0
        elif status in GONE:
            session.delete(row)
        else:
            row.failures += 1
    session.commit()
    return sum(1 for status in outcomes.values() if status is not None and 200 <= status < 300)

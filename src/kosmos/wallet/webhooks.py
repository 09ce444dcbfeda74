"""Signed webhooks to merchants.

Signature (like Stripe's): header `Kosmos-Signature: t=<unix seconds>,v1=<hex>` where
v1 = HMAC-SHA256(secret, f"{t}.{raw body}"). A receiver recomputes it, compares in
constant time and refuses timestamps more than `TOLERANCE` away from its clock (the
replay window); `Kosmos-Event-Id` lets it drop duplicates.

Flow: a payment event in the outbox -> the consumer `enqueue` stores one delivery per
endpoint (in the consumer's transaction, no network) -> `send_due` (a periodic job of
the relay worker) POSTs each due delivery outside any transaction, logs the attempt, and
on failure schedules the next try with the outbox's backoff (2 s, 4 s ... 1 h; parked
after MAX_ATTEMPTS).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
from datetime import datetime

import httpx
from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session, sessionmaker

from kosmos import bus, clock, db, fast_sql
from kosmos.bus import OutboxEvent
from kosmos.config import get_settings
from kosmos.errors import Invalid
from kosmos.wallet.holds import HOLD_CLOSED
from kosmos.wallet.payments import PAYMENT_SUCCEEDED, REFUND_SUCCEEDED
from kosmos.wallet.tables import WebhookAttempt, WebhookDelivery, WebhookEndpoint

TOLERANCE = 300
MAX_ATTEMPTS = bus.MAX_ATTEMPTS
TIMEOUT = 5.0
SIGNATURE_HEADER = "Kosmos-Signature"


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(
    secret: str, header: str, body: bytes, *, now: float, tolerance: int = TOLERANCE
) -> bool:
    """What a merchant's receiver does: signature matches and timestamp is fresh."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def check_url(url: str, *, production: bool) -> str:
    """A webhook target: http(s) with a host; in production https only, and never an
    address inside our own network (loopback, private, link-local: no SSRF)."""
    url = url.strip()
    try:
        parsed = httpx.URL(url) if url else None
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or parsed.scheme not in ("https", "http") or not parsed.host:
        raise Invalid("Enter an http(s) URL.", field="url")
    if len(url) > 500:
        raise Invalid("The URL is too long.", field="url")
    if production:
        if parsed.scheme != "https":
            raise Invalid("Webhooks need an https URL.", field="url")
        if not _public(parsed.host):
            raise Invalid("This address is not reachable from the internet.", field="url")
    return url


def _public(host: str) -> bool:
    """Every address the host resolves to is a public one."""
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    return bool(addresses) and all(a.is_global for a in addresses)


def set_endpoint(session: Session, merchant_id: int, url: str) -> WebhookEndpoint:
    """Set the merchant's webhook URL; a new endpoint gets a new secret."""
    url = check_url(url, production=get_settings().is_production)
    now = clock.now()
    endpoint = session.scalar(
        select(WebhookEndpoint).where(WebhookEndpoint.merchant_id == merchant_id)
    )
    if endpoint is None:
        endpoint = WebhookEndpoint(
            merchant_id=merchant_id, url=url, secret="whsec_" + secrets.token_urlsafe(24),
            created_at=now, updated_at=now,
        )  # fmt: skip
        session.add(endpoint)
    else:
        endpoint.url = url
        endpoint.updated_at = now
    session.commit()
    return endpoint


def get_endpoint(session: Session, merchant_id: int) -> WebhookEndpoint | None:
    return session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.merchant_id == merchant_id))


def list_deliveries(
    session: Session, merchant_id: int, *, limit: int = 50
) -> list[tuple[WebhookDelivery, list[WebhookAttempt]]]:
    endpoint = get_endpoint(session, merchant_id)
    if endpoint is None:
        return []
    deliveries = session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    ).all()
    attempts: dict[int, list[WebhookAttempt]] = {d.id: [] for d in deliveries}
    for attempt in session.scalars(
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id.in_(attempts))
        .order_by(WebhookAttempt.id)
    ):
        attempts[attempt.delivery_id].append(attempt)
    return [(d, attempts[d.id]) for d in deliveries]


_ENDPOINT_ID = fast_sql.Statement(  # every payment's event asks: one plain statement
    select(WebhookEndpoint.__table__.c.id).where(
        WebhookEndpoint.__table__.c.merchant_id == bindparam("merchant_id")
    )
)


_ENDPOINTS_SEEN = "kosmos_webhook_endpoints_seen"  # in the session of one relay lot


def _enqueue(session: Session, event: OutboxEvent) -> None:
    merchant_id = event.payload.get("merchant_id")
    if merchant_id is None:
        return
    known = session.info.setdefault(_ENDPOINTS_SEEN, {})  # asked once per merchant and lot
    if merchant_id not in known:
        known[merchant_id] = _ENDPOINT_ID.scalar(session, {"merchant_id": merchant_id})
    endpoint_id = known[merchant_id]
    if endpoint_id is None:
        return
    body = json.dumps(
        {
            "id": f"evt_{event.id}",
            "type": event.topic,
            "created": event.created_at.isoformat(),
            "data": {k: v for k, v in event.payload.items() if k != "user_id"},
        },
        separators=(",", ":"),
    )
    session.add(
        WebhookDelivery(
            endpoint_id=endpoint_id,
            event_id=event.id,
            topic=event.topic,
            body=body,
            attempts=0,
            next_attempt_at=clock.now(),
            created_at=clock.now(),
        )  # fmt: skip
    )


for _topic in (PAYMENT_SUCCEEDED, REFUND_SUCCEEDED, HOLD_CLOSED):
    bus.subscribe(_topic, f"wallet.webhooks.{_topic}", in_batch=True)(_enqueue)


def send_due(factory: sessionmaker[Session], *, client: httpx.Client | None = None) -> int:
    """Try every due delivery once. Returns how many were delivered."""
    now = clock.now()
    with factory() as session:
        due = session.execute(
            select(WebhookDelivery, WebhookEndpoint)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(
                WebhookDelivery.delivered_at.is_(None),
                WebhookDelivery.dead_at.is_(None),
                or_(
                    WebhookDelivery.next_attempt_at.is_(None),
                    WebhookDelivery.next_attempt_at <= now,
                ),
            )
            .order_by(WebhookDelivery.id)
            .limit(50)
        ).all()
        jobs = [(d.id, d.event_id, d.body, e.url, e.secret) for d, e in due]
        db.end_read(session)
    if not jobs:  # the usual case: no HTTP client (loading its CA bundle costs ~50 ms)
        return 0
    delivered = 0
    own = client is None
    http = client or httpx.Client(timeout=TIMEOUT, follow_redirects=False)
    try:
        for delivery_id, event_id, body, url, secret in jobs:
            status, error, took = _post(http, url, secret, event_id, body.encode())
            ok = status is not None and 200 <= status < 300
            _record(factory, delivery_id, status, error, took, ok)
            delivered += ok
    finally:
        if own:
            http.close()
    return delivered


def _post(
    http: httpx.Client, url: str, secret: str, event_id: int, body: bytes
) -> tuple[int | None, str | None, int]:
    started = time.perf_counter()
    if get_settings().is_production and not _public(httpx.URL(url).host):
        return None, "refused: the address is not public", 0  # DNS changed since set-up
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(secret, body, int(clock.now().timestamp())),
        "Kosmos-Event-Id": f"evt_{event_id}",
        "User-Agent": "Kosmos-Webhooks/1",
    }
    try:
        response = http.post(url, content=body, headers=headers)
        return response.status_code, None, int((time.perf_counter() - started) * 1000)
    except httpx.HTTPError as exc:
        return (
            None,
            f"{type(exc).__name__}: {exc}"[:500],
            int((time.perf_counter() - started) * 1000),
        )


def _record(
    factory: sessionmaker[Session],
    delivery_id: int,
    status: int | None,
    error: str | None,
    took: int,
    ok: bool,
) -> None:
    now: datetime = clock.now()
    with factory() as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        if delivery is None:
            return
        delivery.attempts += 1
        session.add(
            WebhookAttempt(
                delivery_id=delivery_id,
                status_code=status,
                error=error,
                duration_ms=took,
                attempted_at=now,
            )  # fmt: skip
        )
        if ok:
            delivery.delivered_at = now
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.dead_at = now
        else:
            delivery.next_attempt_at = now + bus.retry_delay(delivery.attempts)
        session.commit()

"""Merchant-presented QR payments: the point of sale asks, the customer scans and pays.

- `create_request`: a dynamic request (wallet payment request + a short code) and its
  EMVCo payload (point of initiation 12) signed over reference, merchant, amount, currency
  and expiry. `static_payload`: a store's printed code (11) for a market stall.
- `resolve`: what the customer's scan or typed text is: a dynamic request (signature and
  amount checked against the stored request: a changed payload is refused), a store's
  static code, or a Kosmos link (Scan&Go check-in, a restaurant table).
- `pay` / `pay_static`: the wallet moves the money (strong customer authentication inside);
  afterwards every open point-of-sale page of the merchant's staff turns to "paid".
Amounts are never taken from the customer's side except the typed amount at a static code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog.tables import Merchant, Store
from kosmos.config import get_settings
from kosmos.errors import Conflict, Invalid, NotFound
from kosmos.places import codes, emvco, guesses, live
from kosmos.wallet import payments, requests
from kosmos.wallet.idempotency import Claim
from kosmos.wallet.tables import Payment, PaymentRequest

LINK_PREFIXES = ("/go/", "/t/")  # Scan&Go check-in, restaurant table


def _secret() -> str:
    return get_settings().secret_key


def request_signature(request: PaymentRequest) -> str:
    return codes.sign(_secret(), "req", request.reference, request.merchant_id, request.amount,
                      request.currency, request.expires_at.isoformat())  # fmt: skip


def store_signature(store_id: int) -> str:
    return codes.sign(_secret(), "store", store_id)


def place_of_ids(
    session: Session, merchant_id: int, store_id: int | None
) -> tuple[Merchant, Store | None]:
    merchant = session.get(Merchant, merchant_id)
    if merchant is None:
        raise NotFound("No such merchant.")
    store = session.get(Store, store_id) if store_id is not None else None
    if store is None:
        store = session.scalar(
            select(Store).where(Store.merchant_id == merchant_id).order_by(Store.id)
        )
    return merchant, store


def place_of(session: Session, request: PaymentRequest) -> tuple[Merchant, Store | None]:
    """The merchant and store a request belongs to (the first store if none was named)."""
    return place_of_ids(session, request.merchant_id, request.store_id)


def payload_for(session: Session, request: PaymentRequest) -> str:
    merchant, store = place_of(session, request)
    return emvco.build(emvco.Payload(
        initiation=emvco.DYNAMIC, reference=request.reference,
        signature=request_signature(request), merchant_name=merchant.name,
        city=store.city if store else "", postcode=store.postcode if store else "",
        category=emvco.CATEGORY_CODES.get(merchant.kind, emvco.DEFAULT_CATEGORY),
        currency=request.currency, amount_cents=request.amount,
        short_code=request.short_code or "",
    ))  # fmt: skip


def static_payload(session: Session, store: Store) -> str:
    merchant = store.merchant
    return emvco.build(emvco.Payload(
        initiation=emvco.STATIC, reference=f"store:{store.id}",
        signature=store_signature(store.id), merchant_name=merchant.name, city=store.city,
        postcode=store.postcode,
        category=emvco.CATEGORY_CODES.get(merchant.kind, emvco.DEFAULT_CATEGORY),
    ))  # fmt: skip


def create_request(
    session: Session,
    staff: User,
    merchant_id: int,
    *,
    amount: int | None = None,
    lines: list[dict[str, Any]] | None = None,
    description: str = "",
    store_id: int | None = None,
    ttl: timedelta = requests.DEFAULT_TTL,
) -> PaymentRequest:
    """A dynamic request with a fresh short code (a rare clash on the code tries again).
    The caller has checked that `staff` works for the merchant."""
    for attempt in range(3):
        try:
            return requests.create_request(
                session, staff, merchant_id, amount=amount, lines=lines, description=description,
                store_id=store_id, ttl=ttl, short_code=codes.new_short_code(),
            )  # fmt: skip
        except IntegrityError:
            session.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


# --- what the customer scanned -------------------------------------------------------------


@dataclass(frozen=True)
class Scanned:
    kind: str  # "request", "store" or "link"
    request: PaymentRequest | None = None
    store: Store | None = None
    url: str = ""


def resolve(session: Session, user: User, text: str) -> Scanned:
    """The customer's scanned QR text or typed short code; a code that matches nothing
    counts toward the guessing limit."""
    guesses.check(session, user.id)
    raw = text.strip()
    if not raw:
        raise Invalid("Scan a code or type the code under it.", field="code")
    if raw.startswith("000201"):
        try:
            return _resolve_payload(session, user, emvco.parse(raw))
        except emvco.EmvcoError as err:
            raise Invalid.from_rule(err) from err
    if raw.lower().startswith(("http://", "https://")):
        return _resolve_link(raw)
    short = codes.typed_short_code(raw)
    request = None
    if short is not None:
        request = session.scalar(select(PaymentRequest).where(PaymentRequest.short_code == short))
    if request is None:
        guesses.miss(session, user.id, "short_code")
        raise NotFound("No payment has this code. Check the code on the till.",
                       code="unknown_code", field="code")  # fmt: skip
    return Scanned("request", request=request)


def _resolve_payload(session: Session, user: User, payload: emvco.Payload) -> Scanned:
    if payload.initiation == emvco.STATIC and payload.reference.startswith("store:"):
        store_id = payload.reference.removeprefix("store:")
        store = session.get(Store, int(store_id)) if store_id.isdigit() else None
        if store is None or not codes.signature_ok(_secret(), payload.signature, "store", store.id):
            guesses.miss(session, user.id, "static")
            raise Invalid("This payment code is not valid.", code="qr_tampered", field="code")
        return Scanned("store", store=store)
    request = session.scalar(
        select(PaymentRequest).where(PaymentRequest.reference == payload.reference)
    )
    if request is None:
        guesses.miss(session, user.id, "payload")
        raise NotFound("No payment has this code.", code="unknown_code", field="code")
    if (
        payload.initiation != emvco.DYNAMIC
        or payload.amount_cents != request.amount
        or payload.currency != request.currency
        or payload.signature != request_signature(request)
    ):
        guesses.miss(session, user.id, "payload")
        raise Invalid("This payment code was changed and is not valid. Ask for a new one.",
                      code="qr_tampered", field="code")  # fmt: skip
    return Scanned("request", request=request)


def _resolve_link(raw: str) -> Scanned:
    url, ours = urlparse(raw), urlparse(get_settings().base_url)
    if url.netloc != ours.netloc or not url.path.startswith(LINK_PREFIXES):
        raise Invalid("This is not a Kosmos code.", code="foreign_qr", field="code")
    return Scanned("link", url=url.path)


def open_request(session: Session, reference: str) -> PaymentRequest:
    """A request as the customer sees it before paying: open and not expired."""
    request = requests.get_request(session, reference)
    if request.status == "paid":
        raise Conflict("This payment is already paid.", code="request_not_open")
    if request.status != "open":
        raise Conflict("This payment request is no longer open.", code="request_not_open")
    if request.expires_at <= clock.now():
        raise Invalid("This payment request has expired. Ask for a new one.",
                      code="request_expired")  # fmt: skip
    return request


# --- paying ----------------------------------------------------------------------------------


def pos_key(reference: str) -> str:
    return f"pos:{reference}"


def merchant_key(merchant_id: int) -> str:
    return f"pos:merchant:{merchant_id}"


def pay(session: Session, user: User, reference: str, *, pin: str | None = None,
        idem: Claim | None = None) -> Payment:  # fmt: skip
    """Pay a dynamic request once; its point-of-sale page turns to "paid" right after."""
    request = requests.get_request(session, reference)
    live.changed(session, live.staff_ids(session, request.merchant_id), pos_key(reference),
                 status="paid")  # fmt: skip
    live.changed(session, live.staff_ids(session, request.merchant_id),
                 merchant_key(request.merchant_id))  # fmt: skip
    return payments.pay_request(session, user, reference, pin=pin, idem=idem)


def pay_static(session: Session, user: User, store_id: int, *, amount: int,
               pin: str | None = None, idem: Claim | None = None) -> Payment:  # fmt: skip
    """Pay a typed amount at a store's static code (a market stall)."""
    store = session.get(Store, store_id)
    if store is None:
        raise NotFound("No such store.")
    live.changed(
        session, live.staff_ids(session, store.merchant_id), merchant_key(store.merchant_id)
    )
    return payments.pay_merchant(
        session, user, merchant_id=store.merchant_id, amount=amount, store_id=store.id,
        description=store.name, pin=pin, idem=idem,
    )  # fmt: skip

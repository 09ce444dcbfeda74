"""JSON shapes of QR payments and chat payment requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from kosmos.schemas import MAX_ID, StrictModel
from kosmos.wallet.schemas import Cents, Currency, LineIn, PaymentRequestIn, Pin


class QrRequestIn(PaymentRequestIn):
    """What the point of sale asks for: an amount, or lines (their sum is the amount)."""


class QrRequestOut(BaseModel):
    reference: str
    status: str
    merchant_id: int
    store_id: int | None
    amount: int
    currency: str
    description: str
    lines: list[dict[str, Any]]
    expires_at: datetime
    short_code: str
    payload: str = Field(description="EMVCo merchant-presented QR payload")
    payment: str | None = None


class ScanIn(StrictModel):
    text: str = Field(min_length=1, max_length=600, description="QR text or a typed code")


class ScanOut(BaseModel):
    kind: str  # request, store, link
    request: dict[str, Any] | None = None
    store: dict[str, Any] | None = None
    url: str | None = None


class PayIn(StrictModel):
    pin: Pin = None


class StaticPayIn(StrictModel):
    amount: Cents
    currency: Currency = "EUR"
    pin: Pin = None


class CustomerCodeOut(BaseModel):
    code: str
    display: str
    expires_at: datetime
    seconds: int


class ChargeIn(StrictModel):
    code: str = Field(min_length=1, max_length=40)
    amount: Cents | None = None
    lines: list[LineIn] | None = Field(default=None, max_length=200)
    description: str = Field(default="", max_length=200)
    store_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class MoneyRequestIn(StrictModel):
    amount: Cents
    currency: Currency = "EUR"
    note: str = Field(default="", max_length=200)
    payer_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class MoneyRequestOut(BaseModel):
    id: int
    conversation_id: int
    message_id: int | None
    requester_id: int
    payer_id: int | None
    amount: int
    currency: str
    note: str
    status: str
    paid_by_id: int | None
    payment_reference: str | None
    created_at: datetime

"""Wallet request and response bodies. Amounts are integer cents plus currency."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from kosmos.schemas import MAX_ID, StrictModel

Cents = Annotated[int, Field(ge=1, le=1_000_000_00, description="Minor units (cents)")]
Pin = Annotated[str | None, Field(default=None, min_length=4, max_length=6, pattern=r"^\d+$")]
Currency = Literal["EUR"]


class LineIn(StrictModel):
    name: str = Field(min_length=1, max_length=120)
    quantity: Decimal = Field(default=Decimal(1), gt=0, le=9999, max_digits=10, decimal_places=3)
    unit: Literal["piece", "kg", "g", "l", "ml", "pack"] = "piece"
    unit_price: Cents
    vat_rate: Literal[0, 7, 19] = 19
    gtin: str | None = Field(default=None, max_length=14, pattern=r"^\d{8,14}$")


class TopUpIn(StrictModel):
    """Top up from a card or IBAN (`source`, sandbox provider) or by SEPA direct debit
    on a mandate (`mandate`)."""

    amount: Cents
    currency: Currency = "EUR"
    source: str | None = Field(
        default=None, min_length=8, max_length=40, description="Card number or IBAN"
    )
    mandate: str | None = Field(default=None, max_length=35)


class MandateIn(StrictModel):
    debtor_name: str = Field(min_length=1, max_length=70)
    iban: str = Field(min_length=15, max_length=42)
    bic: str | None = Field(default=None, max_length=11)


class MandateOut(BaseModel):
    reference: str
    debtor_name: str
    iban: str
    bic: str
    signed_on: date
    status: str


class ConfirmIn(StrictModel):
    approve: bool


class PaymentIn(StrictModel):
    """Pay a merchant: either a payment request (`request`) or a typed amount."""

    request: str | None = Field(default=None, max_length=40)
    merchant_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    store_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    amount: Cents | None = None
    currency: Currency = "EUR"
    description: str = Field(default="", max_length=200)
    pin: Pin = None


class TransferIn(StrictModel):
    friend_id: int = Field(ge=1, le=MAX_ID)
    amount: Cents
    currency: Currency = "EUR"
    note: str = Field(default="", max_length=200)
    pin: Pin = None


class HoldIn(StrictModel):
    merchant_id: int = Field(ge=1, le=MAX_ID)
    amount: Cents
    currency: Currency = "EUR"
    description: str = Field(default="", max_length=200)
    expires_in: int = Field(default=7 * 86400, ge=60, le=30 * 86400, description="Seconds")
    pin: Pin = None


class PinIn(StrictModel):
    password: str = Field(min_length=1, max_length=200)
    pin: str = Field(min_length=4, max_length=6)


class PaymentOut(BaseModel):
    reference: str
    kind: str
    status: str
    amount: int
    currency: str
    signed_amount: int | None = None
    refunded: int
    method: str
    source_hint: str | None
    failure_code: str | None
    sca: str | None
    description: str
    merchant_id: int | None
    counterparty_user_id: int | None
    receipt_number: str | None
    lines: list[dict[str, Any]]
    created_at: datetime
    completed_at: datetime | None
    next_action: dict[str, str] | None = None


class HoldOut(BaseModel):
    reference: str
    status: str
    amount: int
    captured: int
    released: int
    currency: str
    merchant_id: int
    description: str
    expires_at: datetime
    created_at: datetime


class BalanceOut(BaseModel):
    balance: int
    held: int
    currency: str
    pin_set: bool


class PaymentRequestIn(StrictModel):
    amount: Cents | None = None
    lines: list[LineIn] | None = Field(default=None, max_length=200)
    currency: Currency = "EUR"
    description: str = Field(default="", max_length=200)
    store_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    expires_in: int = Field(default=900, ge=60, le=30 * 86400, description="Seconds")


class PaymentRequestOut(BaseModel):
    reference: str
    status: str
    merchant_id: int
    store_id: int | None
    amount: int
    currency: str
    description: str
    lines: list[dict[str, Any]]
    expires_at: datetime
    created_at: datetime
    payment: str | None = None
    girocode_url: str | None = None


class CaptureIn(StrictModel):
    amount: Cents | None = None
    lines: list[LineIn] | None = Field(default=None, max_length=200)
    description: str = Field(default="", max_length=200)


class RefundIn(StrictModel):
    amount: Cents | None = None
    reason: str = Field(default="", max_length=200)


class WebhookIn(StrictModel):
    url: str = Field(min_length=8, max_length=500)


class WebhookOut(BaseModel):
    url: str
    secret: str


class InvoiceIn(StrictModel):
    """The business customer an e-invoice is made out to."""

    name: str = Field(min_length=1, max_length=120)
    street: str = Field(min_length=1, max_length=120)
    postcode: str = Field(min_length=4, max_length=10)
    city: str = Field(min_length=1, max_length=80)
    country: str = Field(default="DE", pattern=r"^[A-Z]{2}$")
    vat_id: str | None = Field(default=None, max_length=20)

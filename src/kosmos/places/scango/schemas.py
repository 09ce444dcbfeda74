"""Scan&Go request and response bodies. Amounts are integer cents (EUR)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from kosmos.config import get_settings
from kosmos.places.scango import model
from kosmos.places.scango.passes import PassView, state_of
from kosmos.places.scango.services import Cart, cart_line
from kosmos.places.scango.tables import ExitPass, Line
from kosmos.schemas import StrictModel
from kosmos.wallet.schemas import Pin


class CheckInIn(StrictModel):
    store: str = Field(min_length=1, max_length=80, description="The store's slug")


class ScanIn(StrictModel):
    code: str = Field(min_length=1, max_length=64, description="EAN-13, EAN-8, UPC-A or label")


class QuantityIn(StrictModel):
    quantity: int = Field(ge=0, le=model.MAX_QUANTITY, strict=True, description="0 removes it")


class PayIn(StrictModel):
    pin: Pin = None


class GateCheckIn(StrictModel):
    code: str = Field(min_length=1, max_length=300, description="Scanned QR or typed code")


class ConfirmIn(StrictModel):
    age_checked: bool = False
    rescanned: bool = False


class LineOut(BaseModel):
    id: int
    name: str
    kind: str
    code: str
    quantity: int
    weight_g: int | None
    unit_price: int
    vat_rate: int
    total: int
    min_age: int


class VatOut(BaseModel):
    rate: int
    net: int
    vat: int
    gross: int


class VisitOut(BaseModel):
    id: int
    store_id: int
    store: str
    status: str
    lines: list[LineOut]
    items: int
    total: int
    currency: str = "EUR"
    vat: list[VatOut]
    payment: str | None
    paid_at: datetime | None


class PassOut(BaseModel):
    id: int
    visit_id: int
    state: str
    code: str = Field(description="The short code to type at the gate")
    qr: str = Field(description="What the QR code carries")
    expires_at: datetime
    age_check: bool
    used_at: datetime | None


class GateOut(BaseModel):
    pass_id: int
    state: str
    pending: list[str]
    customer: str
    min_age: int
    rescan: bool
    lines: list[LineOut]
    total: int


def line_out(x: Line) -> LineOut:
    return LineOut(
        id=x.id, name=x.name, kind=x.kind, code=x.code, quantity=x.quantity,
        weight_g=x.weight_g, unit_price=x.unit_price_cents, vat_rate=x.vat_rate,
        total=cart_line(x).total, min_age=x.min_age,
    )  # fmt: skip


def visit_out(cart: Cart) -> dict[str, Any]:
    visit, totals = cart.visit, cart.totals
    lines = [line_out(x) for x in cart.lines]
    vat = [
        VatOut(rate=r.rate, net=r.net.amount, vat=r.vat.amount, gross=r.gross.amount)
        for r in totals.vat
    ]
    return VisitOut(
        id=visit.id, store_id=cart.store.id, store=cart.store.name, status=visit.status,
        lines=lines, items=totals.items, total=totals.total, vat=vat,
        payment=visit.payment_reference, paid_at=visit.paid_at,
    ).model_dump(mode="json")  # fmt: skip


def pass_out(row: ExitPass) -> dict[str, Any]:
    return PassOut(
        id=row.id, visit_id=row.visit_id, state=state_of(row),
        code=model.short_code_text(row.short_code),
        qr=model.pass_url(get_settings().base_url, row.token), expires_at=row.expires_at,
        age_check=row.min_age > 0, used_at=row.used_at,
    ).model_dump(mode="json")  # fmt: skip


def gate_out(view: PassView) -> dict[str, Any]:
    lines = [line_out(x) for x in view.lines]
    return GateOut(
        pass_id=view.exit_pass.id, state=view.state, pending=view.pending,
        customer=view.customer.display_name, min_age=view.exit_pass.min_age,
        rescan=view.exit_pass.needs_rescan, lines=lines, total=view.visit.total_cents or 0,
    ).model_dump(mode="json")  # fmt: skip

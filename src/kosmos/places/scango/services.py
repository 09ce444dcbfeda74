"""Scan&Go use cases of the customer before paying: check in, scan, change and remove
lines. Each owns its transaction and commits; a broken rule raises a Problem first.

A visit is looked up through its customer (somebody else's visit is a 404). Every cart
change first bumps the visit's `version` with a conditional UPDATE (status still open):
that locks the visit row, serializes changes of one cart, refuses changes to a paid visit,
and lets paying detect a cart that changed under it. Open pages of the customer refresh
after the commit (`places.live`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.catalog.services import resolve_barcode
from kosmos.catalog.tables import Store
from kosmos.errors import Conflict, Invalid, NotFound
from kosmos.places import live
from kosmos.places.scango import model
from kosmos.places.scango.model import CartLine, CartTotals, ScanGoRuleError
from kosmos.places.scango.tables import Line, Visit


def visit_key(visit_id: int) -> str:
    return f"scango:visit:{visit_id}"


def pass_key(pass_id: int) -> str:
    return f"scango:pass:{pass_id}"


def gate_key(store_id: int) -> str:
    return f"scango:gate:{store_id}"


@dataclass(frozen=True)
class Cart:
    visit: Visit
    store: Store
    lines: list[Line]
    totals: CartTotals


def cart_line(line: Line) -> CartLine:
    return CartLine(
        name=line.name, kind=line.kind, quantity=line.quantity,
        unit_price_cents=line.unit_price_cents, vat_rate=line.vat_rate, weight_g=line.weight_g,
        gtin=line.gtin, min_age=line.min_age,
    )  # fmt: skip


# --- reads ---------------------------------------------------------------------------------


def store_by_slug(session: Session, slug: str) -> Store:
    store = session.scalar(select(Store).where(Store.slug == slug))
    if store is None:
        raise NotFound("No such store.")
    return store


def get_visit(session: Session, user: User, visit_id: int) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None or visit.user_id != user.id:
        raise NotFound("No such Scan&Go visit.")
    return visit


def open_visit(session: Session, user: User, store_id: int) -> Visit | None:
    return session.scalar(
        select(Visit).where(
            Visit.user_id == user.id, Visit.store_id == store_id, Visit.status == "open"
        )
    )


def lines_of(session: Session, visit_id: int) -> list[Line]:
    return list(session.scalars(select(Line).where(Line.visit_id == visit_id).order_by(Line.id)))


def get_cart(session: Session, user: User, visit_id: int) -> Cart:
    visit = get_visit(session, user, visit_id)
    lines = lines_of(session, visit.id)
    store = session.get(Store, visit.store_id)
    assert store is not None
    return Cart(visit, store, lines, model.cart_totals(cart_line(x) for x in lines))


def my_visits(session: Session, user: User, limit: int = 20) -> list[Visit]:
    return list(
        session.scalars(
            select(Visit)
            .where(Visit.user_id == user.id, Visit.status != "abandoned")
            .order_by(Visit.id.desc())
            .limit(limit)
        )
    )


# --- check in ------------------------------------------------------------------------------


def check_in(session: Session, user: User, store_slug: str) -> tuple[Visit, bool]:
    """Start, or resume, the customer's open visit at the store. Returns (visit, created).
    An open visit older than `model.STALE_AFTER` is abandoned and a new one started."""
    store = store_by_slug(session, store_slug)
    now = clock.now()
    visit = open_visit(session, user, store.id)
    if visit is not None and not model.is_stale(visit.created_at, now):
        return visit, False
    if visit is not None:
        session.execute(
            update(Visit)
            .where(Visit.id == visit.id, Visit.status == "open")
            .values(status="abandoned", updated_at=now)
        )
    visit = Visit(
        user_id=user.id, store_id=store.id, merchant_id=store.merchant_id, status="open",
        version=0, created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(visit)
    try:
        session.commit()
    except IntegrityError:  # the same customer checked in at the same moment: resume that
        session.rollback()
        found = open_visit(session, user, store.id)
        if found is None:
            raise
        return found, False
    return visit, True


# --- the cart ------------------------------------------------------------------------------


def _bump(session: Session, visit: Visit) -> None:
    """Count a cart change (and lock the visit); refuse it once the visit is paid."""
    changed = session.execute(
        update(Visit)
        .where(Visit.id == visit.id, Visit.status == "open")
        .values(version=Visit.version + 1, updated_at=clock.now())
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict("This visit is paid: its cart cannot change.", code="visit_closed")


def _changed(session: Session, user: User, visit: Visit) -> None:
    live.changed(session, [user.id], visit_key(visit.id))
    session.commit()


def scan(session: Session, user: User, visit_id: int, code: str) -> Line:
    """Add a scanned code to the cart: one more piece of a plain code, or a new line for
    a scale label. Unknown codes, wrong check digits and products the store does not sell
    are refused (field "code") and change nothing."""
    visit = get_visit(session, user, visit_id)
    if visit.status != "open":
        raise Conflict("This visit is paid: its cart cannot change.", code="visit_closed")
    match = resolve_barcode(session, code, visit.store_id)
    product = match.product
    _bump(session, visit)
    now = clock.now()
    line = None
    if match.kind == "gtin":
        line = session.scalar(
            select(Line).where(
                Line.visit_id == visit.id, Line.kind == "gtin", Line.product_id == product.id
            )
        )
    if line is not None:
        if line.quantity >= model.MAX_QUANTITY:
            session.rollback()
            raise Invalid("At most 99 pieces per line.", code="invalid_quantity", field="code")
        line.quantity += 1
    else:
        count = session.scalar(select(func.count()).where(Line.visit_id == visit.id)) or 0
        if count >= model.MAX_LINES:
            session.rollback()
            raise Invalid("The cart is full (200 lines).", code="cart_full", field="code")
        weight_g = int(match.weight_kg * 1000) if match.weight_kg is not None else None
        label_price = match.kind == "price"
        line = Line(
            visit_id=visit.id, product_id=product.id, code=code.strip()[:14], kind=match.kind,
            name=product.name, quantity=1, weight_g=weight_g,
            unit_price_cents=match.line_price_cents if label_price else match.unit_price_cents,
            vat_rate=product.vat_rate, gtin=product.gtin, min_age=product.min_age or 0,
            created_at=now,
        )  # fmt: skip
        if match.kind == "weight" and cart_line(line).total != match.line_price_cents:
            session.rollback()  # the receipt would charge other than the label says
            raise Invalid("This label's price cannot be read.", code="label_price", field="code")
        session.add(line)
    session.flush()
    _changed(session, user, visit)
    return line


def _line_of(session: Session, visit: Visit, line_id: int) -> Line:
    line = session.get(Line, line_id)
    if line is None or line.visit_id != visit.id:
        raise NotFound("No such line in this cart.")
    return line


def set_quantity(session: Session, user: User, visit_id: int, line_id: int, quantity: int) -> None:
    """Change how many pieces a line has; 0 removes the line."""
    visit = get_visit(session, user, visit_id)
    _bump(session, visit)
    try:
        line = _line_of(session, visit, line_id)
        quantity = model.check_quantity(line.kind, quantity)
    except ScanGoRuleError as err:
        session.rollback()
        raise Invalid.from_rule(err) from err
    except NotFound:
        session.rollback()
        raise
    if quantity == 0:
        session.delete(line)
    else:
        line.quantity = quantity
    _changed(session, user, visit)


def remove_line(session: Session, user: User, visit_id: int, line_id: int) -> None:
    set_quantity(session, user, visit_id, line_id, 0)

"""Helpers for the delivery API tests: the world (demo accounts, stations, a bookable
slot, products), a test double behind the station port, placing and handing over."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.support import Account
from tests.wallet_support import with_key

from kosmos.catalog.tables import Merchant, Product
from kosmos.delivery.ports import StationNotAnswering
from kosmos.delivery.tables import Slot

STORE = "frischmarkt-musterstadt-zentrum"
ORDERS = "/api/v1/delivery/orders"


# --- the world -----------------------------------------------------------------------------


@dataclass
class World:
    folks: dict[str, Account]
    store: int
    slot: int  # the first slot that can be booked
    closed_slot: int  # today's slot past its cut-off
    salad: int  # chilled, 2.29 EUR
    water: int  # ambient, 0.59 EUR, 1.5 l
    fries: int  # frozen, 2.29 EUR, 1 kg
    cheese_by_weight: int
    butchers_sausage: int


class Doors:
    """The parcel stations, as a test double behind the StationLink port."""

    def __init__(self) -> None:
        self.opened: list[tuple[str, int]] = []
        self.silent = False

    def open_compartment(self, station: str, compartment: int, *, timeout: float = 5.0) -> str:
        if self.silent:
            raise StationNotAnswering(f"{station} did not answer within {timeout} s")
        self.opened.append((station, compartment))
        return f"req-{len(self.opened)}"

    def publish_config(self, station: str, layout: list[dict[str, Any]]) -> None:
        pass


def product(db: Session, name: str, merchant: str = "frischmarkt-musterstadt") -> int:
    found = db.scalar(
        select(Product.id).join(Merchant, Merchant.id == Product.merchant_id)
        .where(Product.name == name, Merchant.slug == merchant)
    )  # fmt: skip
    assert found is not None, name
    return found


def locker_order(w: World, **change: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "store_id": w.store, "mode": "locker", "place": "im Stadtpark", "slot_id": w.slot,
        "lines": [{"product_id": w.salad, "quantity": 1}, {"product_id": w.water, "quantity": 2}],
    }  # fmt: skip
    body.update(change)
    return body


def place(http: TestClient, who: Account, body: dict[str, Any], key: str | None = None) -> Any:
    return http.post(ORDERS, json=body, headers=with_key(who, key))


def placed(http: TestClient, w: World, who: str = "anna") -> dict[str, Any]:
    r = place(http, w.folks[who], locker_order(w))
    assert r.status_code == 201, r.text
    return dict(r.json())


def staff(http: TestClient, w: World, step: str, reference: str, who: str = "kaya") -> Any:
    return http.post(f"{ORDERS}/{reference}/{step}", headers=w.folks[who].headers)


def in_locker(http: TestClient, w: World, reference: str) -> dict[str, Any]:
    for step in ("pack", "leave", "stow"):
        r = staff(http, w, step, reference)
        assert r.status_code == 200, (step, r.text)
        assert r.json()["pickup_code"] is None  # staff never see the customer's code
    r = http.get(f"{ORDERS}/{reference}", headers=w.folks["anna"].headers)
    return dict(r.json())


def at_station(http: TestClient, station: str, step: str, code: str) -> Any:
    return http.post(f"/api/v1/delivery/stations/{station}/{step}", json={"code": code})


def count(db: Session, model: Any, *where: Any) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def booked(db: Session, slot_id: int) -> int:
    db.rollback()
    return db.scalar(select(Slot.booked).where(Slot.id == slot_id)) or 0


def problem(r: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = dict(r.json())
    assert body["code"] == code, body
    if field is not None:
        assert body["errors"][0]["field"] == field, body
    return body

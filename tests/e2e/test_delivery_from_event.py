"""From the event to the locker: the plan for "deliver the list to a locker near the event's
place before the start" (the open items the store sells, the latest slot ending an hour
before the start, the station nearest the Stadtpark), the order through the page, the
locker card in the group chat, the reminder a day before the deadline (once), and the
parcel going back with the money refunded when nobody comes."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.assistant_support import demo_accounts, group
from tests.support import page_login

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.assistant.tables import Event, ItemList, ListItem
from kosmos.chat.tables import Message
from kosmos.delivery import from_event, handover, links, returns
from kosmos.delivery.demo import seed_delivery
from kosmos.delivery.tables import Compartment, Order, Station
from kosmos.errors import NotFound
from kosmos.wallet import topups
from kosmos.wallet.tables import Payment

pytestmark = pytest.mark.postgres

SATURDAY_6PM = datetime.fromisoformat("2026-11-28T18:00:00+01:00")


class OpenDoors:
    """Stations that always open (the MQTT path has its own integration tests)."""

    def open_compartment(self, station: str, compartment: int, *, timeout: float = 5.0) -> str:
        return f"{station}-{compartment}"

    def publish_config(self, station: str, layout: list[dict[str, Any]]) -> None:
        return None


@pytest.fixture
def barbecue(client: Any, db: Session) -> dict[str, Any]:
    folks = demo_accounts(db)
    seed_delivery(db)
    db.execute(Station.__table__.update().values(online=True))
    db.commit()
    chat = group(client, folks)
    now = clock.now()
    event = Event(conversation_id=chat, title="Grillen", starts_at=SATURDAY_6PM,
                  place="Stadtpark", status="active", locale="de",
                  created_by=folks["anna"].id, created_at=now, updated_at=now)  # fmt: skip
    db.add(event)
    db.flush()
    shopping = ItemList(conversation_id=chat, event_id=event.id, kind="shopping",
                        title="Einkaufsliste", locale="de", created_at=now)  # fmt: skip
    db.add(shopping)
    db.flush()
    for title, quantity in (("Mineralwasser", 6), ("Kartoffelsalat", 2)):
        db.add(ListItem(list_id=shopping.id, title=title, quantity=Decimal(quantity),
                        unit="piece", created_at=now))  # fmt: skip
    db.add(ListItem(list_id=shopping.id, title="Grillkohle", done_at=now, created_at=now))
    db.commit()
    cem = db.get(User, folks["cem"].id)
    assert cem is not None
    topups.top_up(db, cem, amount=50_00, source="4242424242424242")
    links.install(OpenDoors(), None)
    yield {"folks": folks, "chat": chat, "event": event.id, "cem": cem}
    links.install(None, None)


def test_the_plan_takes_the_open_items_the_latest_slot_and_the_nearest_station(
    db: Session, barbecue: dict[str, Any]
) -> None:
    plan = from_event.plan(db, barbecue["cem"], barbecue["event"])
    names = [line.name for line in plan.lines]
    assert any(n.startswith("Mineralwasser") for n in names)
    assert "Kartoffelsalat mit Gurke" in names  # the packed one: the counter's is by weight
    assert all("Grillkohle" not in n for n in names)  # done already
    assert [line.quantity for line in plan.lines] == [6, 2]
    assert plan.slot is not None
    end = clock.to_local(plan.slot.ends_at)
    assert (end.strftime("%a"), end.hour) == ("Sat", 16)  # ends at least an hour before 18:00
    assert all(s.ends_at + timedelta(hours=1) <= SATURDAY_6PM for s in plan.slots)
    assert plan.station is not None and plan.station.name == "Packstation Stadtpark"
    assert [s.name for s, _km in plan.stations][0] == "Packstation Stadtpark"
    assert plan.problem is None


def test_only_members_of_the_event_chat_plan_for_it(db: Session, barbecue: dict[str, Any]) -> None:
    stranger = db.scalar(select(User).where(User.username == "huber"))
    assert stranger is not None
    with pytest.raises(NotFound):
        from_event.plan(db, stranger, barbecue["event"])


def test_order_from_the_event_page_then_card_reminder_and_return(
    client: Any, db: Session, barbecue: dict[str, Any], frozen_clock: clock.FrozenClock
) -> None:
    folks = barbecue["folks"]
    token = page_login(client, "cem", folks["cem"].password)
    page = client.get(f"/delivery/events/{barbecue['event']}")
    assert page.status_code == 200
    form: dict[str, str] = {"csrf_token": token}
    for name in ("idempotency_key", "store_id", "slot_id", "station_id"):
        found = re.search(rf'name="{name}" value="([^"]*)"', page.text) or re.search(
            rf'<select id="f-{name}" name="{name}">.*?<option value="(\d+)"[^>]*selected',
            page.text, re.S,
        )  # fmt: skip
        assert found, name
        form[name] = found.group(1)
    for i, product in enumerate(re.findall(r'name="product_(\d+)" value="(\d+)"', page.text)):
        form[f"product_{product[0]}"] = product[1]
        form[f"quantity_{product[0]}"] = re.search(
            rf'name="quantity_{product[0]}"[^>]*value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]  # fmt: skip
        form[f"take_{product[0]}"] = "on"
        assert i < 5
    answer = client.post(f"/delivery/events/{barbecue['event']}", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text[:2000]
    reference = answer.headers["location"].rsplit("/", 1)[1]
    again = client.post(f"/delivery/events/{barbecue['event']}", data=form, follow_redirects=False)
    assert again.headers["location"] == answer.headers["location"]  # a double submit orders once
    order = db.scalar(select(Order).where(Order.reference == reference))
    assert order is not None and order.conversation_id == barbecue["chat"]
    assert order.event_id == barbecue["event"] and order.mode == "locker"

    # the courier puts it into the locker: the card lands in the group chat
    handover.pack(db, order)
    handover.leave(db, order)
    handover.stow(db, order)
    db.expire_all()
    card = db.scalar(select(Message).where(Message.id == order.card_message_id))
    assert card is not None and card.card is not None
    assert card.card["title"].startswith("Eure Lieferung liegt in Packstation Stadtpark, Fach ")
    assert f"Code {order.pickup_code}" in card.card["title"]

    # a day before the deadline: one reminder
    frozen_clock.advance(days=2, hours=1)
    assert returns.remind_due(db) == 1
    assert returns.remind_due(db) == 0
    texts = db.scalars(select(Message.body).where(Message.conversation_id == barbecue["chat"]))
    assert sum("Erinnerung" in t for t in texts) == 1

    # nobody came: it goes back, the compartment is free, the money is refunded
    frozen_clock.advance(days=1)
    assert returns.send_back_overdue(db) == 1
    db.expire_all()
    order = db.get(Order, order.id)
    assert order is not None and order.status == "returned" and order.pickup_code is None
    assert db.scalars(select(Compartment).where(Compartment.parcel_id.is_not(None))).all() == []
    refund = db.scalar(select(Payment).where(Payment.kind == "refund",
                                             Payment.user_id == order.user_id))  # fmt: skip
    assert refund is not None and refund.amount == order.amount
    card = db.get(Message, order.card_message_id)
    assert card is not None and card.card["note"].startswith("Nicht abgeholt")

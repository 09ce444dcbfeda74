"""Assistant JSON API under /api/v1/assistant: read a message (the same understanding the
chat uses), events with RSVP, lists with check-off. Members of the chat only."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends
from pydantic import Field
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.auth import api_user
from kosmos.accounts.tables import User
from kosmos.assistant import events, lists
from kosmos.assistant.tables import Event
from kosmos.assistant.understanding import understand
from kosmos.errors import Invalid
from kosmos.schemas import ObjectId, StrictModel
from kosmos.web.deps import get_db, get_write_db

router = APIRouter(prefix="/assistant", tags=["assistant"])
DB = Depends(get_db)
WRITE_DB = Depends(get_write_db)  # GETs that make what they show on first use
ME = Depends(api_user)


class UnderstandIn(StrictModel):
    text: str = Field(max_length=2000)
    now: datetime | None = None
    locale: Literal["de", "en"] | None = None
    members: list[str] = Field(default_factory=list, max_length=100)


class ItemsIn(StrictModel):
    text: str = Field(min_length=1, max_length=500)


class RsvpIn(StrictModel):
    answer: Literal["yes", "no", "maybe"]


@router.post("/understand")
def read_message(body: UnderstandIn, user: User = ME) -> dict[str, Any]:
    """What Kosmo reads in a message (nothing is stored)."""
    now = body.now or clock.now()
    if now.tzinfo is None:
        raise Invalid("now needs a time zone offset.", field="now")
    result = understand(body.text, now=now, locale=body.locale, members=tuple(body.members))
    return {**result.to_dict(), "locale": result.locale}


def _event_out(db: Session, event: Event) -> dict[str, Any]:
    names = lists.display_names(db, event.conversation_id)
    return {
        "id": event.id, "conversation_id": event.conversation_id, "title": event.title,
        "start": event.starts_at.isoformat(),
        "end": event.ends_at.isoformat() if event.ends_at else None, "place": event.place,
        "status": event.status,
        "rsvps": [{"user": names.get(u), "answer": a} for a, u in events.rsvps(db, event.id)],
    }  # fmt: skip


@router.get("/events/{event_id}")
def get_event(event_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    return _event_out(db, events.visible_event(db, user, event_id))


@router.post("/events/{event_id}/rsvp")
def rsvp(event_id: ObjectId, body: RsvpIn, user: User = ME, db: Session = DB) -> dict[str, Any]:
    event = events.visible_event(db, user, event_id, write=True)
    events.answer(db, user, event, body.answer)
    events.refresh_card(db, event, event.locale)
    db.commit()
    return _event_out(db, event)


@router.get("/lists/{list_id}")
def get_list(list_id: ObjectId, user: User = ME, db: Session = DB) -> dict[str, Any]:
    return lists.list_out(db, lists.visible_list(db, user, list_id))


@router.post("/lists/{list_id}/items/{item_id}/toggle")
def toggle_item(
    list_id: ObjectId, item_id: ObjectId, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    item_list = lists.visible_list(db, user, list_id, write=True)
    lists.toggle(db, user, item_list.id, item_id)
    lists.refresh_card(db, item_list, item_list.locale)
    db.commit()
    return lists.list_out(db, item_list)


@router.get("/households/{household_id}/lists/{kind}")
def get_household_list(
    household_id: ObjectId,
    kind: Literal["shopping", "todo"],
    user: User = ME,
    db: Session = WRITE_DB,
) -> dict[str, Any]:
    item_list = lists.household_list(db, user, household_id, kind)
    db.commit()
    return lists.list_out(db, item_list)


@router.post("/lists/{list_id}/items", status_code=201)
def add_items(
    list_id: ObjectId, body: ItemsIn, user: User = ME, db: Session = DB
) -> dict[str, Any]:
    """Add what `text` names ("2 kg Äpfel, Milch und 6 Eier"), matched to the catalog."""
    item_list = lists.visible_list(db, user, list_id, write=True)
    lists.add_items(db, user, item_list, body.text)
    lists.refresh_card(db, item_list, item_list.locale)
    db.commit()
    return lists.list_out(db, item_list)

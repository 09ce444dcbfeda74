"""Events of a chat: created from a confirmed proposal, RSVP (yes/no/maybe), edit, cancel,
and the calendar file (.ics with `icalendar`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar
from icalendar import Event as CalendarEvent
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.assistant import cards
from kosmos.assistant.tables import Event, Rsvp
from kosmos.chat import messages
from kosmos.chat.conversations import active_member, membership
from kosmos.errors import Invalid, NotFound

ANSWERS = ("yes", "no", "maybe")
DEFAULT_LENGTH = timedelta(hours=3)


def create(
    session: Session, user: User, conversation_id: int, *, title: str, start: datetime,
    end: datetime | None, place: str | None,
) -> Event:  # fmt: skip
    active_member(session, user.id, conversation_id)
    check(title, start, end)
    now = clock.now()
    event = Event(
        conversation_id=conversation_id, title=title.strip()[:120], starts_at=start,
        ends_at=end, place=(place or None) and place[:160], created_by=user.id,
        created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(event)
    session.flush()
    return event


def check(title: str, start: datetime, end: datetime | None) -> None:
    if not title.strip():
        raise Invalid("An event needs a title.", field="title")
    if start.tzinfo is None:
        raise Invalid("The start needs a time zone.", field="start")
    if end is not None and end <= start:
        raise Invalid("The end must be after the start.", field="end")


def visible_event(session: Session, user: User, event_id: int, *, write: bool = False) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound("No such event.")
    try:
        (active_member if write else membership)(session, user.id, event.conversation_id)
    except NotFound:
        raise NotFound("No such event.") from None
    return event


def rsvps(session: Session, event_id: int) -> list[tuple[str, int]]:
    rows = session.execute(
        select(Rsvp.answer, Rsvp.user_id).where(Rsvp.event_id == event_id).order_by(Rsvp.id)
    ).all()
    return [(answer, user_id) for answer, user_id in rows]


def answer(session: Session, user: User, event: Event, value: str) -> None:
    """Record the user's RSVP (a new answer replaces the old one). The caller commits."""
    if value not in ANSWERS:
        raise Invalid("Answer yes, no or maybe.", field="answer")
    if event.status != "active":
        raise Invalid("This event was cancelled.", field="answer", code="event_cancelled")
    active_member(session, user.id, event.conversation_id)
    row = session.scalar(select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.user_id == user.id))
    if row is None:
        session.add(Rsvp(event_id=event.id, user_id=user.id, answer=value, updated_at=clock.now()))
        try:
            session.flush()
        except IntegrityError:  # a double tap raced: update the row that won
            session.rollback()
            row = session.scalar(
                select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.user_id == user.id)
            )
    if row is not None:
        row.answer, row.updated_at = value, clock.now()


def update(
    session: Session, user: User, event: Event, *, title: str, start: datetime,
    end: datetime | None, place: str | None,
) -> None:  # fmt: skip
    active_member(session, user.id, event.conversation_id)
    check(title, start, end)
    event.title, event.starts_at, event.ends_at = title.strip()[:120], start, end
    event.place = place or None
    event.updated_at = clock.now()
    event.reminded_day_at = event.reminded_hours_at = None


def cancel(session: Session, user: User, event: Event) -> None:
    active_member(session, user.id, event.conversation_id)
    event.status = "cancelled"
    event.updated_at = clock.now()


def refresh_card(session: Session, event: Event, locale: str) -> None:
    session.flush()
    card = cards.event_card(event, rsvps(session, event.id), locale)
    if event.card_message_id is None:
        out = messages.post_as_kosmos(session, event.conversation_id, card=card, commit=False)
        event.card_message_id = out["id"]
    else:
        messages.update_card(session, event.card_message_id, card)


def ics(event: Event, base_url: str = "") -> bytes:
    """The event as an iCalendar file (RFC 5545), times in UTC."""
    calendar = Calendar()
    calendar.add("prodid", "-//Kosmos//Kosmo assistant//DE")
    calendar.add("version", "2.0")
    item = CalendarEvent()
    item.add("uid", f"event-{event.id}@kosmos")
    item.add("summary", event.title)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at or event.starts_at + DEFAULT_LENGTH)
    item.add("dtstamp", event.updated_at)
    if event.place:
        item.add("location", event.place)
    if event.status == "cancelled":
        item.add("status", "CANCELLED")
    if base_url:
        item.add("url", f"{base_url}/assistant/events/{event.id}")
    calendar.add_component(item)
    return calendar.to_ical()  # type: ignore[no-any-return]

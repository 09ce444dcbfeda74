"""Event reminders: a day and two hours before the start Kosmo writes into the event's chat;
members who are offline and have not muted the chat get it as a Web Push (the chat's push
consumer, through the outbox). Run by the relay worker every minute."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kosmos import bus, clock
from kosmos.assistant import cards, model
from kosmos.assistant.tables import Event
from kosmos.chat import messages
from kosmos.chat.sending import MESSAGES_SENT

TEXT = {
    "de": {"day": "⏰ Morgen: {what}", "hours": "⏰ In 2 Stunden: {what}"},
    "en": {"day": "⏰ Tomorrow: {what}", "hours": "⏰ In 2 hours: {what}"},
}


def send_due(session: Session) -> int:
    """Post every reminder that is due; returns how many."""
    now = clock.now()
    events = session.scalars(
        select(Event).where(
            Event.status == "active",
            Event.starts_at > now,
            Event.starts_at <= now + model.DAY_BEFORE,
        )
    ).all()
    sent = 0
    for event in events:
        for kind in model.reminders_due(
            now, event.starts_at, event.reminded_day_at, event.reminded_hours_at
        ):
            locale = "en" if event.locale == "en" else "de"
            what = f"{event.title}, {cards.when_text(event.starts_at, event.ends_at, locale)}"
            if event.place:
                what += f", {event.place}"
            out = messages.post_as_kosmos(
                session, event.conversation_id, text=TEXT[locale][kind].format(what=what),
                commit=False,
            )  # fmt: skip
            bus.publish(session, MESSAGES_SENT, {"message_ids": [out["id"]]})
            if kind == "day":
                event.reminded_day_at = now
            else:
                event.reminded_hours_at = event.reminded_day_at = now
            sent += 1
    session.commit()
    return sent


@bus.every(60, "assistant.event_reminders")
def event_reminders(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return send_due(session)

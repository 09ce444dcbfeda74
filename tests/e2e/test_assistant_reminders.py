"""Event reminders: a day and two hours before the start, once each, into the chat (and
through the outbox to the chat's push consumer); none for a cancelled event."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from tests.support import make_account

from kosmos.assistant import events, model, reminders
from kosmos.bus import OutboxEvent
from kosmos.chat import conversations
from kosmos.chat.sending import MESSAGES_SENT
from kosmos.chat.tables import Message

START = datetime.fromisoformat("2026-11-28T18:00:00+01:00")


def test_rule_each_reminder_once() -> None:
    assert model.reminders_due(START - timedelta(hours=30), START, None, None) == []
    assert model.reminders_due(START - timedelta(hours=23), START, None, None) == ["day"]
    assert model.reminders_due(START - timedelta(hours=23), START, START, None) == []
    assert model.reminders_due(START - timedelta(hours=1), START, START, None) == ["hours"]
    assert model.reminders_due(START - timedelta(hours=1), START, START, START) == []
    assert model.reminders_due(START + timedelta(minutes=1), START, None, None) == []


def test_reminders_are_posted_once_a_day_and_two_hours_before(db, frozen_clock, anna) -> None:
    ben = make_account(db, "ben2")
    from kosmos.accounts.tables import User

    user = db.get(User, anna.id)
    chat = conversations.create_group(db, user, name="Grill", member_ids=[ben.id])
    event = events.create(db, user, chat.id, title="Grillen", start=START, end=None,
                          place="Stadtpark")  # fmt: skip
    cancelled = events.create(db, user, chat.id, title="Kino", start=START, end=None, place=None)
    events.cancel(db, user, cancelled)
    db.commit()
    assert reminders.send_due(db) == 0  # Sunday 10:00, six days ahead
    frozen_clock.advance(days=5, hours=9)  # Friday 19:00: 23 hours before
    assert reminders.send_due(db) == 1
    assert reminders.send_due(db) == 0
    frozen_clock.advance(hours=21, minutes=30)  # Saturday 16:30
    assert reminders.send_due(db) == 1
    texts = db.scalars(select(Message.body).where(Message.sender_id.is_(None))
                       .order_by(Message.id)).all()  # fmt: skip
    assert texts == ["⏰ Morgen: Grillen, Sa 28.11., 18:00, Stadtpark",
                     "⏰ In 2 Stunden: Grillen, Sa 28.11., 18:00, Stadtpark"]  # fmt: skip
    pushed = db.scalars(select(OutboxEvent).where(OutboxEvent.topic == MESSAGES_SENT)).all()
    assert len(pushed) == 2
    assert event.reminded_hours_at is not None

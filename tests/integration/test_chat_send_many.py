"""Group commit: one batch holds messages of several senders and chats; each item gets
its own answer (a problem stops only its item), a repeated client_id is stored once, and
every stored message reaches its chat's members after the one commit."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests.support import make_account

from kosmos.accounts.tables import User
from kosmos.bus import OutboxEvent
from kosmos.chat import conversations, hub
from kosmos.chat.sending import Outgoing, send_many
from kosmos.chat.tables import Message
from kosmos.errors import Problem


class Recorder(hub.MemoryHub):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[list[int], dict]] = []

    def publish(self, user_ids, event):  # noqa: ANN001, ANN201
        self.events.append((sorted(user_ids), event))


@pytest.fixture
def recorder():
    previous = hub.current()
    recording = Recorder()
    hub.install(recording)  # type: ignore[arg-type]
    yield recording
    hub.install(previous)


def test_a_batch_of_many_senders_and_chats(db, anna, ben, recorder):
    cem = make_account(db, "cem")
    a, b, c = (db.get(User, x.id) for x in (anna, ben, cem))
    grill = conversations.create_group(db, a, name="Grill", member_ids=[b.id])
    other = conversations.create_group(db, c, name="Andere", member_ids=[])
    recorder.events.clear()
    results = send_many(db, [
        Outgoing(a.id, grill.id, "eins", client_id="a-1"),
        Outgoing(b.id, grill.id, "zwei :+1:"),
        Outgoing(c.id, grill.id, "ich bin nicht drin"),
        Outgoing(c.id, other.id, "   "),
        Outgoing(c.id, other.id, "drei"),
        Outgoing(a.id, grill.id, "eins", client_id="a-1"),  # the same retry, same batch
    ])  # fmt: skip
    assert results[0]["text"] == "eins" and results[1]["text"] == "zwei 👍"
    assert isinstance(results[2], Problem) and results[2].status == 404
    assert isinstance(results[3], Problem) and results[3].field == "text"
    assert results[4]["conversation_id"] == other.id
    assert results[5]["id"] == results[0]["id"]
    assert db.scalar(select(func.count()).select_from(Message)) == 3
    assert results[0]["id"] < results[1]["id"] < results[4]["id"]  # one order: the ids
    messages = [
        (users, e["message"]["text"]) for users, e in recorder.events if e["type"] == "message"
    ]
    assert messages == [([a.id, b.id], "eins"), ([a.id, b.id], "zwei 👍"), ([c.id], "drei")]
    # a later retry with the same client_id answers with the stored message
    again = send_many(db, [Outgoing(a.id, grill.id, "eins", client_id="a-1")])
    assert again[0]["id"] == results[0]["id"]
    assert db.scalar(select(func.count()).select_from(Message)) == 3
    # nobody has a browser to push to: the relay gets no work
    assert db.scalar(select(func.count()).select_from(OutboxEvent)) == 0


def test_nothing_is_pushed_when_the_batch_rolls_back(db, anna, ben, recorder, monkeypatch):
    a, b = db.get(User, anna.id), db.get(User, ben.id)
    grill = conversations.create_group(db, a, name="Grill", member_ids=[b.id])
    recorder.events.clear()

    def broken(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("disk full")

    monkeypatch.setattr("kosmos.chat.sending._after_insert", broken)
    with pytest.raises(RuntimeError):
        send_many(db, [Outgoing(a.id, grill.id, "geht verloren")])
    db.rollback()
    assert recorder.events == []
    assert db.scalar(select(func.count()).select_from(Message)) == 0

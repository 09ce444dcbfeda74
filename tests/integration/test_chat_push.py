"""Offline members get a Web Push for a new chat message, unless they muted the chat or
have the chat open somewhere (the outbox consumer `chat.push_to_offline_members`)."""

from __future__ import annotations

import asyncio

import pytest
from tests.integration.test_push_send import Browser, PushService, subscribe
from tests.integration.test_push_send import settings as push_settings  # noqa: F401
from tests.support import make_account

from kosmos import bus
from kosmos.accounts.tables import User
from kosmos.chat import conversations, hub, messages
from kosmos.chat import notify as _registers_the_consumer  # noqa: F401

settings = push_settings  # VAPID key under tmp_path


@pytest.fixture
def push_service():
    fake = PushService()
    yield fake
    fake.close()


@pytest.fixture
def grill(db, anna, ben):
    cem = make_account(db, "cem")
    users = {a.username: db.get(User, a.id) for a in (anna, ben, cem)}
    group = conversations.create_group(db, users["anna"], name="Grillfreunde",
                                       member_ids=[ben.id, cem.id])  # fmt: skip
    return group.id, users


@pytest.fixture(autouse=True)
def memory_hub():
    installed = hub.install(hub.MemoryHub())
    yield installed
    hub.install(hub.MemoryHub())


def test_offline_members_are_pushed_muted_and_online_ones_are_not(
    db, session_factory, grill, push_service, memory_hub
):
    conversation_id, users = grill
    bens_browser = Browser(f"{push_service.origin}/push/ben")
    cems_browser = Browser(f"{push_service.origin}/push/cem")
    subscribe(db, users["ben"], bens_browser)
    subscribe(db, users["cem"], cems_browser)
    conversations.update_settings(db, users["cem"], conversation_id, muted_forever=True)
    bus.relay_once(session_factory)  # what setting up queued
    push_service.calls.clear()

    messages.send_message(db, users["anna"], conversation_id, text="Grillen um 18 Uhr? :fire:")
    bus.relay_once(session_factory)

    assert [path for path, _h, _b in push_service.calls] == ["/push/ben"]
    note = bens_browser.decrypt(push_service.calls[0][2])
    assert note == {"title": "Anna @ Grillfreunde", "body": "Grillen um 18 Uhr? 🔥",
                    "url": f"/chats/{conversation_id}",
                    "tag": f"chat-{conversation_id}"}  # fmt: skip

    # ben opens the app: while he is connected, no push
    loop = asyncio.new_event_loop()
    connection = hub.Connection(users["ben"].id, loop)
    memory_hub._local.add(connection)
    push_service.calls.clear()
    messages.send_message(db, users["anna"], conversation_id, text="Bin schon da")
    bus.relay_once(session_factory)
    assert push_service.calls == []
    memory_hub.detach(connection)
    loop.close()

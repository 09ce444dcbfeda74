"""Real-time delivery over the WebSocket (one server process, the in-memory hub): every
open connection of every member gets each event, in order; a reconnect with its last
event id gets exactly what it missed; an expired queue is announced."""

from __future__ import annotations

import json

import pytest
from tests.support import make_account

from kosmos.chat import hub


@pytest.fixture
def cem(db):
    return make_account(db, "cem")


def connect(client, who, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    ws = client.websocket_connect(f"/api/v1/chat/events?{query}")
    conn = ws.__enter__()
    conn.send_text(json.dumps({"type": "auth", "token": who.token}))
    first = json.loads(conn.receive_text())
    return ws, conn, first


def group(client, owner, *members):
    r = client.post("/api/v1/chat/groups", headers=owner.headers,
                    json={"name": "Grillfreunde",
                          "member_ids": [m.id for m in members]})  # fmt: skip
    return r.json()["id"]


def send(client, who, conversation_id, text):
    r = client.post(f"/api/v1/chat/conversations/{conversation_id}/messages",
                    headers=who.headers, json={"text": text})  # fmt: skip
    assert r.status_code == 201, r.text
    return r.json()


def next_of(conn, kind):
    while True:
        event = json.loads(conn.receive_text())
        if event["type"] == kind:
            return event


@pytest.fixture(autouse=True)
def fresh_hub():
    hub.install(hub.MemoryHub())
    yield
    hub.install(hub.MemoryHub())


def test_a_message_reaches_every_open_connection_of_every_member(client, anna, ben, cem):
    g = group(client, anna, ben)
    ws1, phone, hello = connect(client, ben)
    ws2, laptop, _ = connect(client, ben)
    ws3, outsider, _ = connect(client, cem)
    assert hello["type"] == "hello" and hello["user_id"] == ben.id
    sent = send(client, anna, g, "Hallo :wave:")
    for conn in (phone, laptop):
        event = next_of(conn, "message")
        assert event["message"]["id"] == sent["id"] and event["message"]["text"] == "Hallo 👋"
        assert event["id"] > hello["last_event_id"]
    send(client, cem, group(client, cem), "nur für mich")
    assert next_of(outsider, "message")["message"]["text"] == "nur für mich"
    for ws in (ws1, ws2, ws3):
        ws.__exit__(None, None, None)


def test_reconnect_with_last_event_id_gets_exactly_what_was_missed(client, anna, ben):
    g = group(client, anna, ben)
    ws, conn, hello = connect(client, ben)
    send(client, anna, g, "eins")
    seen = next_of(conn, "message")
    ws.__exit__(None, None, None)
    missed = [send(client, anna, g, t)["id"] for t in ("zwei", "drei", "vier")]
    ws, conn, again = connect(client, ben, queue_id=hello["queue_id"], last_event_id=seen["id"])
    assert again["type"] == "hello"
    got = [json.loads(conn.receive_text()) for _ in missed]
    assert [e["message"]["id"] for e in got] == missed
    assert [e["id"] for e in got] == [seen["id"] + 1, seen["id"] + 2, seen["id"] + 3]
    live = send(client, anna, g, "fünf")
    event = json.loads(conn.receive_text())  # the next frame: no duplicate, no gap
    assert event["message"]["id"] == live["id"] and event["id"] == seen["id"] + 4
    ws.__exit__(None, None, None)


def test_an_expired_queue_is_announced(client, anna, ben):
    hub.install(hub.MemoryHub(queue_length=3))
    g = group(client, anna, ben)
    ws, conn, hello = connect(client, ben)
    ws.__exit__(None, None, None)
    for i in range(5):
        send(client, anna, g, f"m{i}")
    ws, conn, answer = connect(client, ben, queue_id=hello["queue_id"],
                               last_event_id=hello["last_event_id"])  # fmt: skip
    assert answer["type"] == "queue_expired"
    assert answer["last_event_id"] > hello["last_event_id"]
    ws.__exit__(None, None, None)
    ws, conn, unknown = connect(client, ben, queue_id="other", last_event_id=1)
    assert unknown["type"] == "queue_expired"
    ws.__exit__(None, None, None)


def test_typing_reaches_the_others_live_only(client, anna, ben, cem):
    g = group(client, anna, ben)
    ws_a, a, _ = connect(client, anna)
    ws_b, b, _ = connect(client, ben)
    ws_c, c, _ = connect(client, cem)
    b.send_text(json.dumps({"type": "typing", "conversation_id": g}))
    event = next_of(a, "typing")
    assert event == {"type": "typing", "conversation_id": g, "user_id": ben.id}
    c.send_text(json.dumps({"type": "typing", "conversation_id": g}))  # not a member: dropped
    c.send_text(json.dumps({"type": "ping"}))
    assert json.loads(c.receive_text())["type"] == "pong"
    b.send_text(json.dumps({"type": "ping"}))
    assert next_of(b, "pong")
    a.send_text(json.dumps({"type": "ping"}))
    assert next_of(a, "pong")  # and no typing from cem arrived before it
    for ws in (ws_a, ws_b, ws_c):
        ws.__exit__(None, None, None)


def test_send_over_the_socket_and_receipts_reach_the_sender(client, anna, ben):
    g = group(client, anna, ben)
    ws_a, a, _ = connect(client, anna)
    ws_b, b, _ = connect(client, ben)
    a.send_text(json.dumps({"type": "send", "conversation_id": g, "text": "Hi", "client_id": "x1"}))
    sent = next_of(a, "sent")
    assert sent["client_id"] == "x1"
    message = next_of(b, "message")["message"]
    assert message["id"] == sent["message_id"]
    b.send_text(json.dumps({"type": "read", "conversation_id": g, "message_id": message["id"]}))
    receipt = next_of(a, "receipt")
    assert receipt["user_id"] == ben.id and receipt["last_read_id"] == message["id"]
    a.send_text(json.dumps({"type": "send", "conversation_id": g, "text": " "}))
    error = next_of(a, "error")
    assert error["problem"]["status"] == 422
    for ws in (ws_a, ws_b):
        ws.__exit__(None, None, None)


def test_without_credentials_the_socket_is_closed(client):
    from starlette.websockets import WebSocketDisconnect

    with client.websocket_connect("/api/v1/chat/events") as conn:
        conn.send_text(json.dumps({"type": "auth", "token": "kos_wrong"}))
        with pytest.raises(WebSocketDisconnect) as closed:
            conn.receive_text()
    assert closed.value.code == 1008


def test_a_cookie_from_another_site_is_refused(client, anna):
    from starlette.websockets import WebSocketDisconnect

    client.cookies.set("kosmos_session", "anything")
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        client.websocket_connect(
            "/api/v1/chat/events", headers={"origin": "https://evil.example"}
        ) as conn,
    ):
        conn.receive_text()
    assert closed.value.code == 1008


def test_a_read_only_token_listens_but_cannot_send(client, db, anna, ben):
    from tests.support import make_account

    g = group(client, anna, ben)
    reader = make_account(db, "leser", scopes=["read"])
    from kosmos.accounts.tables import User
    from kosmos.chat import conversations

    conversations.add_members(db, db.get(User, anna.id), g, [reader.id])
    ws, conn, hello = connect(client, reader)
    assert hello["type"] == "hello"
    conn.send_text(
        json.dumps({"type": "send", "conversation_id": g, "text": "x", "client_id": "r"})
    )
    refused = next_of(conn, "error")
    assert refused["code"] == "insufficient_scope" and refused["client_id"] == "r"
    conn.send_text(json.dumps({"type": "read", "conversation_id": g, "message_id": 1}))
    assert next_of(conn, "error")["code"] == "insufficient_scope"
    send(client, anna, g, "für alle")
    assert next_of(conn, "message")["message"]["text"] == "für alle"  # listening is fine
    ws.__exit__(None, None, None)

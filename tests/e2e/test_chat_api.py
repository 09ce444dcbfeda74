"""Messenger API: conversations, members, messages, reactions, receipts, and who may do
what (one test per rule)."""

from __future__ import annotations

import pytest
from tests.support import make_account


@pytest.fixture
def cem(db):
    return make_account(db, "cem")


@pytest.fixture
def dora(db):
    return make_account(db, "dora")


def group(client, owner, *members, name="Grillfreunde"):
    r = client.post("/api/v1/chat/groups", headers=owner.headers,
                    json={"name": name, "member_ids": [m.id for m in members]})  # fmt: skip
    assert r.status_code == 201, r.text
    return r.json()


def send(client, who, conversation_id, text, **extra):
    return client.post(f"/api/v1/chat/conversations/{conversation_id}/messages",
                       headers=who.headers, json={"text": text, **extra})  # fmt: skip


def test_group_with_roles_and_the_chat_list_with_unread_and_preview(client, anna, ben, cem):
    g = group(client, anna, ben, cem)
    assert {m["username"]: m["role"] for m in g["members"]} == {
        "anna": "admin", "ben": "member", "cem": "member"}  # fmt: skip
    assert send(client, anna, g["id"], "Lass uns grillen :fire:").json()["text"] == (
        "Lass uns grillen 🔥"
    )
    send(client, anna, g["id"], "Samstag 18 Uhr?")
    listed = client.get("/api/v1/chat/conversations", headers=ben.headers).json()["items"]
    assert listed[0]["name"] == "Grillfreunde"
    assert listed[0]["unread"] == 2
    assert listed[0]["last_message"]["text"] == "Samstag 18 Uhr?"
    mine = client.get("/api/v1/chat/conversations", headers=anna.headers).json()["items"]
    assert mine[0]["unread"] == 0  # one's own messages are read


def test_chat_list_sorted_by_last_activity_with_pinned_first(client, frozen_clock, anna, ben, cem):
    first = group(client, anna, ben, name="Erste")
    second = group(client, anna, cem, name="Zweite")
    frozen_clock.advance(minutes=1)
    send(client, anna, first["id"], "neu")
    names = [c["name"] for c in client.get("/api/v1/chat/conversations",
                                          headers=anna.headers).json()["items"]]  # fmt: skip
    assert names == ["Erste", "Zweite"]
    client.put(f"/api/v1/chat/conversations/{second['id']}/settings", headers=anna.headers,
               json={"pinned": True})  # fmt: skip
    names = [c["name"] for c in client.get("/api/v1/chat/conversations",
                                          headers=anna.headers).json()["items"]]  # fmt: skip
    assert names == ["Zweite", "Erste"]


def test_direct_chat_is_one_per_pair_and_named_after_the_other(client, anna, ben):
    a = client.post("/api/v1/chat/direct", headers=anna.headers, json={"user_id": ben.id}).json()
    b = client.post("/api/v1/chat/direct", headers=ben.headers, json={"user_id": anna.id}).json()
    assert a["id"] == b["id"]
    assert a["name"] == "Ben" and b["name"] == "Anna"
    r = client.post("/api/v1/chat/direct", headers=anna.headers, json={"user_id": anna.id})
    assert r.status_code == 422


def test_mute_archive_and_unmute(client, anna, ben, frozen_clock):
    g = group(client, anna, ben)
    url = f"/api/v1/chat/conversations/{g['id']}/settings"
    r = client.put(url, headers=ben.headers, json={"muted_until": "2026-11-22T12:00:00+01:00"})
    assert r.json()["muted"] is True
    frozen_clock.advance(hours=3)
    assert client.get(f"/api/v1/chat/conversations/{g['id']}",
                      headers=ben.headers).json()["muted"] is False  # fmt: skip
    assert client.put(url, headers=ben.headers, json={"muted_forever": True}).json()["muted"]
    assert client.put(url, headers=ben.headers, json={"unmute": True}).json()["muted"] is False
    client.put(url, headers=ben.headers, json={"archived": True})
    assert client.get("/api/v1/chat/conversations", headers=ben.headers).json()["items"] == []
    archived = client.get("/api/v1/chat/conversations?archived=true", headers=ben.headers)
    assert [c["id"] for c in archived.json()["items"]] == [g["id"]]
    past = client.put(url, headers=ben.headers, json={"muted_until": "2026-11-01T12:00:00+01:00"})
    assert past.status_code == 422 and past.json()["errors"][0]["field"] == "muted_until"


def test_reply_edit_delete_and_reactions(client, anna, ben):
    g = group(client, anna, ben)
    original = send(client, anna, g["id"], "Wer bringt Kohle mit?").json()
    reply = send(client, ben, g["id"], "Ich!", reply_to_id=original["id"]).json()
    assert reply["reply_to"] == {"id": original["id"], "sender_name": "Anna",
                                 "text": "Wer bringt Kohle mit?", "deleted": False}  # fmt: skip
    edited = client.patch(f"/api/v1/chat/messages/{reply['id']}", headers=ben.headers,
                          json={"text": "Ich :+1:"}).json()  # fmt: skip
    assert edited["text"] == "Ich 👍" and edited["edited"] is True
    react = f"/api/v1/chat/messages/{original['id']}/reactions"
    client.post(react, headers=ben.headers, json={"emoji": "👍"})
    out = client.post(react, headers=anna.headers, json={"emoji": ":+1:"}).json()
    assert out["reactions"] == [{"emoji": "👍", "count": 2, "user_ids": [ben.id, anna.id]}]
    out = client.post(react, headers=ben.headers, json={"emoji": "👍"}).json()  # toggle off
    assert out["reactions"] == [{"emoji": "👍", "count": 1, "user_ids": [anna.id]}]
    bad = client.post(react, headers=ben.headers, json={"emoji": "nice"})
    assert bad.status_code == 422
    gone = client.delete(f"/api/v1/chat/messages/{original['id']}", headers=anna.headers).json()
    assert gone["deleted"] is True and gone["text"] == "" and gone["reactions"] == []
    history = client.get(f"/api/v1/chat/conversations/{g['id']}/messages",
                         headers=ben.headers).json()["items"]  # fmt: skip
    history = [m for m in history if m["sender"] is not None]  # not Kosmo's to-do card
    assert [m["deleted"] for m in history] == [True, False]  # the tombstone stays
    assert history[1]["reply_to"]["deleted"] is True


def test_history_pages_back_and_forward(client, anna, ben):
    g = group(client, anna, ben)
    ids = [send(client, anna, g["id"], f"m{i}").json()["id"] for i in range(7)]
    url = f"/api/v1/chat/conversations/{g['id']}/messages"
    newest = client.get(url, headers=ben.headers, params={"limit": 3}).json()
    assert [m["id"] for m in newest["items"]] == ids[4:]
    older = client.get(url, headers=ben.headers,
                       params={"limit": 3, "before": newest["before_cursor"]}).json()  # fmt: skip
    assert [m["id"] for m in older["items"]] == ids[1:4]
    oldest = client.get(url, headers=ben.headers,
                        params={"limit": 3, "before": older["before_cursor"]}).json()  # fmt: skip
    assert [m["id"] for m in oldest["items"]] == ids[:1] and oldest["before_cursor"] is None
    forward = client.get(url, headers=ben.headers, params={"limit": 4, "after": ids[0]}).json()
    assert [m["id"] for m in forward["items"]] == ids[1:5]
    assert forward["after_cursor"] == ids[4]


def test_search_within_a_chat(client, anna, ben):
    g = group(client, anna, ben)
    send(client, anna, g["id"], "Wir brauchen Grillkohle")
    send(client, ben, g["id"], "und Brötchen")
    send(client, anna, g["id"], "100% Grillkohle!")
    found = client.get(f"/api/v1/chat/conversations/{g['id']}/search", headers=ben.headers,
                       params={"q": "grillkohle"}).json()["items"]  # fmt: skip
    assert [m["text"] for m in found] == ["100% Grillkohle!", "Wir brauchen Grillkohle"]
    pct = client.get(f"/api/v1/chat/conversations/{g['id']}/search", headers=ben.headers,
                     params={"q": "100%"}).json()["items"]  # fmt: skip
    assert [m["text"] for m in pct] == ["100% Grillkohle!"]


def test_mentions_notify_the_mentioned_member(client, anna, ben, cem):
    g = group(client, anna, ben, cem)
    msg = send(client, anna, g["id"], "@ben bringst du Kohle? @nobody").json()
    assert msg["mentions"] == [ben.id]
    notes = client.get("/api/v1/chat/notifications", headers=ben.headers).json()["items"]
    assert notes[0]["kind"] == "mention" and notes[0]["message_id"] == msg["id"]
    cem_notes = client.get("/api/v1/chat/notifications", headers=cem.headers).json()["items"]
    assert [n["kind"] for n in cem_notes] == ["added"]


def test_read_receipts_move_forward_only(client, anna, ben):
    g = group(client, anna, ben)
    first = send(client, anna, g["id"], "eins").json()
    second = send(client, anna, g["id"], "zwei").json()
    url = f"/api/v1/chat/conversations/{g['id']}/read"
    r = client.post(url, headers=ben.headers, json={"delivered": second["id"]}).json()
    assert r["last_delivered_id"] == second["id"] and r["last_read_id"] == 0
    r = client.post(url, headers=ben.headers, json={"read": first["id"]}).json()
    assert r["last_read_id"] == first["id"]
    r = client.post(url, headers=ben.headers, json={"read": 1}).json()
    assert r["last_read_id"] == first["id"]
    listed = client.get("/api/v1/chat/conversations", headers=ben.headers).json()["items"]
    assert listed[0]["unread"] == 1


def test_invite_link_join_revoke_and_expiry(client, frozen_clock, anna, ben, cem, dora):
    g = group(client, anna, ben)
    url = f"/api/v1/chat/conversations/{g['id']}/invites"
    assert client.post(url, headers=ben.headers, json={}).status_code == 403  # admins only
    invite = client.post(url, headers=anna.headers,
                         json={"expires_at": "2026-11-23T10:00:00+01:00"}).json()  # fmt: skip
    joined = client.post("/api/v1/chat/join", headers=cem.headers, json={"token": invite["token"]})
    assert joined.status_code == 200 and joined.json()["id"] == g["id"]
    client.delete(f"{url}/{invite['id']}", headers=anna.headers)
    revoked = client.post(
        "/api/v1/chat/join", headers=dora.headers, json={"token": invite["token"]}
    )
    assert revoked.status_code == 404 and revoked.json()["code"] == "invite_invalid"
    other = client.post(url, headers=anna.headers,
                        json={"expires_at": "2026-11-22T11:00:00+01:00"}).json()  # fmt: skip
    frozen_clock.advance(hours=2)
    late = client.post("/api/v1/chat/join", headers=dora.headers, json={"token": other["token"]})
    assert late.status_code == 404 and late.json()["code"] == "invite_expired"


def test_poll_card_votes_round_trip(client, anna, ben, cem):
    g = group(client, anna, ben, cem)
    poll = client.post(f"/api/v1/chat/conversations/{g['id']}/polls", headers=anna.headers,
                       json={"question": "Wann?",
                             "options": ["Sa 18 Uhr", "So 12 Uhr"]})  # fmt: skip
    assert poll.status_code == 201, poll.text
    card = poll.json()["card"]
    assert card["title"] == "Wann?" and [b["label"] for b in card["buttons"]] == [
        "Sa 18 Uhr", "So 12 Uhr"]  # fmt: skip
    url = f"/api/v1/chat/messages/{poll.json()['id']}/actions"
    client.post(url, headers=ben.headers, json={"action": "vote", "value": "0"})
    client.post(url, headers=cem.headers, json={"action": "vote", "value": "1"})
    out = client.post(url, headers=cem.headers, json={"action": "vote", "value": "0"}).json()
    assert [t["count"] for t in out["card"]["tally"]] == [2, 0]  # cem moved his vote
    bad = client.post(url, headers=ben.headers, json={"action": "vote", "value": "9"})
    assert bad.status_code == 422


# --- who may do what ------------------------------------------------------------------------------


def test_only_members_read_or_post(client, anna, ben, cem):
    g = group(client, anna, ben)
    msg = send(client, anna, g["id"], "geheim").json()
    base = f"/api/v1/chat/conversations/{g['id']}"
    assert client.get(base, headers=cem.headers).status_code == 404
    assert client.get(f"{base}/messages", headers=cem.headers).status_code == 404
    assert client.get(f"{base}/search?q=geheim", headers=cem.headers).status_code == 404
    assert client.get(f"/api/v1/chat/messages/{msg['id']}", headers=cem.headers).status_code == 404
    assert send(client, cem, g["id"], "hallo").status_code == 404
    assert client.get(base, headers=ben.headers).status_code == 200


def test_a_removed_member_sees_nothing_sent_after_removal(client, anna, ben, cem):
    g = group(client, anna, ben, cem)
    before = send(client, anna, g["id"], "vorher").json()
    r = client.delete(f"/api/v1/chat/conversations/{g['id']}/members/{cem.id}",
                      headers=anna.headers)  # fmt: skip
    assert r.status_code == 204
    after = send(client, anna, g["id"], "nachher").json()
    history = client.get(f"/api/v1/chat/conversations/{g['id']}/messages",
                         headers=cem.headers).json()["items"]  # fmt: skip
    assert [m["id"] for m in history] == [before["id"]]
    assert (
        client.get(f"/api/v1/chat/messages/{after['id']}", headers=cem.headers).status_code == 404
    )
    listed = client.get("/api/v1/chat/conversations", headers=cem.headers).json()["items"]
    assert listed[0]["last_message"]["id"] == before["id"] and listed[0]["active"] is False
    assert send(client, cem, g["id"], "hallo?").status_code == 403


def test_non_members_cannot_react_edit_or_delete(client, anna, ben, cem):
    g = group(client, anna, ben)
    msg = send(client, anna, g["id"], "hallo").json()
    url = f"/api/v1/chat/messages/{msg['id']}"
    assert (
        client.post(f"{url}/reactions", headers=cem.headers, json={"emoji": "👍"}).status_code
        == 404
    )
    assert client.patch(url, headers=cem.headers, json={"text": "x"}).status_code == 404
    assert client.delete(url, headers=cem.headers).status_code == 404


def test_nobody_edits_or_deletes_another_members_message(client, anna, ben):
    g = group(client, anna, ben)
    msg = send(client, anna, g["id"], "meins").json()
    url = f"/api/v1/chat/messages/{msg['id']}"
    r = client.patch(url, headers=ben.headers, json={"text": "deins"})
    assert r.status_code == 403 and r.json()["code"] == "not_your_message"
    assert client.delete(url, headers=ben.headers).status_code == 403
    assert client.get(url, headers=ben.headers).json()["text"] == "meins"


def test_only_admins_manage_members(client, anna, ben, cem):
    g = group(client, anna, ben)
    base = f"/api/v1/chat/conversations/{g['id']}"
    assert client.post(f"{base}/members", headers=ben.headers,
                       json={"user_ids": [cem.id]}).status_code == 403  # fmt: skip
    assert client.delete(f"{base}/members/{anna.id}", headers=ben.headers).status_code == 403
    assert client.patch(base, headers=ben.headers, json={"name": "Meins"}).status_code == 403
    assert client.post(f"{base}/members", headers=anna.headers,
                       json={"user_ids": [cem.id]}).status_code == 200  # fmt: skip
    # ben leaves on his own
    assert client.delete(f"{base}/members/{ben.id}", headers=ben.headers).status_code == 204


def test_the_last_admin_leaving_hands_over(client, anna, ben):
    g = group(client, anna, ben)
    client.delete(f"/api/v1/chat/conversations/{g['id']}/members/{anna.id}", headers=anna.headers)
    members = client.get(f"/api/v1/chat/conversations/{g['id']}", headers=ben.headers).json()
    assert members["members"] == [m | {"role": "admin"} for m in members["members"]]


def test_bad_input_is_a_clear_422(client, anna, ben):
    g = group(client, anna, ben)
    empty = send(client, anna, g["id"], "   ")
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "text"
    long = send(client, anna, g["id"], "x" * 4001)
    assert long.status_code == 422 and long.json()["code"] == "too_long"
    noname = client.post("/api/v1/chat/groups", headers=anna.headers, json={"name": " "})
    assert noname.status_code == 422
    nobody = client.post("/api/v1/chat/groups", headers=anna.headers,
                         json={"name": "X", "member_ids": [999999]})  # fmt: skip
    assert nobody.status_code == 404


def test_retrying_with_the_same_client_id_posts_once(client, anna, ben):
    g = group(client, anna, ben)
    a = send(client, anna, g["id"], "einmal", client_id="c-1").json()
    b = send(client, anna, g["id"], "einmal", client_id="c-1").json()
    assert a["id"] == b["id"]
    history = client.get(f"/api/v1/chat/conversations/{g['id']}/messages",
                         headers=anna.headers).json()["items"]  # fmt: skip
    assert len(history) == 1


def test_sending_too_fast_is_rate_limited(client, anna, ben):
    g = group(client, anna, ben)
    codes = [send(client, anna, g["id"], f"spam {i}").status_code for i in range(25)]
    assert codes[:20] == [201] * 20
    assert 429 in codes[20:]


def _png(width=64, height=48) -> bytes:
    import io

    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret location")
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (255, 0, 0, 128)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def test_an_image_upload_is_shown_to_members_only(client, anna, ben, cem):
    g = group(client, anna, ben)
    url = f"/api/v1/chat/conversations/{g['id']}/attachments"
    up = client.post(url, headers=anna.headers, files={"file": ("grill.png", _png(), "image/png")})
    assert up.status_code == 201, up.text
    msg = send(client, anna, g["id"], "Unser Grill", attachment_id=up.json()["id"]).json()
    assert msg["kind"] == "image" and msg["image"]["width"] == 64
    full = client.get(msg["image"]["url"], headers=ben.headers)
    assert full.status_code == 200 and full.headers["content-type"] == "image/png"
    assert b"secret location" not in full.content
    assert client.get(msg["image"]["thumbnail_url"], headers=ben.headers).status_code == 200
    assert client.get(msg["image"]["url"], headers=cem.headers).status_code == 404
    pdf = client.post(url, headers=anna.headers,
                      files={"file": ("x.pdf", b"%PDF-1.7\n...", "image/png")})  # fmt: skip
    assert pdf.status_code == 415 and pdf.json()["errors"][0]["field"] == "file"
    outsider = client.post(url, headers=cem.headers, files={"file": ("a.png", _png(), "image/png")})
    assert outsider.status_code == 404


def test_a_phone_photo_of_a_few_megabytes_gets_through_the_body_limit(client, anna, ben):
    import io
    import os

    from PIL import Image

    g = group(client, anna, ben)
    noise = Image.frombytes("RGB", (1200, 900), os.urandom(1200 * 900 * 3))
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert len(out.getvalue()) > 2_000_000  # above the 1 MB limit for other requests
    up = client.post(f"/api/v1/chat/conversations/{g['id']}/attachments", headers=anna.headers,
                     files={"file": ("photo.png", out.getvalue(), "image/png")})  # fmt: skip
    assert up.status_code == 201, up.text
    assert up.json()["mime"] == "image/jpeg"  # an opaque photo is stored as JPEG


def test_a_group_avatar_is_an_image_uploaded_by_an_admin(client, anna, ben):
    g = group(client, anna, ben)
    assert g["avatar_url"] is None and g["initials"] == "G"
    up = client.post(f"/api/v1/chat/conversations/{g['id']}/attachments", headers=anna.headers,
                     files={"file": ("a.png", _png(), "image/png")}).json()  # fmt: skip
    url = f"/api/v1/chat/conversations/{g['id']}/avatar"
    assert client.put(url, headers=ben.headers, json={"attachment_id": up["id"]}).status_code == 403
    done = client.put(url, headers=anna.headers, json={"attachment_id": up["id"]}).json()
    assert done["avatar_url"].endswith(f"/{up['id']}/thumbnail")
    assert client.get(done["avatar_url"], headers=ben.headers).status_code == 200
    cleared = client.put(url, headers=anna.headers, json={"attachment_id": None}).json()
    assert cleared["avatar_url"] is None

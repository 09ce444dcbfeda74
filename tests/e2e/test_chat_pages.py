"""Chat pages: list, new group form (errors next to the field), conversation shell for
members only, invite link page, and the Content-Security-Policy on every page."""

from __future__ import annotations

from tests.support import page_login


def test_new_group_from_the_form_and_the_list_shows_it(client, db, anna, ben):
    from kosmos.accounts import friends
    from kosmos.accounts.tables import User

    friends.befriend(db, db.get(User, anna.id), db.get(User, ben.id))
    db.commit()
    token = page_login(client, "anna", anna.password)
    empty = client.post("/chats", data={"csrf_token": token, "name": "  "})
    assert empty.status_code == 422
    assert 'aria-invalid="true"' in empty.text and "Gib der Gruppe einen Namen." in empty.text
    form = {"csrf_token": token, "name": "Grillfreunde", "member_ids": [str(ben.id)]}
    made = client.post("/chats", data=form, follow_redirects=False)
    assert made.status_code == 303
    page = client.get(made.headers["location"])
    assert page.status_code == 200 and "Grillfreunde" in page.text
    listed = client.get("/chats")
    assert "Grillfreunde" in listed.text


def test_a_conversation_page_is_for_members_only(client, anna, ben, db):
    from kosmos.accounts.tables import User
    from kosmos.chat import conversations

    group = conversations.create_group(db, db.get(User, anna.id), name="Privat", member_ids=[])
    page_login(client, "ben", ben.password)
    assert client.get(f"/chats/{group.id}").status_code == 404
    assert client.get("/chats/99999999999").status_code == 404


def test_joining_by_invite_link_page(client, anna, ben, db):
    from kosmos.accounts.tables import User
    from kosmos.chat import conversations

    group = conversations.create_group(db, db.get(User, anna.id), name="Offen", member_ids=[])
    _invite, raw = conversations.create_invite(db, db.get(User, anna.id), group.id)
    token = page_login(client, "ben", ben.password)
    shown = client.get(f"/chats/join/{raw}")
    assert "Offen" in shown.text
    joined = client.post(f"/chats/join/{raw}", data={"csrf_token": token}, follow_redirects=False)
    assert joined.headers["location"] == f"/chats/{group.id}"
    bad = client.post("/chats/join/not-a-real-token", data={"csrf_token": token})
    assert bad.status_code == 404 and "nicht (mehr) gültig" in bad.text


def test_pages_carry_a_content_security_policy_without_inline_code(client, anna):
    page_login(client, "anna", anna.password)
    for path in ("/chats", "/wallet", "/profile", "/friends", "/search"):
        response = client.get(path)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "onchange=" not in response.text and "style=" not in response.text, path


def test_mentions_show_in_the_notification_list_until_marked_read(client, db, anna, ben):
    from kosmos.accounts.tables import User
    from kosmos.chat import conversations, messages, notifications

    a, b = db.get(User, anna.id), db.get(User, ben.id)
    group = conversations.create_group(db, a, name="Grillfreunde", member_ids=[b.id])
    messages.send_message(db, a, group.id, text="@ben bringst du Kohle mit?")
    token = page_login(client, "ben", ben.password)
    page = client.get("/chats")
    assert "Du wurdest erwähnt:" in page.text and "bringst du Kohle mit?" in page.text
    assert "Alle als gelesen markieren" in page.text
    newest = notifications.list_notifications(db, b)[0].id
    client.post("/chats/notifications/read", data={"csrf_token": token, "up_to_id": newest})
    assert "Alle als gelesen markieren" not in client.get("/chats").text

"""Households and friends through the API."""


def _befriend(client, inviter, invitee):
    invite = client.post("/api/v1/friends/invites", headers=inviter.headers)
    assert invite.status_code == 201
    accepted = client.post(
        "/api/v1/friends/accept", headers=invitee.headers, json={"code": invite.json()["code"]}
    )
    assert accepted.status_code == 201
    return invite.json()


def test_friend_invite_by_code_makes_both_friends(client, anna, ben):
    invite = _befriend(client, anna, ben)
    assert invite["link"].endswith(f"/friends/invite/{invite['code']}")
    assert [
        f["user"]["username"]
        for f in client.get("/api/v1/friends", headers=anna.headers).json()["items"]
    ] == ["ben"]
    assert [
        f["user"]["username"]
        for f in client.get("/api/v1/friends", headers=ben.headers).json()["items"]
    ] == ["anna"]


def test_an_invite_is_single_use(client, anna, ben, db):
    from tests.support import make_account

    cem = make_account(db, "cem")
    invite = _befriend(client, anna, ben)
    again = client.post(
        "/api/v1/friends/accept", headers=cem.headers, json={"code": invite["code"]}
    )
    assert again.status_code == 404
    assert again.json()["code"] == "invite_invalid"


def test_own_invite_cannot_be_accepted(client, anna):
    invite = client.post("/api/v1/friends/invites", headers=anna.headers).json()
    response = client.post(
        "/api/v1/friends/accept", headers=anna.headers, json={"code": invite["code"]}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "self_friendship"


def test_expired_invite_is_refused(client, anna, ben, frozen_clock):
    invite = client.post("/api/v1/friends/invites", headers=anna.headers).json()
    frozen_clock.advance(days=7, seconds=1)
    response = client.post(
        "/api/v1/friends/accept", headers=ben.headers, json={"code": invite["code"]}
    )
    assert response.status_code == 404


def test_remove_friend(client, anna, ben):
    _befriend(client, anna, ben)
    assert client.delete(f"/api/v1/friends/{ben.id}", headers=anna.headers).status_code == 204
    assert client.get("/api/v1/friends", headers=ben.headers).json()["items"] == []


def test_household_with_a_friend(client, anna, ben):
    _befriend(client, anna, ben)
    created = client.post(
        "/api/v1/households", headers=anna.headers, json={"name": "WG Lindenstraße"}
    )
    hid = created.json()["id"]
    added = client.post(
        f"/api/v1/households/{hid}/members", headers=anna.headers, json={"username": "ben"}
    )
    assert added.status_code == 201
    assert [m["user"]["username"] for m in added.json()["members"]] == ["anna", "ben"]
    mine = client.get("/api/v1/households/mine", headers=ben.headers).json()
    assert mine["name"] == "WG Lindenstraße"


def test_only_friends_can_be_added_to_a_household(client, anna, ben):
    hid = client.post("/api/v1/households", headers=anna.headers, json={"name": "WG"}).json()["id"]
    response = client.post(
        f"/api/v1/households/{hid}/members", headers=anna.headers, json={"username": "ben"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "not_a_friend"
    members = client.get(f"/api/v1/households/{hid}", headers=anna.headers).json()["members"]
    assert len(members) == 1


def test_a_member_may_leave_and_the_last_one_out_closes_the_household(client, anna, ben):
    _befriend(client, anna, ben)
    hid = client.post("/api/v1/households", headers=anna.headers, json={"name": "WG"}).json()["id"]
    client.post(f"/api/v1/households/{hid}/members", headers=anna.headers, json={"username": "ben"})
    assert (
        client.delete(
            f"/api/v1/households/{hid}/members/{anna.id}", headers=anna.headers
        ).status_code
        == 204
    )
    # ben, the longest remaining member, becomes admin
    members = client.get(f"/api/v1/households/{hid}", headers=ben.headers).json()["members"]
    assert [(m["user"]["username"], m["role"]) for m in members] == [("ben", "admin")]
    assert (
        client.delete(f"/api/v1/households/{hid}/members/{ben.id}", headers=ben.headers).status_code
        == 204
    )
    assert client.get("/api/v1/households/mine", headers=ben.headers).status_code == 404


def test_a_plain_member_cannot_remove_others(client, db, anna, ben):
    from tests.support import make_account

    cem = make_account(db, "cem")
    _befriend(client, anna, ben)
    _befriend(client, anna, cem)
    hid = client.post("/api/v1/households", headers=anna.headers, json={"name": "WG"}).json()["id"]
    for name in ("ben", "cem"):
        client.post(
            f"/api/v1/households/{hid}/members", headers=anna.headers, json={"username": name}
        )
    response = client.delete(f"/api/v1/households/{hid}/members/{cem.id}", headers=ben.headers)
    assert response.status_code == 403
    assert len(client.get(f"/api/v1/households/{hid}", headers=anna.headers).json()["members"]) == 3

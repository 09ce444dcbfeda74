"""Appointments and ratings through the chat: Kosmo offers the nearest free slots of the
salon, the one who asked books one (calendar file, cancel until 24 h before), a slot taken
meanwhile is a 409 with the next free ones; a rating becomes the sender's review of the
merchant (a second one edits it), shown with the average on the reviews page and API."""

from __future__ import annotations

import pytest
from icalendar import Calendar
from sqlalchemy import func, select
from tests.e2e.test_assistant_story import card_of, chat, people, press, say  # noqa: F401
from tests.support import make_account, page_login

import kosmos.assistant.booking  # noqa: F401 - registers the skill
import kosmos.assistant.reviewing  # noqa: F401 - registers the skill
from kosmos.assistant import booking
from kosmos.assistant.tables_bookings import Booking, BookingSlot, Review, Service
from kosmos.catalog.tables import Merchant


@pytest.fixture
def salon(db, people):  # noqa: F811
    booking.seed_services(db)
    assert booking.seed_services(db) == 0  # idempotent
    return db.scalar(select(Merchant).where(Merchant.slug == "salon-haarmonie"))


def labels(card):
    return [b["label"] for b in card["buttons"]]


def button(card, label):
    return next(b for b in card["buttons"] if b["label"] == label)


def book(client, who, message, label):
    b = button(message["card"], label)
    return press(client, who, message["id"], b["action"], b["value"])


def test_seed_services_gives_the_salon_its_services(db, salon):
    services = db.scalars(select(Service).where(Service.merchant_id == salon.id)
                          .order_by(Service.id)).all()  # fmt: skip
    assert [(s.name, s.duration_minutes) for s in services] == [
        ("Haarschnitt", 30), ("Färben", 90), ("Bart", 15)]  # fmt: skip


def test_booking_through_the_chat(client, db, people, chat, salon, frozen_clock):  # noqa: F811
    anna, ben, cem = people["anna"], people["ben"], people["cem"]
    outsider = make_account(db, "zoe")
    db.commit()
    say(client, anna, chat, "Termin beim Friseur Dienstag 10 Uhr")
    offer = card_of(client, ben, chat, "booking_offer")
    assert offer["card"]["title"] == "Termin: Haarschnitt · Salon Haarmonie"
    assert labels(offer["card"]) == ["Di 24.11., 10:00", "Di 24.11., 09:30", "Di 24.11., 10:30",
                                     "Verwerfen"]  # fmt: skip
    fields = {f["label"]: f["value"] for f in offer["card"]["fields"]}
    assert fields["Leistung"] == "Haarschnitt · 30 Min. · 28,00\xa0€"
    assert fields["Wo"] == "Salon Haarmonie, Lindenstraße 21"

    # another member cannot book from anna's card
    refused = book(client, ben, offer, "Di 24.11., 10:00")
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "not_yours"
    assert refused.headers["content-type"].startswith("application/problem+json")

    booked = book(client, anna, offer, "Di 24.11., 10:00")
    assert booked.status_code == 200, booked.text
    card = booked.json()["card"]
    assert card["type"] == "booking"
    assert {f["label"]: f["value"] for f in card["fields"]}["Wann"] == "Di 24.11., 10:00 bis 10:30"
    assert card["note"] == "✓ Gebucht für Anna Schmidt"
    assert labels(card) == ["Stornieren"]
    booking_id = card["ref"]["booking"]
    db.rollback()  # a fresh snapshot: the request committed in its own session
    row = db.get(Booking, booking_id)
    assert row.starts_at.isoformat() == "2026-11-24T09:00:00+00:00"
    assert row.user_id == anna.id and row.status == "booked"
    # the card is decided: pressing again is refused
    again = book(client, anna, offer, "Di 24.11., 09:30")
    assert again.status_code == 422

    # the calendar file: members of the chat and anna, nobody else
    ics = client.get(card["links"][0]["url"], headers=cem.headers)
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    [vevent] = Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(vevent["summary"]) == "Haarschnitt · Salon Haarmonie"
    assert vevent.decoded("dtstart").isoformat() == "2026-11-24T09:00:00+00:00"
    assert vevent.decoded("dtend").isoformat() == "2026-11-24T09:30:00+00:00"
    assert "Lindenstraße 21" in str(vevent["location"])
    assert client.get(card["links"][0]["url"], headers=outsider.headers).status_code == 404
    api = client.get(f"/api/v1/assistant/bookings/{booking_id}", headers=outsider.headers)
    assert api.status_code == 404
    api = client.get(f"/api/v1/assistant/bookings/{booking_id}", headers=ben.headers).json()
    assert (api["status"], api["start"], api["cancellable"]) == (
        "booked", "2026-11-24T09:00:00+00:00", True)  # fmt: skip

    # the same request by ben: 10:00 is taken, the nearest free ones are offered
    say(client, ben, chat, "Termin beim Friseur Dienstag 10 Uhr")
    offer_ben = card_of(client, ben, chat, "booking_offer")
    assert offer_ben["id"] != offer["id"]
    assert labels(offer_ben["card"])[:3] == ["Di 24.11., 09:30", "Di 24.11., 10:30",
                                             "Di 24.11., 09:00"]  # fmt: skip
    assert "nicht frei" in offer_ben["card"]["note"]

    # a slot taken meanwhile: 409 with the next free ones, and the card is refreshed
    say(client, cem, chat, "Termin beim Friseur Dienstag 10 Uhr")
    offer_cem = card_of(client, cem, chat, "booking_offer")
    assert book(client, ben, offer_ben, "Di 24.11., 09:30").status_code == 200
    taken = book(client, cem, offer_cem, "Di 24.11., 09:30")
    assert taken.status_code == 409, taken.text
    problem = taken.json()
    assert problem["code"] == "slot_taken"
    assert problem["slots"][:2] == ["2026-11-24T09:30:00+00:00", "2026-11-24T08:00:00+00:00"]
    refreshed = card_of(client, cem, chat, "booking_offer")
    assert refreshed["id"] == offer_cem["id"]
    assert labels(refreshed["card"])[:3] == ["Di 24.11., 10:30", "Di 24.11., 09:00",
                                             "Di 24.11., 11:00"]  # fmt: skip
    assert "inzwischen vergeben" in refreshed["card"]["note"]
    assert book(client, cem, refreshed, "Di 24.11., 10:30").status_code == 200

    # cancel: only the one who booked, before the cut-off
    assert press(client, ben, booked.json()["id"], "cancel", str(booking_id)).status_code == 403
    cancelled = press(client, anna, booked.json()["id"], "cancel", str(booking_id))
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["card"]["note"] == "Storniert"
    assert cancelled.json()["card"]["buttons"] == []
    db.rollback()
    assert db.get(Booking, booking_id).status == "cancelled"
    assert db.scalar(select(func.count()).select_from(BookingSlot)
                     .where(BookingSlot.booking_id == booking_id)) == 0  # fmt: skip
    ics = client.get(f"/assistant/bookings/{booking_id}.ics", headers=anna.headers)
    assert "STATUS:CANCELLED" in ics.text

    # the freed slot can be booked again
    say(client, anna, chat, "Termin beim Friseur Dienstag 10 Uhr")
    again = card_of(client, anna, chat, "booking_offer")
    assert labels(again["card"])[0] == "Di 24.11., 10:00"

    # after the cut-off (less than 24 h before) cancelling is refused with a clear 409
    db.rollback()
    ben_booking = db.scalar(select(Booking).where(Booking.user_id == ben.id))
    frozen_clock.advance(hours=23, minutes=45)  # Monday 09:45, ben's slot is Tue 09:30
    late = client.post(f"/api/v1/assistant/bookings/{ben_booking.id}/cancel", headers=ben.headers)
    assert late.status_code == 409, late.text
    assert late.json()["code"] == "cancel_cutoff_passed"
    assert "24 hours" in late.json()["detail"]
    # and a member who is not the owner gets 403 through the API
    other = client.post(f"/api/v1/assistant/bookings/{ben_booking.id}/cancel",
                        headers=anna.headers)  # fmt: skip
    assert other.status_code == 403


def test_dismiss_and_unknown_places(client, people, chat, salon):  # noqa: F811
    anna, ben = people["anna"], people["ben"]
    say(client, anna, chat, "Termin beim Metzger Dienstag 10 Uhr")
    card = card_of(client, ben, chat, "booking_offer")["card"]
    assert card["note"] == "Bei Metzgerei Huber kann man über Kosmo keine Termine buchen."
    assert card["buttons"] == []
    say(client, anna, chat, "Termin bei Schuster Meier Dienstag 10 Uhr")
    card = card_of(client, ben, chat, "booking_offer")["card"]
    assert card["note"] == "Ich kenne kein Geschäft „Schuster Meier“."
    assert card["buttons"] == []

    say(client, anna, chat, "Bart bei Salon Haarmonie Dienstag 10 Uhr")
    offer = card_of(client, ben, chat, "booking_offer")
    assert offer["card"]["title"] == "Termin: Bart · Salon Haarmonie"
    assert labels(offer["card"])[:3] == ["Di 24.11., 10:00", "Di 24.11., 09:45",
                                         "Di 24.11., 10:15"]  # fmt: skip
    assert book(client, ben, offer, "Verwerfen").status_code == 403
    r = book(client, anna, offer, "Verwerfen")
    assert r.status_code == 200
    assert r.json()["card"]["buttons"] == [] and r.json()["card"]["note"].startswith("Verworfen")


def test_booking_in_english_finds_the_salon_by_the_service(client, people, chat, salon):  # noqa: F811
    anna = people["anna"]
    say(client, anna, chat, "book a haircut Tuesday 10am")
    offer = card_of(client, anna, chat, "booking_offer")
    assert offer["card"]["title"] == "Appointment: Haarschnitt · Salon Haarmonie"
    assert labels(offer["card"])[0] == "Tue 24 Nov, 10:00"
    r = book(client, anna, offer, "Tue 24 Nov, 10:00")
    assert r.json()["card"]["note"] == "✓ Booked for Anna Schmidt"


def test_slots_and_services_api_and_bad_input(client, people, salon):  # noqa: F811
    anna = people["anna"]
    services = client.get(f"/api/v1/assistant/merchants/{salon.id}/services",
                          headers=anna.headers).json()["items"]  # fmt: skip
    cut = services[0]
    r = client.get(
        f"/api/v1/assistant/merchants/{salon.id}/slots",
        params={"service_id": cut["id"], "day": "2026-11-24"},
        headers=anna.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["slots"][0] == "2026-11-24T08:00:00+00:00" and len(r.json()["slots"]) == 19
    monday = client.get(f"/api/v1/assistant/merchants/{salon.id}/slots",
                        params={"service_id": cut["id"], "day": "2026-11-23"},
                        headers=anna.headers)  # fmt: skip
    assert monday.json()["slots"] == []
    for params, status in [
        ({"service_id": cut["id"], "day": "gestern"}, 422),
        ({"service_id": cut["id"], "day": "2030-01-01"}, 422),
        ({"service_id": 999999, "day": "2026-11-24"}, 404),
        ({"day": "2026-11-24"}, 422),
    ]:
        bad = client.get(f"/api/v1/assistant/merchants/{salon.id}/slots", params=params,
                         headers=anna.headers)  # fmt: skip
        assert bad.status_code == status, (params, bad.text)
        assert bad.headers["content-type"].startswith("application/problem+json")
    assert client.get("/api/v1/assistant/bookings/999999", headers=anna.headers).status_code == 404
    assert client.get("/assistant/bookings/999999.ics", headers=anna.headers).status_code == 404
    assert client.post("/api/v1/assistant/bookings/0/cancel", headers=anna.headers
                       ).status_code == 422  # fmt: skip


# --- ratings ------------------------------------------------------------------------------


def test_rating_through_the_chat(client, db, people, chat):  # noqa: F811
    anna, ben, cem = people["anna"], people["ben"], people["cem"]
    huber = db.scalar(select(Merchant).where(Merchant.slug == "metzgerei-huber"))
    say(client, anna, chat, "Die Metzgerei Huber war super, 5 Sterne")
    card = card_of(client, ben, chat, "rating_proposal")
    assert card["card"]["title"] == "Bewertung für Metzgerei Huber"
    assert {f["label"]: f["value"] for f in card["card"]["fields"]} == {
        "Sterne": "★★★★★ 5/5", "Kommentar": "super"}  # fmt: skip
    assert labels(card["card"]) == ["Bestätigen", "Verwerfen"]
    value = card["card"]["buttons"][0]["value"]
    assert press(client, ben, card["id"], "confirm", value).status_code == 403
    done = press(client, anna, card["id"], "confirm", value)
    assert done.status_code == 200, done.text
    assert done.json()["card"]["note"] == "✓ Bewertung gespeichert · Ø 5,0 aus 1"

    # a second rating edits the first
    say(client, anna, chat, "Die Metzgerei Huber war so lala, 3 Sterne")
    card = card_of(client, anna, chat, "rating_proposal")
    assert card["card"]["note"] == "Ersetzt deine Bewertung (★★★★★ 5/5)."
    done = press(client, anna, card["id"], "confirm", card["card"]["buttons"][0]["value"])
    assert done.json()["card"]["note"] == "✓ Bewertung geändert · Ø 3,0 aus 1"
    db.rollback()
    mine = db.scalars(select(Review).where(Review.user_id == anna.id)).all()
    assert [(r.stars, r.comment) for r in mine] == [(3, "so lala")]

    # "der Metzger" maps by kind
    say(client, ben, chat, "Der Metzger war gut, 4 Sterne")
    card = card_of(client, ben, chat, "rating_proposal")
    assert card["card"]["title"] == "Bewertung für Metzgerei Huber"
    done = press(client, ben, card["id"], "confirm", card["card"]["buttons"][0]["value"])
    assert done.json()["card"]["note"] == "✓ Bewertung gespeichert · Ø 3,5 aus 2"

    # an unknown merchant: said so, no Confirm, nothing invented
    say(client, anna, chat, "Die Metzgerei Müller war super, 5 Sterne")
    card = card_of(client, anna, chat, "rating_proposal")
    assert card["card"]["buttons"] == []
    assert (
        card["card"]["note"] == "Ich kenne kein Geschäft „Metzgerei Müller“ – nichts gespeichert."
    )

    # the API: average, count, list; PUT mine creates and then edits
    url = f"/api/v1/assistant/merchants/{huber.id}/reviews"
    got = client.get(url, headers=cem.headers).json()
    assert (got["average"], got["count"]) == (3.5, 2)
    assert {(i["user"], i["stars"]) for i in got["items"]} == {("Anna Schmidt", 3),
                                                               ("Ben Müller", 4)}  # fmt: skip
    put = client.put(f"{url}/mine", headers=cem.headers, json={"stars": 5, "comment": "Top"})
    assert put.status_code == 200, put.text
    assert (put.json()["created"], put.json()["average"], put.json()["count"]) == (True, 4.0, 3)
    put = client.put(f"{url}/mine", headers=cem.headers, json={"stars": 2, "comment": None})
    assert (put.json()["created"], put.json()["average"], put.json()["count"]) == (False, 3.0, 3)
    got = client.get(url, headers=cem.headers).json()
    assert [i for i in got["items"] if i["mine"]][0]["stars"] == 2

    # the page
    page = client.get("/merchants/metzgerei-huber/reviews")
    assert page.status_code == 200
    assert 'data-average="3.0" data-count="3"' in page.text
    assert "so lala" in page.text and "Ben Müller" in page.text
    # and the average on the merchant's own page
    merchant_page = client.get("/merchants/metzgerei-huber")
    assert "★ 3,0 · 3 Bewertungen" in merchant_page.text


def test_reviews_bad_input(client, db, people):  # noqa: F811
    anna = people["anna"]
    huber = db.scalar(select(Merchant).where(Merchant.slug == "metzgerei-huber"))
    url = f"/api/v1/assistant/merchants/{huber.id}/reviews/mine"
    for body in [{"stars": 0}, {"stars": 6}, {"stars": "fünf"}, {"stars": 4, "comment": "x" * 1001},
                 {"stars": 4, "extra": 1}, {}]:  # fmt: skip
        r = client.put(url, headers=anna.headers, json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    assert client.put("/api/v1/assistant/merchants/999999/reviews/mine", headers=anna.headers,
                      json={"stars": 4}).status_code == 404  # fmt: skip
    assert client.get("/api/v1/assistant/merchants/999999/reviews",
                      headers=anna.headers).status_code == 404  # fmt: skip
    assert client.get(f"/api/v1/assistant/merchants/{huber.id}/reviews").status_code == 401
    assert client.get("/merchants/nope/reviews").status_code == 404
    empty = client.get("/merchants/metzgerei-huber/reviews")
    assert empty.status_code == 200 and "data-count" not in empty.text


def test_merchant_matching_never_invents_a_merchant():
    from kosmos.assistant.reviewing import match_merchant

    merchants = [(1, "Metzgerei Huber", "butcher"), (2, "Pizzeria Da Luigi", "restaurant"),
                 (3, "Burgerwerk", "restaurant"), (4, "Salon Haarmonie", "hair_salon"),
                 (5, "Bäckerei Brandl", "bakery")]  # fmt: skip
    assert match_merchant("Metzgerei Huber", merchants) == 1
    assert match_merchant("Metzgerei Hubr", merchants) == 1  # a typo
    assert match_merchant("Metzgerei Müller", merchants) is None
    assert match_merchant("Bäckerei Huber", merchants) is None  # a name of another kind
    assert match_merchant("Metzger", merchants) == 1
    assert match_merchant("Luigi", merchants) == 2
    assert match_merchant("Pizzeria", merchants) == 2
    assert match_merchant("Restaurant", merchants) is None  # two fit: no guess
    assert match_merchant("Friseur", merchants) == 4
    assert match_merchant("Salon Haarmonie", merchants) == 4
    assert match_merchant("hair salon", merchants) == 4
    assert match_merchant("Burgerwerk", merchants) == 3
    assert match_merchant("", merchants) is None
    assert match_merchant("Schuster Meier", merchants) is None


def test_review_form_on_the_page(client, db, people):  # noqa: F811
    token = page_login(client, "anna", "grillen-anna-2026")
    url = "/merchants/pizzeria-da-luigi/reviews"
    page = client.get(url)
    assert page.status_code == 200 and 'name="stars"' in page.text
    bad = client.post(url, data={"stars": "9", "comment": "", "csrf_token": token})
    assert bad.status_code == 422 and 'class="field-error"' in bad.text
    no_csrf = client.post(url, data={"stars": "4", "comment": "lecker"})
    assert no_csrf.status_code == 403
    ok = client.post(url, data={"stars": "4", "comment": "lecker", "csrf_token": token},
                     follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303, ok.text
    page = client.get(url)
    assert 'data-average="4.0" data-count="1"' in page.text and "lecker" in page.text
    assert 'value="4" checked' in page.text  # the form shows the user's own review to edit

"""Kosmo's appointments skill: "Termin beim Friseur Dienstag 10 Uhr" becomes a card that
offers the nearest free slots as buttons; the one who asked presses one and it is booked
for them (a booking card with a calendar file and a Cancel button, which works until
`slots.CANCEL_CUTOFF` before the start).

The offer card is not a proposal card (which has one Confirm): its ref is
{"skill": "booking", "offer": proposal_id} and its buttons ("book" with the slot's UTC
start as value, one per slot, and "dismiss") come to `press` through
`registry.button_handler("booking")`. A slot taken meanwhile answers 409 `slot_taken`
with the next free slots in `slots`, and the card is rewritten with them (that rewrite
commits before the error is raised, so the chat sees it).

A store serves one customer at a time; a merchant's bookings go to its first store.
Double bookings are impossible in the database: see `tables_bookings`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from rapidfuzz import fuzz
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.assistant import cards, registry, reviewing, slots
from kosmos.assistant.registry import Skill
from kosmos.assistant.tables import Proposal
from kosmos.assistant.tables_bookings import Booking, BookingSlot, Service
from kosmos.catalog.demo.merchants import SALON
from kosmos.catalog.search_text import words
from kosmos.catalog.tables import Merchant, Store
from kosmos.chat.conversations import membership
from kosmos.chat.tables import Message
from kosmos.errors import Conflict, Forbidden, Invalid, NotFound

SKILL = "booking"
GENERIC_SERVICE = {"termin", "appointment", "booking", "buchung", "slot"}

SEED_SERVICES: dict[str, list[dict[str, Any]]] = {
    SALON: [
        {"name": "Haarschnitt", "duration_minutes": 30, "price_cents": 2800,
         "slot_step_minutes": 30,
         "keywords": "haircut cut schnitt schneiden herrenhaarschnitt damenhaarschnitt"},
        {"name": "Färben", "duration_minutes": 90, "price_cents": 6900,
         "slot_step_minutes": 30, "keywords": "farbe colour color colouring coloring dye tonung"},
        {"name": "Bart", "duration_minutes": 15, "price_cents": 1500, "slot_step_minutes": 15,
         "keywords": "bartschnitt beard barber trim rasur"},
    ],
}  # fmt: skip

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Termin: {service} · {merchant}", "title_plain": "Termin",
        "service": "Leistung", "where": "Wo", "asked": "Gewünscht", "when": "Wann",
        "for": "Für", "minutes": "{n} Min.", "dismiss": "Verwerfen", "cancel": "Stornieren",
        "ics": "Kalender (.ics)", "pick": "Wähle einen Termin:",
        "alternatives": "{asked} ist nicht frei – die nächsten freien Termine:",
        "taken": "Der Termin {when} ist inzwischen vergeben – die nächsten freien Termine:",
        "none_free": "Keine freien Termine in den zwei Wochen um {asked}.",
        "unknown_merchant": "Ich kenne kein Geschäft „{said}“.",
        "which_merchant": "Bei welchem Geschäft? Sag zum Beispiel „beim Friseur“.",
        "no_services": "Bei {merchant} kann man über Kosmo keine Termine buchen.",
        "unknown_service": "{merchant} bietet: {services}.",
        "booked": "✓ Gebucht für {who}", "cancelled": "Storniert",
        "dismissed": "Verworfen von {who}", "only_author": "Nur {who} kann das buchen.",
        "only_owner": "Nur {who} kann diese Buchung stornieren.",
    },
    "en": {
        "title": "Appointment: {service} · {merchant}", "title_plain": "Appointment",
        "service": "Service", "where": "Where", "asked": "Asked for", "when": "When",
        "for": "For", "minutes": "{n} min", "dismiss": "Dismiss", "cancel": "Cancel",
        "ics": "Calendar (.ics)", "pick": "Pick a time:",
        "alternatives": "{asked} is not free – the nearest free times:",
        "taken": "{when} was just taken – the nearest free times:",
        "none_free": "No free times in the two weeks around {asked}.",
        "unknown_merchant": "I don't know a shop called “{said}”.",
        "which_merchant": "At which shop? Say e.g. “at the hair salon”.",
        "no_services": "{merchant} takes no appointments through Kosmo.",
        "unknown_service": "{merchant} offers: {services}.",
        "booked": "✓ Booked for {who}", "cancelled": "Cancelled",
        "dismissed": "Dismissed by {who}", "only_author": "Only {who} can book this.",
        "only_owner": "Only {who} can cancel this booking.",
    },
}  # fmt: skip


def t(locale: str, key: str, **values: Any) -> str:
    return TEXTS["en" if locale == "en" else "de"][key].format(**values)


class SlotTaken(Conflict):
    code = "slot_taken"
    title = "Slot taken"


# --- seed -----------------------------------------------------------------------------------


def seed_services(session: Session) -> int:
    """Create the demo merchants' bookable services that are missing; returns how many
    were created. Commits. Safe to run again."""
    created = 0
    for slug, services in SEED_SERVICES.items():
        merchant = session.scalar(select(Merchant).where(Merchant.slug == slug))
        if merchant is None:
            continue
        have = set(session.scalars(select(Service.name).where(Service.merchant_id == merchant.id)))
        for spec in services:
            if spec["name"] in have:
                continue
            session.add(Service(merchant_id=merchant.id, currency="EUR", active=True,
                                created_at=clock.now(), **spec))  # fmt: skip
            created += 1
    session.commit()
    return created


# --- lookups --------------------------------------------------------------------------------


def services_of(session: Session, merchant_id: int) -> list[Service]:
    return list(
        session.scalars(
            select(Service)
            .where(Service.merchant_id == merchant_id, Service.active.is_(True))
            .order_by(Service.id)
        )
    )


def _vocabulary(service: Service) -> set[str]:
    return set(words(service.name)) | set(words(service.keywords))


def find_service(services: list[Service], said: str | None) -> Service | None:
    """The service named ("Haarschnitt", "haircut", a typo of either); "Termin" or nothing
    means the merchant's first service."""
    said_words = [w for w in words(said or "") if w not in reviewing.STOP_WORDS]
    if not said_words or set(said_words) <= GENERIC_SERVICE:
        return services[0] if services else None
    best: tuple[float, Service | None] = (0.0, None)
    for service in services:
        vocabulary = _vocabulary(service)
        for word in said_words:
            for known in vocabulary:
                score = fuzz.ratio(word, known)
                if len(known) >= 4 and (word.startswith(known) or word.endswith(known)):
                    score = max(score, 90.0)
                if score > best[0]:
                    best = (score, service)
    return best[1] if best[0] >= 85 else None


def _merchant_by_service(session: Session, said: str | None) -> Merchant | None:
    """No merchant named: the one merchant offering the service named, if just one."""
    said_words = [w for w in words(said or "") if w not in GENERIC_SERVICE]
    if not said_words:
        return None
    services = list(session.scalars(select(Service).where(Service.active.is_(True))))
    merchant_ids = {s.merchant_id for s in services if find_service([s], said) is not None}
    return session.get(Merchant, merchant_ids.pop()) if len(merchant_ids) == 1 else None


def store_of(session: Session, merchant_id: int) -> Store | None:
    return session.scalar(select(Store).where(Store.merchant_id == merchant_id).order_by(Store.id))


def busy(session: Session, store_id: int, start: datetime, end: datetime
         ) -> list[tuple[datetime, datetime]]:  # fmt: skip
    rows = session.execute(
        select(Booking.starts_at, Booking.ends_at).where(
            Booking.store_id == store_id,
            Booking.status == "booked",
            Booking.starts_at < end,
            Booking.ends_at > start,
        )  # fmt: skip
    ).all()
    return [(a, b) for a, b in rows]


def hours_of(store: Store) -> slots.Hours:
    try:
        return slots.parse_hours(store.opening_hours)
    except slots.SlotRuleError:
        return {}  # unreadable hours: nothing to book


def offers(session: Session, service: Service, store: Store, requested: datetime,
           count: int = 3) -> list[datetime]:  # fmt: skip
    """The free starts nearest to `requested` (UTC), nearest first."""
    low, high = slots.window(requested)
    return slots.nearest_free(
        requested, hours_of(store), duration=service.duration_minutes,
        step=service.slot_step_minutes, busy=busy(session, store.id, low, high),
        not_before=clock.now() + slots.MIN_LEAD, count=count,
    )  # fmt: skip


# --- use cases ------------------------------------------------------------------------------


def book(session: Session, user: User, service: Service, store: Store, start: datetime, *,
         conversation_id: int | None = None, card_message_id: int | None = None,
         locale: str = "de") -> Booking:  # fmt: skip
    """Book `start` for the user. Raises SlotTaken (409) when it is no longer free and
    Invalid when it is no start of this service at all. The caller commits."""
    if start.tzinfo is None:
        raise Invalid("The start needs a time zone.", field="start")
    if store.merchant_id != service.merchant_id or not service.active:
        raise NotFound("No such service.")
    length = timedelta(minutes=service.duration_minutes)
    hours = hours_of(store)
    day = start.astimezone(slots.BERLIN).date()
    possible = slots.candidates(day, hours, duration=service.duration_minutes,
                                step=service.slot_step_minutes)  # fmt: skip
    if start not in possible:
        raise Invalid("That is not a bookable time of this service.", field="start",
                      code="not_a_slot")  # fmt: skip
    now = clock.now()
    taken = busy(session, store.id, start - timedelta(days=1), start + timedelta(days=1))
    if start < now + slots.MIN_LEAD or not slots.is_free(
        start, hours, duration=service.duration_minutes, step=service.slot_step_minutes,
        busy=taken, not_before=now + slots.MIN_LEAD,
    ):  # fmt: skip
        raise SlotTaken("This time was just taken. Here are the next free ones.")
    booking = Booking(
        service_id=service.id, merchant_id=service.merchant_id, store_id=store.id,
        user_id=user.id, starts_at=start, ends_at=start + length, status="booked",
        created_at=now, conversation_id=conversation_id, card_message_id=card_message_id,
        locale=locale,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(booking)
            session.flush()
            session.add_all(
                BookingSlot(store_id=store.id, slot_start=unit, booking_id=booking.id)
                for unit in slots.units(start, start + length)
            )
    except IntegrityError:  # another booking claimed one of its units first
        raise SlotTaken("This time was just taken. Here are the next free ones.") from None
    return booking


def cancel(session: Session, user: User, booking: Booking) -> None:
    """Cancel the user's booking until the cut-off before its start. The caller commits."""
    if booking.user_id != user.id:
        raise Forbidden("Only the one who booked can cancel.", code="not_your_booking")
    if booking.status != "booked":
        raise Conflict("This booking is already cancelled.", code="already_cancelled")
    if not slots.can_cancel(booking.starts_at, clock.now()):
        raise Conflict(
            "Bookings can be cancelled until 24 hours before the start.",
            code="cancel_cutoff_passed",
        )
    done = session.execute(
        update(Booking)
        .where(Booking.id == booking.id, Booking.status == "booked")
        .values(status="cancelled", cancelled_at=clock.now())
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]  # a second tap won
        raise Conflict("This booking is already cancelled.", code="already_cancelled")
    session.execute(delete(BookingSlot).where(BookingSlot.booking_id == booking.id))
    session.refresh(booking)


def visible_booking(session: Session, user: User, booking_id: int) -> Booking:
    """The booking if the caller made it or is (or was) in the chat it was booked in."""
    booking = session.get(Booking, booking_id)
    if booking is None:
        raise NotFound("No such booking.")
    if booking.user_id != user.id:
        if booking.conversation_id is None:
            raise NotFound("No such booking.")
        try:
            membership(session, user.id, booking.conversation_id)
        except NotFound:
            raise NotFound("No such booking.") from None
    return booking


def booking_out(session: Session, booking: Booking) -> dict[str, Any]:
    service = session.get(Service, booking.service_id)
    merchant = session.get(Merchant, booking.merchant_id)
    return {
        "id": booking.id, "status": booking.status,
        "service": {"id": booking.service_id, "name": service.name if service else None},
        "merchant": {"id": booking.merchant_id, "name": merchant.name if merchant else None,
                     "slug": merchant.slug if merchant else None},
        "store_id": booking.store_id, "user_id": booking.user_id,
        "start": booking.starts_at.isoformat(), "end": booking.ends_at.isoformat(),
        "cancellable": booking.status == "booked"
        and slots.can_cancel(booking.starts_at, clock.now()),
        "ics_url": f"/assistant/bookings/{booking.id}.ics",
    }  # fmt: skip


def ics(session: Session, booking: Booking, base_url: str = "") -> bytes:
    """The booking as an iCalendar file (RFC 5545), times in UTC."""
    service = session.get(Service, booking.service_id)
    merchant = session.get(Merchant, booking.merchant_id)
    store = session.get(Store, booking.store_id)
    calendar = Calendar()
    calendar.add("prodid", "-//Kosmos//Kosmo assistant//DE")
    calendar.add("version", "2.0")
    item = CalendarEvent()
    item.add("uid", f"booking-{booking.id}@kosmos")
    item.add(
        "summary", f"{service.name if service else '?'} · {merchant.name if merchant else '?'}"
    )
    item.add("dtstart", booking.starts_at)
    item.add("dtend", booking.ends_at)
    item.add("dtstamp", booking.cancelled_at or booking.created_at)
    if store is not None:
        item.add("location", f"{store.name}, {store.street}, {store.postcode} {store.city}")
    item.add("status", "CANCELLED" if booking.status == "cancelled" else "CONFIRMED")
    if base_url and merchant is not None:
        item.add("url", f"{base_url}/merchants/{merchant.slug}")
    calendar.add_component(item)
    return calendar.to_ical()  # type: ignore[no-any-return]


# --- cards ----------------------------------------------------------------------------------


def _price(cents: int, currency: str, locale: str) -> str:
    return format_currency(Decimal(cents).scaleb(-2), currency,
                           locale="en_IE" if locale == "en" else "de_DE")  # fmt: skip


def _where(store: Store) -> str:
    return f"{store.name}, {store.street}"


def _ref(**ref: Any) -> dict[str, Any]:
    return {"handler": cards.HANDLER, "ref": {"skill": SKILL, **ref}}


def _plain_card(proposal_id: int, note: str, locale: str) -> dict[str, Any]:
    return {"type": "booking_offer", "title": t(locale, "title_plain"), "fields": [],
            "note": note, "buttons": [], **_ref(offer=proposal_id)}  # fmt: skip


def offer_card(proposal: Proposal, service: Service, merchant: Merchant, store: Store,
               requested: datetime, free: list[datetime], taken: datetime | None = None
               ) -> dict[str, Any]:  # fmt: skip
    locale = proposal.locale
    asked = cards.when_text(requested, None, locale)
    detail = f"{t(locale, 'minutes', n=service.duration_minutes)} · " + _price(
        service.price_cents, service.currency, locale)  # fmt: skip
    if taken is not None:
        note = t(locale, "taken", when=cards.when_text(taken, None, locale))
    elif not free:
        note = t(locale, "none_free", asked=asked)
    elif free[0] == requested:
        note = t(locale, "pick")
    else:
        note = t(locale, "alternatives", asked=asked)
    buttons = [
        {"action": "book", "value": s.isoformat(), "label": cards.when_text(s, None, locale)}
        for s in free
    ]
    buttons.append({"action": "dismiss", "value": str(proposal.id), "label": t(locale, "dismiss")})
    return {
        "type": "booking_offer",
        "title": t(locale, "title", service=service.name, merchant=merchant.name),
        "fields": [
            {"label": t(locale, "service"), "value": f"{service.name} · {detail}"},
            {"label": t(locale, "where"), "value": _where(store)},
            {"label": t(locale, "asked"), "value": asked},
        ],
        "note": note, "buttons": buttons, **_ref(offer=proposal.id),
    }  # fmt: skip


def booking_card(session: Session, booking: Booking) -> dict[str, Any]:
    locale = booking.locale
    service = session.get(Service, booking.service_id)
    merchant = session.get(Merchant, booking.merchant_id)
    store = session.get(Store, booking.store_id)
    who = session.get(User, booking.user_id)
    booked = booking.status == "booked"
    fields = [{"label": t(locale, "when"),
               "value": cards.when_text(booking.starts_at, booking.ends_at, locale)}]  # fmt: skip
    if store is not None:
        fields.append({"label": t(locale, "where"), "value": _where(store)})
    fields.append({"label": t(locale, "for"), "value": who.display_name if who else "?"})
    buttons = []
    if booked:
        buttons.append({"action": "cancel", "value": str(booking.id),
                        "label": t(locale, "cancel")})  # fmt: skip
    return {
        "type": "booking",
        "title": t(locale, "title", service=service.name if service else "?",
                   merchant=merchant.name if merchant else "?"),
        "fields": fields,
        "note": t(locale, "booked", who=who.display_name if who else "?") if booked
        else t(locale, "cancelled"),
        "buttons": buttons,
        "links": [{"label": t(locale, "ics"), "url": f"/assistant/bookings/{booking.id}.ics"}],
        **_ref(booking=booking.id),
    }  # fmt: skip


def refresh_booking_card(session: Session, booking: Booking) -> None:
    from kosmos.chat import messages

    if booking.card_message_id is not None:
        messages.update_card(session, booking.card_message_id, booking_card(session, booking))


# --- the skill ------------------------------------------------------------------------------


def _requested(payload: dict[str, Any]) -> datetime:
    raw = payload.get("start")
    try:
        start = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        start = None
    if start is None or start.tzinfo is None:
        return clock.now() + slots.MIN_LEAD
    return start.astimezone(UTC)


def card(session: Session, proposal: Proposal, author: User, locale: str) -> dict[str, Any]:
    """The offer: resolve merchant, service and store, and offer the nearest free slots."""
    payload = proposal.payload
    said = payload.get("merchant")
    merchant = reviewing.find_merchant(session, said) if said else _merchant_by_service(
        session, payload.get("service"))  # fmt: skip
    if merchant is None:
        proposal.status = "dismissed"
        note = t(locale, "unknown_merchant", said=said) if said else t(locale, "which_merchant")
        return _plain_card(proposal.id, note, locale)
    services = services_of(session, merchant.id)
    store = store_of(session, merchant.id)
    if not services or store is None:
        proposal.status = "dismissed"
        return _plain_card(proposal.id, t(locale, "no_services", merchant=merchant.name), locale)
    service = find_service(services, payload.get("service"))
    if service is None:
        proposal.status = "dismissed"
        names = ", ".join(s.name for s in services)
        return _plain_card(
            proposal.id,
            t(locale, "unknown_service", merchant=merchant.name, services=names),
            locale,
        )
    requested = _requested(payload)
    free = offers(session, service, store, requested)
    proposal.payload = {
        **payload, "merchant_id": merchant.id, "service_id": service.id, "store_id": store.id,
        "requested": requested.isoformat(), "offered": [s.isoformat() for s in free],
    }  # fmt: skip
    return offer_card(proposal, service, merchant, store, requested, free)


def _parts(session: Session, proposal: Proposal) -> tuple[Service, Merchant, Store]:
    payload = proposal.payload
    service = session.get(Service, payload.get("service_id") or 0)
    merchant = session.get(Merchant, payload.get("merchant_id") or 0)
    store = session.get(Store, payload.get("store_id") or 0)
    if service is None or merchant is None or store is None:
        raise NotFound("This offer is no longer available.")
    return service, merchant, store


def _book_proposal(session: Session, user: User, proposal: Proposal, start: datetime) -> Booking:
    service, _merchant, store = _parts(session, proposal)
    booking = book(session, user, service, store, start,
                   conversation_id=proposal.conversation_id,
                   card_message_id=proposal.card_message_id, locale=proposal.locale)  # fmt: skip
    proposal.status, proposal.resolved_by, proposal.resolved_at = "done", user.id, clock.now()
    proposal.payload = {**proposal.payload, "booking_id": booking.id}
    session.flush()
    return booking


def confirm(session: Session, user: User, proposal: Proposal) -> str:
    """A plain Confirm (not the card's own buttons) books the first slot offered."""
    offered = proposal.payload.get("offered") or []
    if not offered:
        raise Invalid("No free time was offered.", field="action")
    booking = _book_proposal(session, user, proposal, datetime.fromisoformat(offered[0]))
    return t(proposal.locale, "booked", who=user.display_name) + f" (#{booking.id})"


def _author_only(session: Session, user: User, author_id: int, locale: str, key: str) -> None:
    if user.id != author_id:
        author = session.get(User, author_id)
        raise Forbidden(t(locale, key, who=author.display_name if author else "?"),
                        code="not_yours")  # fmt: skip


@registry.button_handler(SKILL)
def press(session: Session, user: User, message: Message, action: str, value: str) -> None:
    from kosmos.chat import messages

    ref = (message.card or {}).get("ref", {})
    if action == "cancel" and "booking" in ref:
        booking = session.get(Booking, ref["booking"])
        if booking is None or str(booking.id) != value:
            raise NotFound("No such booking.")
        _author_only(session, user, booking.user_id, booking.locale, "only_owner")
        cancel(session, user, booking)
        refresh_booking_card(session, booking)
        return
    proposal = session.get(Proposal, ref.get("offer") or 0)
    if proposal is None or proposal.card_message_id != message.id:
        raise NotFound("No such offer.")
    if proposal.status != "open":
        raise Invalid("This was already decided.", field="action", code="already_decided")
    _author_only(session, user, proposal.author_id, proposal.locale, "only_author")
    if action == "dismiss":
        proposal.status, proposal.resolved_by, proposal.resolved_at = (
            "dismissed", user.id, clock.now())  # fmt: skip
        note = t(proposal.locale, "dismissed", who=user.display_name)
        messages.update_card(session, message.id, cards.resolved(message.card or {}, note))
        return
    if action != "book":
        raise Invalid("This card has no such button.", field="action")
    try:
        start = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid("Not a time.", field="value") from None
    try:
        booking = _book_proposal(session, user, proposal, start)
    except SlotTaken as taken:
        service, merchant, store = _parts(session, proposal)
        requested = datetime.fromisoformat(proposal.payload["requested"])
        free = offers(session, service, store, requested)
        proposal.payload = {**proposal.payload, "offered": [s.isoformat() for s in free]}
        messages.update_card(session, message.id, offer_card(
            proposal, service, merchant, store, requested, free, taken=start))  # fmt: skip
        session.commit()  # the refreshed card stands; the press itself failed
        raise SlotTaken(taken.template, extra={"slots": [s.isoformat() for s in free]}) from None
    messages.update_card(session, message.id, booking_card(session, booking))


registry.register(Skill(intent="book_appointment", card=card, confirm=confirm, author_only=True))

"""The cards Kosmo posts, as chat card JSON, in German or English (the language the message
was written in). Every card carries `"handler": "assistant"` so its buttons come back here."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import format_currency

from kosmos.assistant.model import format_quantity
from kosmos.assistant.tables import Event, ItemList, ListItem
from kosmos.assistant.understanding import short_day

BERLIN = ZoneInfo("Europe/Berlin")
HANDLER = "assistant"

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "confirm": "Bestätigen", "dismiss": "Verwerfen", "edit": "Bearbeiten",
        "when": "Wann", "where": "Wo", "until": "bis", "ics": "Kalender (.ics)",
        "event_page": "Event öffnen", "deliver": "Ins Schließfach liefern",
        "yes": "Zusage", "no": "Absage", "maybe": "Vielleicht",
        "shopping": "Einkaufsliste", "todo": "To-dos", "add_items": "Auf die Einkaufsliste?",
        "claim": "{who} übernimmt", "task": "Neues To-do", "for": "für", "nobody": "offen",
        "estimate": "Geschätzt", "confirmed": "✓ Bestätigt von {who}",
        "dismissed": "Verworfen von {who}", "added": "✓ Auf der Liste",
        "store": "im Laden", "delivery": "Lieferung", "locker": "an die Packstation",
        "free_text": "kein Produkt gefunden", "empty": "Noch nichts auf der Liste.",
        "pick_date": "Welcher Tag?", "cancelled": "Abgesagt", "event": "Event",
        "rsvps": "Zusagen", "at": "bei", "nothing_matched": "Neu auf der Liste: {what}",
        "only_author": "Nur {who} kann das bestätigen.", "claimed": "übernommen",
    },
    "en": {
        "confirm": "Confirm", "dismiss": "Dismiss", "edit": "Edit", "when": "When",
        "where": "Where", "until": "until", "ics": "Calendar (.ics)", "event_page": "Open event",
        "deliver": "Deliver to a locker",
        "yes": "Going", "no": "Not going", "maybe": "Maybe", "shopping": "Shopping list",
        "todo": "To-dos", "add_items": "Add to the shopping list?", "claim": "{who} takes",
        "task": "New to-do", "for": "for", "nobody": "open", "estimate": "Estimated",
        "confirmed": "✓ Confirmed by {who}", "dismissed": "Dismissed by {who}",
        "added": "✓ On the list", "store": "in store", "delivery": "delivery",
        "locker": "to a parcel locker", "free_text": "no product found",
        "empty": "Nothing on the list yet.", "pick_date": "Which day?",
        "cancelled": "Cancelled", "event": "Event", "rsvps": "Going", "at": "at",
        "nothing_matched": "New on the list: {what}",
        "only_author": "Only {who} can confirm this.", "claimed": "claimed",
    },
}  # fmt: skip


def t(locale: str, key: str, **values: str) -> str:
    return TEXTS["en" if locale == "en" else "de"][key].format(**values)


def when_text(start: datetime, end: datetime | None, locale: str) -> str:
    local = start.astimezone(BERLIN)
    text = f"{short_day(local, locale)}, {local:%H:%M}"
    if end is not None:
        text += f" {t(locale, 'until')} {end.astimezone(BERLIN):%H:%M}"
    return text


def money_text(cents: int, locale: str) -> str:
    return format_currency(
        Decimal(cents).scaleb(-2), "EUR", locale="en_IE" if locale == "en" else "de_DE"
    )


def _ref(**ref: int) -> dict[str, Any]:
    return {"handler": HANDLER, "ref": ref}


def proposal_buttons(proposal_id: int, locale: str) -> list[dict[str, str]]:
    return [
        {"action": "confirm", "value": str(proposal_id), "label": t(locale, "confirm")},
        {"action": "dismiss", "value": str(proposal_id), "label": t(locale, "dismiss")},
    ]


def event_proposal(proposal_id: int, intent: dict[str, Any], locale: str) -> dict[str, Any]:
    start = datetime.fromisoformat(intent["start"])
    end = datetime.fromisoformat(intent["end"]) if intent.get("end") else None
    fields = [{"label": t(locale, "when"), "value": when_text(start, end, locale)}]
    if intent.get("place"):
        fields.append({"label": t(locale, "where"), "value": intent["place"]})
    return {
        "type": "event_proposal", "title": intent["title"], "fields": fields,
        "buttons": proposal_buttons(proposal_id, locale),
        "links": [{"label": t(locale, "edit"), "url": f"/assistant/proposals/{proposal_id}"}],
        **_ref(proposal=proposal_id),
    }  # fmt: skip


def ask_card(proposal_id: int, intent: dict[str, Any], question: str, options: list[str],
             locale: str) -> dict[str, Any]:  # fmt: skip
    buttons = [
        {"action": "choose", "value": o, "label": short_day(datetime.fromisoformat(o), locale)}
        for o in options
    ]
    return {
        "type": "event_question", "title": intent["title"], "note": question,
        "fields": [], "buttons": buttons, **_ref(proposal=proposal_id),
    }  # fmt: skip


def event_card(event: Event, rsvps: list[tuple[str, int]], locale: str) -> dict[str, Any]:
    """`rsvps` holds (answer, user_id)."""
    fields = [{"label": t(locale, "when"), "value": when_text(event.starts_at, event.ends_at,
                                                              locale)}]  # fmt: skip
    if event.place:
        fields.append({"label": t(locale, "where"), "value": event.place})
    tally = []
    for answer in ("yes", "maybe", "no"):
        ids = [u for a, u in rsvps if a == answer]
        tally.append({"value": answer, "label": t(locale, answer), "count": len(ids),
                      "user_ids": ids})  # fmt: skip
    cancelled = event.status == "cancelled"
    return {
        "type": "event", "title": event.title, "fields": fields,
        "note": t(locale, "cancelled") if cancelled else "",
        "buttons": [] if cancelled else [
            {"action": "rsvp", "value": a, "label": t(locale, a)} for a in ("yes", "maybe", "no")
        ],
        "tally": tally,
        "links": [
            {"label": t(locale, "ics"), "url": f"/assistant/events/{event.id}.ics"},
            {"label": t(locale, "event_page"), "url": f"/assistant/events/{event.id}"},
            # the delivery context's page (a layer above: a link, not an import)
            {"label": t(locale, "deliver"), "url": f"/delivery/events/{event.id}"},
        ],
        **_ref(event=event.id),
    }  # fmt: skip


def item_line(item: ListItem) -> str:
    quantity = format_quantity(item.quantity, item.unit)
    return f"{quantity} {item.title}".strip()


def item_detail(item: ListItem, names: dict[int, str], locale: str) -> str:
    parts = []
    if item.product_name:
        where = f" · {item.merchant_name}" if item.merchant_name else ""
        parts.append(f"{item.product_name}{where}")
    if item.estimate_cents is not None:
        parts.append(f"~{money_text(item.estimate_cents, locale)}")
    if item.assignee_id is not None:
        who = names.get(item.assignee_id, "?")
        how = ""
        if item.fulfilment:
            how = f" ({t(locale, item.fulfilment)}"
            how += f" {t(locale, 'at')} {item.fulfilment_at})" if item.fulfilment_at else ")"
        parts.append(f"→ {who}{how}")
    return " · ".join(parts)


def list_card(item_list: ItemList, items: list[ListItem], names: dict[int, str],
              locale: str) -> dict[str, Any]:  # fmt: skip
    checklist = [
        {"value": str(i.id), "label": item_line(i), "detail": item_detail(i, names, locale),
         "done": i.done_at is not None}
        for i in items
    ]  # fmt: skip
    fields = []
    total = sum(i.estimate_cents or 0 for i in items if i.estimate_cents is not None)
    if item_list.kind == "shopping" and total:
        fields.append({"label": t(locale, "estimate"), "value": money_text(total, locale)})
    return {
        "type": f"list_{item_list.kind}", "title": item_list.title, "fields": fields,
        "checklist": checklist, "note": "" if items else t(locale, "empty"), "buttons": [],
        **_ref(list=item_list.id),
    }  # fmt: skip


def items_proposal(proposal_id: int, lines: list[tuple[str, str]], locale: str
                   ) -> dict[str, Any]:  # fmt: skip
    """`lines` holds (item, what Kosmo matched it to)."""
    return {
        "type": "items_proposal", "title": t(locale, "add_items"),
        "fields": [{"label": line, "value": detail} for line, detail in lines],
        "buttons": proposal_buttons(proposal_id, locale), **_ref(proposal=proposal_id),
    }  # fmt: skip


def claim_proposal(proposal_id: int, who: str, what: str, how: str, locale: str
                   ) -> dict[str, Any]:  # fmt: skip
    fields = [{"label": t(locale, "shopping"), "value": what}]
    if how:
        fields.append({"label": t(locale, "where"), "value": how})
    return {
        "type": "claim_proposal", "title": t(locale, "claim", who=who), "fields": fields,
        "buttons": proposal_buttons(proposal_id, locale), **_ref(proposal=proposal_id),
    }  # fmt: skip


def task_proposal(proposal_id: int, tasks: list[tuple[str, str]], locale: str
                  ) -> dict[str, Any]:  # fmt: skip
    return {
        "type": "task_proposal", "title": t(locale, "task"),
        "fields": [{"label": title, "value": who} for title, who in tasks],
        "buttons": proposal_buttons(proposal_id, locale), **_ref(proposal=proposal_id),
    }  # fmt: skip


def resolved(card: dict[str, Any], note: str) -> dict[str, Any]:
    """A proposal card after Confirm or Dismiss: the same content, no buttons."""
    return {**card, "buttons": [], "note": note, "links": []}


def quantity_value(quantity: float | int | None) -> Decimal | None:
    return None if quantity is None else Decimal(str(quantity))

"""What the food-order cards and problems say, in German and English."""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Bestellung bei {merchant}", "title_unknown": "Essen bestellen",
        "total": "Summe", "pickup": "Abholung", "not_on_menu": "nicht auf der Karte",
        "which": "welches genau?", "pay_note": "Bezahlt wird beim Bestätigen aus deinem Wallet.",
        "no_merchant": "Bei welchem Restaurant? Sag es dazu, z. B. „… bei {example}“. "
                       "Zur Auswahl: {names}.",
        "unknown_merchant": "Kein Restaurant „{said}“ gefunden. Zur Auswahl: {names}.",
        "ambiguous_merchant": "„{said}“ passt zu mehreren Restaurants: {names}.",
        "no_store": "{merchant} hat keinen Laden zum Abholen.",
        "no_dish": "„{said}“ steht nicht auf der Karte von {merchant}.",
        "ambiguous_dish": "„{said}“: welches genau? {options}",
        "quantity": "Die Menge für „{said}“ muss zwischen 1 und {most} liegen.",
        "too_many_lines": "Höchstens {most} verschiedene Gerichte pro Bestellung.",
        "no_items": "Was soll bestellt werden?",
        "past": "{time} liegt in der Vergangenheit.",
        "too_soon": "{time} ist zu knapp – frühestens {earliest}.",
        "too_far": "Bestellungen gehen höchstens 7 Tage im Voraus.",
        "closed": "{merchant} hat {day} um {time} geschlossen ({hours}).",
        "closed_day": "Ruhetag", "open_hours": "geöffnet {hours}",
        "never_open": "{merchant} hat in den nächsten Tagen nicht geöffnet.",
        "paid": "✓ Bezahlt, Abholung {time} bei {merchant} · Bestellung Nr. {number}",
        "ready": "🍽️ Deine Bestellung ist fertig – Abholung {time} bei {merchant} · "
                 "Bestellung Nr. {number}",
        "ready_message": "Deine Bestellung Nr. {number} bei {merchant} ist fertig! 🍽️",
        "picked_up": "✓ Abgeholt · Bestellung Nr. {number} bei {merchant}",
        "cancelled": "Storniert · Bestellung Nr. {number} bei {merchant}",
    },
    "en": {
        "title": "Order from {merchant}", "title_unknown": "Order food", "total": "Total",
        "pickup": "Pickup", "not_on_menu": "not on the menu", "which": "which one?",
        "pay_note": "Confirm pays from your wallet.",
        "no_merchant": "Which restaurant? Say it, e.g. \"… from {example}\". "
                       "Choices: {names}.",
        "unknown_merchant": "No restaurant \"{said}\" found. Choices: {names}.",
        "ambiguous_merchant": "\"{said}\" fits several restaurants: {names}.",
        "no_store": "{merchant} has no store to pick up from.",
        "no_dish": "\"{said}\" is not on the menu of {merchant}.",
        "ambiguous_dish": "\"{said}\": which one? {options}",
        "quantity": "The quantity of \"{said}\" must be between 1 and {most}.",
        "too_many_lines": "At most {most} different dishes per order.",
        "no_items": "What should be ordered?",
        "past": "{time} is in the past.",
        "too_soon": "{time} is too soon – {earliest} at the earliest.",
        "too_far": "Orders go at most 7 days ahead.",
        "closed": "{merchant} is closed on {day} at {time} ({hours}).",
        "closed_day": "closed all day", "open_hours": "open {hours}",
        "never_open": "{merchant} is not open in the next days.",
        "paid": "✓ Paid, pickup {time} at {merchant} · order no. {number}",
        "ready": "🍽️ Your order is ready – pickup {time} at {merchant} · order no. {number}",
        "ready_message": "Your order no. {number} from {merchant} is ready! 🍽️",
        "picked_up": "✓ Picked up · order no. {number} from {merchant}",
        "cancelled": "Cancelled · order no. {number} from {merchant}",
    },
}  # fmt: skip


def t(locale: str, key: str, **values: Any) -> str:
    return TEXTS["en" if locale == "en" else "de"][key].format(**values)

"""The town of Musterstadt and its merchants with their stores and opening hours."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Span = tuple[str, str]


def _hours(
    weekdays: Sequence[Span],
    sat: Sequence[Span] = (),
    sun: Sequence[Span] = (),
    **overrides: Sequence[Span],
) -> dict[str, list[list[str]]]:
    """Opening hours: ``weekdays`` applies Monday to Friday, keyword overrides per day."""
    spans = dict.fromkeys(_DAYS[:5], weekdays)
    spans.update(sat=sat, sun=sun, **overrides)
    return {day: [[start, end] for start, end in spans[day]] for day in _DAYS}


TOWN = {"name": "Musterstadt", "postcode": "12345", "lat": 52.5201, "lon": 13.4050}

BUTCHER = "metzgerei-huber"
SUPERMARKET = "frischmarkt-musterstadt"
BAKERY = "baeckerei-brandl"
PIZZERIA = "pizzeria-da-luigi"
BURGER = "burgerwerk"
DRUGSTORE = "drogerie-lindner"
SALON = "salon-haarmonie"


def _store(
    slug: str,
    name: str,
    street: str,
    lat: float,
    lon: float,
    phone: str,
    opening_hours: dict[str, list[list[str]]],
) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": name,
        "street": street,
        "postcode": TOWN["postcode"],
        "city": TOWN["name"],
        "lat": lat,
        "lon": lon,
        "phone": phone,
        "opening_hours": opening_hours,
    }


MERCHANTS: list[dict[str, Any]] = [
    {
        "slug": BUTCHER,
        "name": "Metzgerei Huber",
        "kind": "butcher",
        "description": "Traditionsmetzgerei seit 1962 mit hausgemachten Würsten und Grillfleisch.",
        "stores": [
            _store(
                "metzgerei-huber-marktplatz",
                "Metzgerei Huber am Marktplatz",
                "Marktplatz 3",
                52.5203,
                13.4047,
                "+49 30 23125101",
                _hours([("07:00", "18:00")], sat=[("07:00", "13:00")], wed=[("07:00", "13:00")]),
            ),
        ],
    },
    {
        "slug": SUPERMARKET,
        "name": "Frischmarkt Musterstadt",
        "kind": "supermarket",
        "description": "Supermarkt mit Frischetheke, regionalem Obst und Gemüse und Getränkemarkt.",
        "stores": [
            _store(
                "frischmarkt-musterstadt-zentrum",
                "Frischmarkt Musterstadt Zentrum",
                "Bahnhofstraße 12",
                52.5226,
                13.4101,
                "+49 30 23125102",
                _hours([("07:00", "21:00")], sat=[("07:00", "21:00")]),
            ),
            _store(
                "frischmarkt-musterstadt-nord",
                "Frischmarkt Musterstadt Nord",
                "Gewerbering 5",
                52.5291,
                13.4012,
                "+49 30 23125103",
                _hours([("07:00", "22:00")], sat=[("07:00", "22:00")]),
            ),
        ],
    },
    {
        "slug": BAKERY,
        "name": "Bäckerei Brandl",
        "kind": "bakery",
        "description": "Handwerksbäckerei mit Brötchen, Brot und Kuchen aus der eigenen Backstube.",
        "stores": [
            _store(
                "baeckerei-brandl-lindenstrasse",
                "Bäckerei Brandl",
                "Lindenstraße 8",
                52.5188,
                13.4072,
                "+49 30 23125104",
                _hours([("06:00", "18:00")], sat=[("06:00", "12:30")], sun=[("07:30", "11:00")]),
            ),
        ],
    },
    {
        "slug": PIZZERIA,
        "name": "Pizzeria Da Luigi",
        "kind": "restaurant",
        "description": "Pizza aus dem Steinofen und hausgemachte Pasta, auch zum Mitnehmen.",
        "stores": [
            _store(
                "pizzeria-da-luigi-kirchgasse",
                "Pizzeria Da Luigi",
                "Kirchgasse 5",
                52.5197,
                13.4035,
                "+49 30 23125105",
                _hours(
                    [("11:30", "14:30"), ("17:30", "22:30")],
                    sat=[("17:00", "23:00")],
                    sun=[("12:00", "14:30"), ("17:00", "22:00")],
                    mon=[],  # Ruhetag
                ),
            ),
        ],
    },
    {
        "slug": BURGER,
        "name": "Burgerwerk",
        "kind": "restaurant",
        "description": "Smash-Burger, Süßkartoffel-Pommes und hausgemachte Limonaden am Bahnhof.",
        "stores": [
            _store(
                "burgerwerk-bahnhof",
                "Burgerwerk am Bahnhof",
                "Bahnhofstraße 2",
                52.5231,
                13.4118,
                "+49 30 23125106",
                _hours(
                    [("11:30", "22:00")],
                    sat=[("11:30", "23:00")],
                    sun=[("12:00", "21:00")],
                    fri=[("11:30", "23:00")],
                ),
            ),
        ],
    },
    {
        "slug": DRUGSTORE,
        "name": "Drogerie Lindner",
        "kind": "drugstore",
        "description": "Drogerie für Körperpflege, Sonnenschutz, Gesundheit und Haushalt.",
        "stores": [
            _store(
                "drogerie-lindner-marktplatz",
                "Drogerie Lindner",
                "Marktplatz 9",
                52.5199,
                13.4056,
                "+49 30 23125107",
                _hours([("08:00", "20:00")], sat=[("08:00", "20:00")]),
            ),
        ],
    },
    {
        "slug": SALON,
        "name": "Salon Haarmonie",
        "kind": "hair_salon",
        "description": "Friseursalon für Damen, Herren und Kinder, mit und ohne Termin.",
        "stores": [
            _store(
                "salon-haarmonie-lindenstrasse",
                "Salon Haarmonie",
                "Lindenstraße 21",
                52.5181,
                13.4089,
                "+49 30 23125108",
                _hours(
                    [("09:00", "18:30")],
                    sat=[("08:00", "14:00")],
                    mon=[],
                    thu=[("09:00", "20:00")],
                ),
            ),
        ],
    },
]

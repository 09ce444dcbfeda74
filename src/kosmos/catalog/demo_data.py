"""Demo data for the fictitious German town of Musterstadt.

Plain data plus a few tiny helpers; standard library only, no I/O.

Conventions used throughout:

* ``price_cents`` is the gross price in euro cents *including* VAT, per ``unit``
  ("piece", or "kg" for loose counter goods sold by weight).
* ``vat_rate`` follows German law as of 2026 and is derived from the category
  (see ``CATEGORY_VAT``): 7 % for food (including restaurant food since 1 January 2026,
  dairy, roasted coffee and tea) and for menstrual hygiene products; 19 % for every
  beverage (water, juice, soft drinks, beer, wine, spirits, hot drinks), all non-food
  and all services (haircuts).
* ``min_age`` is 16 for beer, beer mixes and wine, 18 for spirits and cocktails
  containing spirits (Jugendschutzgesetz); ``age_restricted`` is ``min_age > 0``.
* GTINs are fictitious but carry valid GS1 check digits. They are built
  deterministically: each brand block has a company prefix and its items are numbered
  1, 2, 3 ... in table order, so append new rows at the end of a block to keep the
  existing GTINs stable.
* Loose counter goods sold by weight (unit "kg") have ``gtin=None`` and an
  ``rcn_item``: such goods have no GTIN of their own. The shop scale prints an in-store
  variable-measure EAN-13 in the GS1 Germany layout ``PP IIII C VVVVV K`` (prefix 28/29:
  weight in grams, 22/23: price in cents; C checks the value, K the whole code), and
  ``rcn_item`` is its 4-digit item reference IIII, unique across all merchants. See
  ``variable_measure_ean``; ``kosmos.catalog.model.decode_barcode`` reads these labels.
* Restaurant dishes and drinks served by the glass, and salon services, have
  ``gtin=None`` as well. Everything else carries a GTIN.
* Phone numbers come from the block 030 23125 000-999 that the Bundesnetzagentur keeps
  free for media productions ("drama numbers", Mitteilung 148/2021), so no real
  subscriber is ever dialled.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

# --------------------------------------------------------------------------- helpers


def gtin_check_digit(body: str) -> str:
    """Return the GS1 check digit for ``body`` (a GTIN without its last digit).

    Works for every GTIN length (EAN-8, UPC-A, EAN-13, GTIN-14): digits are weighted
    3, 1, 3, 1 ... starting from the right-most digit of the body.
    """
    if not body.isdigit():
        raise ValueError(f"GTIN body must be digits only: {body!r}")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


_FIVE_PLUS = (0, 5, 1, 6, 2, 7, 3, 8, 4, 9)
_TWO_MINUS = (0, 2, 4, 6, 8, 9, 1, 3, 5, 7)
_FIVE_MINUS = (0, 5, 9, 4, 8, 3, 7, 2, 6, 1)


def price_weight_check_digit(value: str) -> str:
    """GS1 check digit of a 5-digit price or weight (weights 5+, 2-, 5-, 5+, 2-)."""
    if len(value) != 5 or not value.isdigit():
        raise ValueError(f"value must be 5 digits: {value!r}")
    tables = (_FIVE_PLUS, _TWO_MINUS, _FIVE_MINUS, _FIVE_PLUS, _TWO_MINUS)
    total = sum(table[int(d)] for table, d in zip(tables, value, strict=True))
    return str(_FIVE_MINUS.index((10 - total % 10) % 10))


def variable_measure_ean(rcn_item: str, value: int, prefix: str = "28") -> str:
    """Build the in-store EAN-13 a German shop scale prints on a label.

    GS1 Germany layout ``PP IIII C VVVVV K``: prefix, 4-digit item reference
    (``rcn_item``), check digit of the value, 5-digit value, GS1 check digit. With prefix
    28/29 the value is the net weight in grams, with 22/23 the price in cents.
    """
    if prefix not in ("22", "23", "28", "29"):
        raise ValueError(f"unsupported variable-measure prefix: {prefix!r}")
    if len(rcn_item) != 4 or not rcn_item.isdigit():
        raise ValueError(f"rcn_item must be 4 digits: {rcn_item!r}")
    if not 0 <= value <= 99999:
        raise ValueError(f"value out of range: {value}")
    measure = f"{value:05d}"
    body = prefix + rcn_item + price_weight_check_digit(measure) + measure
    return body + gtin_check_digit(body)


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Span = tuple[str, str]
Row = tuple[str, str, int, str, str]  # name, category, price_cents, size, description
CounterRow = tuple[str, str, str, int, str]  # rcn_item, name, category, cents/kg, description


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


_SIZE_RE = re.compile(r"^(?:(\d+) x )?(\d+(?:,\d+)?) (g|kg|ml|l)$")


def _size(size: str) -> tuple[int | None, int | None]:
    """Parse a German pack size ("400 g", "1,5 l", "20 x 0,5 l") into (weight_g, volume_ml)."""
    if not size:
        return None, None
    match = _SIZE_RE.match(size)
    if match is None:
        raise ValueError(f"unparsable size: {size!r}")
    count = int(match.group(1) or 1)
    amount = float(match.group(2).replace(",", "."))
    unit = match.group(3)
    total = round(count * amount * (1000 if unit in ("kg", "l") else 1))
    return (total, None) if unit in ("g", "kg") else (None, total)


_serials: dict[str, int] = {}


def _next_gtin(prefix: str, length: int) -> str:
    """Next GTIN of a company prefix: prefix + zero-padded serial + check digit."""
    serial = _serials.get(prefix, 0) + 1
    _serials[prefix] = serial
    body = prefix + str(serial).zfill(length - 1 - len(prefix))
    if len(body) != length - 1:
        raise ValueError(f"serial range of prefix {prefix} exhausted")
    return body + gtin_check_digit(body)


def _product(
    merchant: str,
    brand: str,
    row: Row,
    *,
    unit: str = "piece",
    gtin: str | None = None,
    rcn_item: str | None = None,
) -> dict[str, Any]:
    name, category, price_cents, size, description = row
    weight_g, volume_ml = _size(size)
    min_age = CATEGORY_MIN_AGE.get(category, 0)
    return {
        "merchant": merchant,
        "gtin": gtin,
        "name": name,
        "brand": brand,
        "category": category,
        "unit": unit,
        "price_cents": price_cents,
        "vat_rate": CATEGORY_VAT[category],
        "weight_g": weight_g,
        "volume_ml": volume_ml,
        "min_age": min_age,
        "age_restricted": min_age > 0,
        "rcn_item": rcn_item,
        "description": description,
    }


def _packed(
    merchant: str, brand: str, prefix: str, length: int, rows: list[Row]
) -> list[dict[str, Any]]:
    """Packed goods, each with the next GTIN of ``prefix`` (``length`` digits long)."""
    return [_product(merchant, brand, row, gtin=_next_gtin(prefix, length)) for row in rows]


def _counter(merchant: str, brand: str, rows: list[CounterRow]) -> list[dict[str, Any]]:
    """Loose counter goods sold by weight: no GTIN, priced per kg, with an ``rcn_item``."""
    return [
        _product(merchant, brand, (name, category, price, "", description), unit="kg", rcn_item=rcn)
        for rcn, name, category, price, description in rows
    ]


def _menu(merchant: str, brand: str, rows: list[Row]) -> list[dict[str, Any]]:
    """Restaurant dishes, drinks served by the glass and services: no barcode."""
    return [_product(merchant, brand, row) for row in rows]


# ------------------------------------------------------------------------ categories

DRINK_CATEGORIES = frozenset(
    {
        "Wasser",
        "Softdrinks",
        "Säfte & Schorlen",
        "Heißgetränke",
        "Alkoholfreies Bier",
        "Bier",
        "Biermischgetränke",
        "Wein & Sekt",
        "Spirituosen",
        "Cocktails & Longdrinks",
    }
)

SERVICE_CATEGORIES = frozenset(
    {"Haarschnitt", "Farbe & Strähnen", "Styling & Pflege", "Bart & Brauen"}
)

FOOD_CATEGORIES = frozenset(
    {
        "Fleisch",
        "Geflügel",
        "Wurst",
        "Aufschnitt",
        "Fisch",
        "Feinkost & Salate",
        "Käse",
        "Molkereiprodukte",  # includes milk and buttermilk: dairy, not a "beverage" for VAT
        "Eier",
        "Obst & Gemüse",
        "Brot & Brötchen",
        "Kuchen & Gebäck",
        "Saucen & Dips",
        "Gewürze",
        "Grundnahrungsmittel",
        "Frühstück",
        "Kaffee & Tee",  # roasted coffee and tea bags are food (7 %), a brewed cup is not
        "Snacks & Süßwaren",
        "Tiefkühlkost",
        "Vegan & Vegetarisch",
        # restaurant food, 7 % since 1 January 2026 (drinks stay at 19 %)
        "Pizza",
        "Pasta",
        "Burger",
        "Vorspeisen",
        "Salate",
        "Beilagen",
        "Desserts",
    }
)

NONFOOD_CATEGORIES = frozenset(
    {
        "Grillzubehör",
        "Einweggeschirr",
        "Haushalt",
        "Sonnenschutz",
        "Insektenschutz",
        "Zahnpflege",
        "Körperpflege",
        "Haarpflege",
        "Gesundheit",
        "Baby & Kind",
    }
)

# Non-food at the reduced rate: menstrual hygiene products (7 % since 1 January 2020).
REDUCED_NONFOOD_CATEGORIES = frozenset({"Damenhygiene"})

CATEGORY_VAT: dict[str, int] = {
    **dict.fromkeys(FOOD_CATEGORIES, 7),
    **dict.fromkeys(DRINK_CATEGORIES, 19),
    **dict.fromkeys(NONFOOD_CATEGORIES, 19),
    **dict.fromkeys(SERVICE_CATEGORIES, 19),
    **dict.fromkeys(REDUCED_NONFOOD_CATEGORIES, 7),
}

CATEGORY_MIN_AGE: dict[str, int] = {
    "Bier": 16,
    "Biermischgetränke": 16,
    "Wein & Sekt": 16,
    "Spirituosen": 18,
    "Cocktails & Longdrinks": 18,
}

# ------------------------------------------------------------------------- merchants

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

# -------------------------------------------------------------------------- products

PRODUCTS: list[dict[str, Any]] = []

# ---- Metzgerei Huber ---------------------------------------------------------------
# Counter goods: item references 1001-1099 (butcher's scale).

PRODUCTS += _counter(BUTCHER, "Metzgerei Huber", [
    ("1001", "Nackensteak", "Fleisch", 1290, "Schweinenacken ohne Knochen, grillfertig"),
    ("1002", "Nackensteak mariniert", "Fleisch", 1390, "In Kräuter-Knoblauch-Marinade"),
    ("1003", "Schweinebauch", "Fleisch", 1090, "Frischer Schweinebauch in Scheiben"),
    ("1004", "Grillbauch mariniert", "Fleisch", 1190, "Bauchscheiben in würziger Paprikamarinade"),
    ("1005", "Spareribs", "Fleisch", 1390, "Schälrippchen vom Schwein, zum Marinieren oder Smoken"),
    ("1006", "Spareribs BBQ mariniert", "Fleisch", 1490, "Schälrippchen in rauchiger BBQ-Marinade"),
    ("1007", "Schweinekotelett", "Fleisch", 1090, "Stielkotelett vom Schwein aus der Region"),
    ("1008", "Rindersteak (Rumpsteak)", "Fleisch", 3990, "Vom Weiderind, 21 Tage gereift"),
    ("1009", "Rindersteak (Entrecôte)", "Fleisch", 4490, "Vom Weiderind, kräftig marmoriert"),
    ("1010", "Rinderfilet", "Fleisch", 5990, "Zartes Filet vom Jungbullen"),
    ("1011", "Flanksteak", "Fleisch", 3290, "Flanke vom Rind, kräftig im Geschmack"),
    ("1012", "Rinderhackfleisch", "Fleisch", 1390, "Frisch gewolft, ideal für Burger-Patties"),
    ("1013", "Hackfleisch gemischt", "Fleisch", 1090, "Halb Rind, halb Schwein, täglich frisch"),
    ("1014", "Lammkoteletts", "Fleisch", 3490, "Aus dem Lammkarree geschnitten"),
    ("1015", "Schaschlikspieße", "Fleisch", 1590, "Schwein mit Paprika, Zwiebeln und Speck"),
    ("1016", "Hähnchenschenkel", "Geflügel", 890, "Ganze Schenkel aus Freilandhaltung"),
    ("1017", "Hähnchenschenkel mariniert", "Geflügel", 990, "In Honig-Senf-Marinade"),
    ("1018", "Hähnchenbrustfilet", "Geflügel", 1690, "Ohne Haut und Knochen"),
    ("1019", "Putensteak", "Geflügel", 1590, "Aus der Putenbrust geschnitten"),
    ("1020", "Bratwurst grob", "Wurst", 1390, "Grobe Bratwurst nach Hausrezept"),
    ("1021", "Thüringer Rostbratwurst", "Wurst", 1490, "Mit Majoran und Kümmel"),
    ("1022", "Nürnberger Rostbratwürstchen", "Wurst", 1890, "Fingerdick, mit Majoran"),
    ("1023", "Käsekrainer", "Wurst", 1790, "Brühwurst mit Emmentaler-Stückchen"),
    ("1024", "Currywurst", "Wurst", 1290, "Brühwurst ohne Darm, zum Grillen oder Braten"),
    ("1025", "Leberkäse", "Wurst", 1490, "Bayerischer Leberkäse, frisch aus dem Ofen"),
    ("1026", "Fleischwurst", "Wurst", 1390, "Klassische Lyoner im Ring"),
    ("1027", "Salami", "Aufschnitt", 2490, "Luftgetrocknete Hausmacher-Salami"),
    ("1028", "Kochschinken", "Aufschnitt", 2290, "Mager, im eigenen Saft gegart"),
    ("1029", "Schwarzwälder Schinken", "Aufschnitt", 2990, "Über Tannenholz kalt geräuchert"),
    ("1030", "Kartoffelsalat hausgemacht", "Feinkost & Salate", 790, "Schwäbische Art mit Brühe"),
    ("1031", "Krautsalat hausgemacht", "Feinkost & Salate", 690, "Weißkraut mit Essig und Kümmel"),
    ("1032", "Fleischsalat hausgemacht", "Feinkost & Salate", 1290, "Mit Fleischwurst und Gurke"),
])  # fmt: skip

PRODUCTS += _packed(BUTCHER, "Metzgerei Huber", "4012345", 13, [
    ("Wiener Würstchen", "Wurst", 649, "400 g", "6 Stück im Saitling, zart geräuchert"),
    ("Geflügelwürstchen", "Wurst", 499, "300 g", "5 Stück aus Hähnchen- und Putenfleisch"),
    ("Bratwürste grob, 4 Stück", "Wurst", 699, "500 g", "Nach Hausrezept, vakuumverpackt"),
    ("Thüringer Rostbratwürste, 5 Stück", "Wurst", 749, "500 g", "Mit Majoran, vakuumverpackt"),
    ("Nürnberger Würstchen, 12 Stück", "Wurst", 599, "300 g", "Für Grill und Pfanne"),
    ("Käsekrainer, 4 Stück", "Wurst", 749, "400 g", "Mit Emmentaler-Stückchen"),
    ("Currywurst-Set", "Wurst", 799, "600 g", "4 Currywürste mit hausgemachter Currysoße"),
    ("Rinder-Burger-Patties, 2 Stück", "Fleisch", 749, "360 g", "100 % Rindfleisch, je 180 g"),
    ("Grillteller Huber", "Fleisch", 1690, "1 kg", "Nackensteaks, Bratwürste und Grillbauch"),
    ("Grillfackeln, 2 Stück", "Fleisch", 599, "400 g", "Schweinebauch am Spieß, mariniert"),
    ("Cevapcici, 10 Stück", "Fleisch", 549, "400 g", "Aus Rind und Lamm, Balkan-Art"),
    ("Hähnchen-Grillspieße, 4 Stück", "Geflügel", 899, "480 g", "Mit Paprika und Zwiebeln"),
    ("Frikadellen, 4 Stück", "Fleisch", 799, "400 g", "Hausgemacht, fertig gebraten"),
    ("Pulled Pork sous-vide", "Fleisch", 1199, "600 g", "Vorgegart, nur noch erwärmen und zupfen"),
    ("Leberkäse zum Selberbacken", "Wurst", 699, "500 g", "In der Alu-Form, zum Backen im Ofen"),
    ("Leberwurst im Glas", "Wurst", 449, "200 g", "Hausmacher Art, fein"),
    ("Kräuterbutter hausgemacht", "Molkereiprodukte", 249, "125 g", "Mit Petersilie und Knoblauch"),
    ("Grillsoße nach Hausrezept", "Saucen & Dips", 399, "250 ml", "Rauchig-süß, passt zu allem"),
    ("Currysoße hausgemacht", "Saucen & Dips", 349, "250 ml", "Fruchtig-scharf"),
    ("Kartoffelsalat im Becher", "Feinkost & Salate", 449, "500 g", "Schwäbische Art, hausgemacht"),
    ("Fleischsalat im Becher", "Feinkost & Salate", 299, "200 g", "Mit Fleischwurst und Gurke"),
    ("Grillgewürz Huber", "Gewürze", 399, "100 g", "Hausmischung mit Paprika und Rosmarin"),
])  # fmt: skip

PRODUCTS += _packed(BUTCHER, "Metzgerei Huber", "40012", 8, [
    ("Landjäger, 2 Stück", "Wurst", 349, "100 g", "Luftgetrocknete Rohwurst"),
    ("Mini-Salami-Sticks", "Wurst", 299, "80 g", "Snack für unterwegs"),
])  # fmt: skip

# ---- Frischmarkt Musterstadt -------------------------------------------------------
# Counter goods: 20xx meat/fish counter, 21xx cheese counter, 22xx deli counter,
# 23xx loose fruit and vegetables (self-service scale prints the same kind of label).

PRODUCTS += _counter(SUPERMARKET, "Frischmarkt", [
    ("2001", "Schweinenacken am Stück", "Fleisch", 999, "Für den Grill im Ganzen oder Pulled Pork"),
    ("2002", "Hähnchenflügel", "Geflügel", 790, "Chicken Wings, roh"),
    ("2003", "Rinderhüftsteak", "Fleisch", 2990, "Aus der Hüfte, zum Kurzbraten und Grillen"),
    ("2004", "Bratwurst fein", "Wurst", 1190, "Feine Bratwurst vom Schwein"),
    ("2005", "Putenschnitzel", "Geflügel", 1490, "Aus der Putenbrust"),
    ("2006", "Lachsfilet mit Haut", "Fisch", 2990, "Aus Norwegen, ideal für die Grillplanke"),
    ("2101", "Gouda mittelalt", "Käse", 1690, "Holländischer Schnittkäse, 8 Wochen gereift"),
    ("2102", "Allgäuer Bergkäse", "Käse", 2990, "12 Monate gereift, würzig"),
    ("2103", "Allgäuer Emmentaler", "Käse", 2290, "Mild-nussig"),
    ("2104", "Parmigiano Reggiano", "Käse", 3490, "24 Monate gereift"),
    ("2105", "Tilsiter", "Käse", 1790, "Halbfester Schnittkäse, kräftig"),
    ("2106", "Schafskäse in Lake", "Käse", 1590, "Aus Schafs- und Ziegenmilch"),
    ("2201", "Kartoffelsalat mit Mayonnaise", "Feinkost & Salate", 690, "Mit Gurke und Ei"),
    ("2202", "Nudelsalat", "Feinkost & Salate", 690, "Mit Erbsen, Schinken und Mayonnaise"),
    ("2203", "Krautsalat bayerische Art", "Feinkost & Salate", 590, "Mit Speck und Kümmel"),
    ("2204", "Oliven gemischt", "Feinkost & Salate", 1990, "Grün und schwarz, mit Kräutern"),
    ("2205", "Grillgemüse-Antipasti", "Feinkost & Salate", 2290, "Zucchini, Aubergine, Paprika"),
    ("2206", "Tzatziki", "Saucen & Dips", 1190, "Joghurt mit Gurke und Knoblauch"),
    ("2207", "Heringssalat", "Feinkost & Salate", 1190, "Mit Roter Bete und Apfel"),
    ("2208", "Couscous-Salat", "Feinkost & Salate", 1090, "Mit Minze, Tomate und Gurke, vegan"),
    ("2301", "Rispentomaten", "Obst & Gemüse", 349, "Lose, aus Deutschland"),
    ("2302", "Paprika rot", "Obst & Gemüse", 449, "Lose"),
    ("2303", "Paprika gelb", "Obst & Gemüse", 449, "Lose"),
    ("2304", "Zucchini", "Obst & Gemüse", 299, "Lose, aus der Region"),
    ("2305", "Auberginen", "Obst & Gemüse", 349, "Lose"),
    ("2306", "Süßkartoffeln", "Obst & Gemüse", 349, "Lose, aus Spanien"),
    ("2307", "Kartoffeln festkochend, lose", "Obst & Gemüse", 179, "Aus der Region"),
    ("2308", "Zwiebeln rot", "Obst & Gemüse", 249, "Lose"),
    ("2309", "Champignons braun", "Obst & Gemüse", 599, "Lose"),
    ("2310", "Äpfel Elstar", "Obst & Gemüse", 299, "Lose, vom Bodensee"),
    ("2311", "Bananen", "Obst & Gemüse", 169, "Lose"),
    ("2312", "Nektarinen", "Obst & Gemüse", 399, "Lose"),
    ("2313", "Kirschen", "Obst & Gemüse", 899, "Lose, aus dem Alten Land"),
    ("2314", "Weintrauben hell, kernlos", "Obst & Gemüse", 449, "Lose"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Frischmarkt", "4098765", 13, [
    # Obst & Gemüse
    ("Maiskolben vorgegart, 2 Stück", "Obst & Gemüse", 199, "400 g", "Vakuumverpackt"),
    ("Paprika-Mix", "Obst & Gemüse", 249, "500 g", "Rot, gelb und grün"),
    ("Cherrytomaten", "Obst & Gemüse", 179, "250 g", "Süß und knackig"),
    ("Salatgurke", "Obst & Gemüse", 79, "", "1 Stück, aus Deutschland"),
    ("Eisbergsalat", "Obst & Gemüse", 119, "", "1 Kopf"),
    ("Rucola", "Obst & Gemüse", 149, "125 g", "Gewaschen und verzehrfertig"),
    ("Zitronen", "Obst & Gemüse", 149, "500 g", "Unbehandelt"),
    ("Knoblauch", "Obst & Gemüse", 99, "", "3 Knollen im Netz"),
    ("Frühlingszwiebeln", "Obst & Gemüse", 79, "", "1 Bund"),
    ("Radieschen", "Obst & Gemüse", 99, "", "1 Bund"),
    ("Avocado", "Obst & Gemüse", 119, "", "1 Stück, essreif"),
    ("Wassermelone mini", "Obst & Gemüse", 299, "", "1 Stück, ca. 1,5 kg"),
    ("Kartoffeln festkochend", "Obst & Gemüse", 299, "2,5 kg", "Speisekartoffeln aus der Region"),
    ("Grillgemüse-Mix", "Obst & Gemüse", 299, "500 g", "Zucchini, Paprika, Champignons"),
    ("Champignons weiß", "Obst & Gemüse", 199, "400 g", "Aus Deutschland"),
    # Brot & Brötchen
    ("Aufback-Brötchen, 6 Stück", "Brot & Brötchen", 129, "360 g", "8 Minuten bei 200 Grad"),
    ("Baguette zum Aufbacken, 2 Stück", "Brot & Brötchen", 179, "500 g", "Französische Art"),
    ("Burger-Brötchen, 4 Stück", "Brot & Brötchen", 179, "300 g", "Mit Sesam"),
    ("Hot-Dog-Brötchen, 6 Stück", "Brot & Brötchen", 169, "250 g", "Weich und länglich"),
    ("Buttertoast", "Brot & Brötchen", 149, "500 g", "In Scheiben"),
    # Molkereiprodukte, Eier
    ("Frische Vollmilch 3,5 %", "Molkereiprodukte", 119, "1 l", "Aus der Region"),
    ("Deutsche Markenbutter", "Molkereiprodukte", 239, "250 g", "Mildgesäuert"),
    ("Kräuterbutter", "Molkereiprodukte", 169, "125 g", "Rolle mit Gartenkräutern"),
    ("Knoblauchbutter", "Molkereiprodukte", 169, "125 g", "Rolle, zum Grillen"),
    ("Joghurt natur 3,5 %", "Molkereiprodukte", 99, "500 g", "Mild"),
    ("Schlagsahne 30 %", "Molkereiprodukte", 109, "200 g", "Zum Schlagen und Kochen"),
    ("Schmand 24 %", "Molkereiprodukte", 89, "200 g", "Für Dips und Soßen"),
    ("Crème fraîche", "Molkereiprodukte", 119, "200 g", "30 % Fett"),
    ("Speisequark Magerstufe", "Molkereiprodukte", 119, "500 g", "Für Kräuterquark"),
    ("Kräuterquark", "Molkereiprodukte", 149, "250 g", "Mit Schnittlauch und Petersilie"),
    ("Freilandeier, 10 Stück", "Eier", 349, "", "Größe M, aus Niedersachsen"),
    # Grundnahrungsmittel, Gewürze
    ("Spaghetti", "Grundnahrungsmittel", 99, "500 g", "Aus Hartweizengrieß"),
    ("Fusilli", "Grundnahrungsmittel", 99, "500 g", "Für Nudelsalat"),
    ("Basmati-Reis", "Grundnahrungsmittel", 249, "1 kg", "Langkorn"),
    ("Weizenmehl Type 405", "Grundnahrungsmittel", 79, "1 kg", "Zum Backen"),
    ("Zucker", "Grundnahrungsmittel", 109, "1 kg", "Feine Raffinade"),
    ("Sonnenblumenöl", "Grundnahrungsmittel", 229, "1 l", "Hocherhitzbar"),
    ("Rapsöl", "Grundnahrungsmittel", 219, "1 l", "Aus Deutschland"),
    ("Olivenöl extra vergine", "Grundnahrungsmittel", 799, "750 ml", "Aus Griechenland"),
    ("Aceto Balsamico di Modena", "Grundnahrungsmittel", 199, "500 ml", "Für Salate"),
    ("Kidneybohnen", "Grundnahrungsmittel", 89, "400 g", "In der Dose"),
    ("Gemüsemais", "Grundnahrungsmittel", 99, "285 g", "In der Dose"),
    ("Passierte Tomaten", "Grundnahrungsmittel", 79, "500 g", "Im Tetrapak"),
    ("Speisesalz jodiert", "Gewürze", 49, "500 g", "Mit Jod und Fluorid"),
    ("Pfeffer schwarz, gemahlen", "Gewürze", 149, "50 g", "Im Streuer"),
    ("Paprika edelsüß", "Gewürze", 129, "50 g", "Gemahlen"),
    ("Grillgewürz Classic", "Gewürze", 199, "80 g", "Für Fleisch und Gemüse"),
    ("Steakpfeffer", "Gewürze", 199, "60 g", "Grob geschrotet"),
    # Saucen & Dips
    ("Tomatenketchup", "Saucen & Dips", 129, "500 ml", "Fruchtig"),
    ("Curry-Ketchup", "Saucen & Dips", 139, "500 ml", "Mit Curry, leicht scharf"),
    ("Mayonnaise 80 %", "Saucen & Dips", 189, "500 ml", "Mit Freilandeiern"),
    ("Salatmayonnaise 50 %", "Saucen & Dips", 149, "500 ml", "Für Kartoffel- und Nudelsalat"),
    # Snacks & Süßwaren
    ("Kartoffelchips Paprika", "Snacks & Süßwaren", 169, "175 g", "Knusprig"),
    ("Kartoffelchips gesalzen", "Snacks & Süßwaren", 169, "175 g", "Klassisch"),
    ("Erdnussflips", "Snacks & Süßwaren", 129, "200 g", "Mit Erdnüssen"),
    ("Salzstangen", "Snacks & Süßwaren", 99, "250 g", "Laugengebäck"),
    ("Tortilla-Chips Nacho Cheese", "Snacks & Süßwaren", 149, "200 g", "Mit Käsegeschmack"),
    ("Gummibärchen", "Snacks & Süßwaren", 99, "200 g", "Fruchtgummi"),
    ("Vollmilchschokolade", "Snacks & Süßwaren", 99, "100 g", "Alpenmilch"),
    ("Erdnüsse geröstet und gesalzen", "Snacks & Süßwaren", 179, "200 g", "Im Beutel"),
    ("Cashewkerne geröstet", "Snacks & Süßwaren", 349, "200 g", "Gesalzen"),
    ("Butterkekse", "Snacks & Süßwaren", 99, "200 g", "Mit Butter gebacken"),
    # Frühstück, Kaffee & Tee
    ("Erdbeerkonfitüre extra", "Frühstück", 189, "450 g", "50 % Fruchtanteil"),
    ("Haferflocken zart", "Frühstück", 89, "500 g", "Vollkorn"),
    ("Nuss-Nougat-Creme", "Frühstück", 229, "400 g", "Mit Haselnüssen"),
    ("Blütenhonig", "Frühstück", 449, "500 g", "Cremig"),
    ("Knuspermüsli Schoko", "Frühstück", 249, "750 g", "Mit Schokostückchen"),
    ("Röstkaffee gemahlen", "Kaffee & Tee", 699, "500 g", "Für Filterkaffee"),
    ("Kaffee ganze Bohne", "Kaffee & Tee", 1399, "1 kg", "Für Vollautomaten"),
    ("Schwarzer Tee", "Kaffee & Tee", 129, "50 g", "25 Beutel"),
    ("Pfefferminztee", "Kaffee & Tee", 119, "38 g", "25 Beutel"),
    # Tiefkühlkost, Fisch
    ("Pommes frites", "Tiefkühlkost", 229, "1 kg", "Für Backofen und Fritteuse"),
    ("Vanilleeis", "Tiefkühlkost", 299, "900 ml", "Mit Bourbon-Vanille"),
    ("Kräuterbaguette, 2 Stück", "Tiefkühlkost", 219, "350 g", "Mit Kräuterbutter"),
    ("Garnelenspieße, 4 Stück", "Fisch", 549, "200 g", "Tiefgekühlt, mit Knoblauch"),
    ("Lachsfilets, 2 Stück", "Fisch", 499, "250 g", "Tiefgekühlt, ohne Haut"),
    # Haushalt (19 %)
    ("Küchenrolle, 4 Rollen", "Haushalt", 229, "", "3-lagig"),
    ("Alufolie 30 m", "Haushalt", 199, "", "30 cm breit"),
    ("Frischhaltefolie 30 m", "Haushalt", 149, "", "Mit Abreißkante"),
    ("Müllbeutel 35 l, 50 Stück", "Haushalt", 199, "", "Mit Zugband"),
    ("Spülmittel", "Haushalt", 99, "500 ml", "Zitrone"),
    ("Gefrierbeutel 3 l, 50 Stück", "Haushalt", 149, "", "Mit Verschlussclips"),
    # Einweggeschirr (19 %), ohne Einwegplastik
    ("Pappteller 23 cm, 50 Stück", "Einweggeschirr", 249, "", "Rund, beschichtet"),
    ("Pappteller 18 cm, 25 Stück", "Einweggeschirr", 149, "", "Für Kuchen und Salat"),
    ("Pappbecher 0,2 l, 50 Stück", "Einweggeschirr", 199, "", "Für Kalt- und Heißgetränke"),
    ("Partybecher 0,3 l, 25 Stück", "Einweggeschirr", 249, "", "Aus Papier"),
    ("Holzbesteck-Set, 48-teilig", "Einweggeschirr", 299, "", "Je 16 Messer, Gabeln und Löffel"),
    ("Servietten 33 x 33 cm, 50 Stück", "Einweggeschirr", 149, "", "3-lagig"),
    ("Papiertrinkhalme, 100 Stück", "Einweggeschirr", 199, "", "Kompostierbar"),
    ("Papiertischdecke 5 m", "Einweggeschirr", 299, "", "Weiß, 1,2 m breit"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Glutmeister", "4031234", 13, [
    ("Grillkohle Buche", "Grillzubehör", 599, "3 kg", "Aus FSC-zertifiziertem Buchenholz"),
    ("Grillkohle Buche, Großpack", "Grillzubehör", 1499, "10 kg", "Aus FSC-zertifiziertem Holz"),
    ("Grillbriketts", "Grillzubehör", 899, "5 kg", "Lange Glutdauer"),
    ("Grillanzünder Holzwolle, 100 Stück", "Grillzubehör", 399, "", "Gewachst, geruchlos"),
    ("Grillanzünder-Würfel, 32 Stück", "Grillzubehör", 199, "", "Paraffinfrei"),
    ("Flüssiger Grillanzünder", "Grillzubehör", 349, "1 l", "Nur vor dem Anzünden auftragen"),
    ("Anzündkamin", "Grillzubehör", 1499, "", "Verzinkter Stahl"),
    ("Alu-Grillschalen, 10 Stück", "Grillzubehör", 299, "", "34 x 22 cm, wiederverwendbar"),
    ("Alu-Grillschalen gelocht, 5 Stück", "Grillzubehör", 249, "", "Für Gemüse und Fisch"),
    ("Grillzange Edelstahl", "Grillzubehör", 799, "", "40 cm lang"),
    ("Grillbürste", "Grillzubehör", 899, "", "Mit Edelstahlborsten"),
    ("Grillhandschuhe", "Grillzubehör", 1299, "", "Hitzebeständig bis 250 Grad"),
    ("Einweggrill", "Grillzubehör", 599, "", "Brenndauer ca. 90 Minuten"),
    ("Holzspieße, 100 Stück", "Grillzubehör", 149, "", "20 cm, Bambus"),
    ("Räucherchips Buche", "Grillzubehör", 499, "500 g", "Für Kugelgrill und Smoker"),
    ("Grillthermometer digital", "Grillzubehör", 1499, "", "Mit Einstechfühler"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Glutmeister", "40234", 8, [
    ("Stabfeuerzeug", "Grillzubehör", 349, "", "Nachfüllbar"),
    ("Streichhölzer, 10 Schachteln", "Grillzubehör", 99, "", "Sicherheitszündhölzer"),
    ("Citronella-Kerze im Eimer", "Insektenschutz", 399, "", "Brenndauer ca. 30 Stunden"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Lindenhof Quelle", "4045678", 13, [
    ("Mineralwasser Classic", "Wasser", 59, "1,5 l", "Mit Kohlensäure, zzgl. 0,25 € Pfand"),
    ("Mineralwasser Medium", "Wasser", 59, "1,5 l", "Wenig Kohlensäure, zzgl. 0,25 € Pfand"),
    ("Mineralwasser Naturell", "Wasser", 59, "1,5 l", "Ohne Kohlensäure, zzgl. 0,25 € Pfand"),
    ("Mineralwasser Medium, Kasten", "Wasser", 699, "12 x 0,7 l", "Glas, zzgl. 3,30 € Pfand"),
    ("Mineralwasser Naturell, 6er-Pack", "Wasser", 349, "6 x 1,5 l", "Zzgl. 1,50 € Pfand"),
    ("Apfelschorle", "Säfte & Schorlen", 119, "1,5 l", "60 % Apfelsaft, zzgl. 0,25 € Pfand"),
    ("Apfelschorle, Kasten", "Säfte & Schorlen", 1099, "12 x 1 l", "Glas, zzgl. 3,30 € Pfand"),
    ("Johannisbeerschorle", "Säfte & Schorlen", 129, "1,5 l", "Zzgl. 0,25 € Pfand"),
    ("Rhabarberschorle", "Säfte & Schorlen", 99, "0,5 l", "Zzgl. 0,25 € Pfand"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Kieselbach", "4071234", 13, [
    ("Cola", "Softdrinks", 129, "1,5 l", "Koffeinhaltig, zzgl. 0,25 € Pfand"),
    ("Cola Zero", "Softdrinks", 129, "1,5 l", "Ohne Zucker, zzgl. 0,25 € Pfand"),
    ("Spezi", "Softdrinks", 129, "1,5 l", "Cola-Orangen-Mix, zzgl. 0,25 € Pfand"),
    ("Orangenlimonade", "Softdrinks", 119, "1,5 l", "Zzgl. 0,25 € Pfand"),
    ("Zitronenlimonade", "Softdrinks", 119, "1,5 l", "Zzgl. 0,25 € Pfand"),
    ("Cola, Dose", "Softdrinks", 79, "0,33 l", "Zzgl. 0,25 € Pfand"),
    ("Cola, Kasten", "Softdrinks", 1499, "12 x 1 l", "Glas, zzgl. 3,30 € Pfand"),
    ("Spezi, Kasten", "Softdrinks", 1399, "12 x 1 l", "Glas, zzgl. 3,30 € Pfand"),
    ("Eistee Pfirsich", "Softdrinks", 119, "1,5 l", "Zzgl. 0,25 € Pfand"),
    ("Tonic Water", "Softdrinks", 149, "1 l", "Mit Chinin, zzgl. 0,25 € Pfand"),
    ("Ginger Ale", "Softdrinks", 149, "1 l", "Zzgl. 0,25 € Pfand"),
    ("Energy Drink", "Softdrinks", 99, "0,25 l", "Koffeinhaltig, zzgl. 0,25 € Pfand"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Sonnenhof", "4062345", 13, [
    ("Apfelsaft naturtrüb", "Säfte & Schorlen", 199, "1 l", "Direktsaft"),
    ("Orangensaft", "Säfte & Schorlen", 219, "1 l", "100 % Saft, aus Konzentrat"),
    ("Multivitaminsaft", "Säfte & Schorlen", 199, "1 l", "Mehrfruchtsaft"),
    ("Roter Traubensaft", "Säfte & Schorlen", 239, "1 l", "Direktsaft"),
    ("Maracujanektar", "Säfte & Schorlen", 179, "1 l", "Fruchtgehalt 25 %"),
    ("Tomatensaft", "Säfte & Schorlen", 229, "1 l", "Mit Meersalz"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Musterbräu", "4056789", 13, [
    ("Musterbräu Pils", "Bier", 109, "0,5 l", "4,9 % vol., zzgl. 0,08 € Pfand"),
    ("Musterbräu Pils, Kasten", "Bier", 1699, "20 x 0,5 l", "Zzgl. 3,10 € Pfand"),
    ("Musterbräu Pils, Sixpack", "Bier", 549, "6 x 0,33 l", "Zzgl. 0,48 € Pfand"),
    ("Musterbräu Helles", "Bier", 119, "0,5 l", "5,0 % vol., zzgl. 0,08 € Pfand"),
    ("Musterbräu Helles, Kasten", "Bier", 1799, "20 x 0,5 l", "Zzgl. 3,10 € Pfand"),
    ("Musterbräu Weißbier hell", "Bier", 129, "0,5 l", "Hefeweizen, 5,4 % vol."),
    ("Musterbräu Weißbier dunkel", "Bier", 129, "0,5 l", "Dunkles Hefeweizen, 5,3 % vol."),
    ("Musterbräu Weißbier, Kasten", "Bier", 1899, "20 x 0,5 l", "Hefeweizen hell"),
    ("Musterbräu Export dunkel", "Bier", 119, "0,5 l", "5,2 % vol."),
    ("Partyfass Helles", "Bier", 1999, "5 l", "Mit Zapfhahn"),
    ("Musterbräu Radler", "Biermischgetränke", 99, "0,5 l", "Helles mit Zitronenlimonade"),
    ("Musterbräu Radler, Kasten", "Biermischgetränke", 1599, "20 x 0,5 l", "Zzgl. 3,10 € Pfand"),
    ("Musterbräu Russ", "Biermischgetränke", 109, "0,5 l", "Weißbier mit Zitronenlimonade"),
    ("Musterbräu Alkoholfrei", "Alkoholfreies Bier", 109, "0,5 l", "Pils, unter 0,5 % vol."),
    ("Musterbräu Weißbier alkoholfrei", "Alkoholfreies Bier", 119, "0,5 l", "Isotonisch"),
    ("Musterbräu Radler alkoholfrei", "Alkoholfreies Bier", 99, "0,5 l", "Unter 0,5 % vol."),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Brauerei Kellerhof", "4013579", 13, [
    ("Kellerbier naturtrüb", "Bier", 139, "0,5 l", "Ungefiltert, 5,2 % vol."),
    ("Kellerhof Märzen", "Bier", 129, "0,5 l", "Bernsteinfarben, 5,6 % vol."),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Weingut Rebenhang", "4067890", 13, [
    ("Riesling trocken", "Wein & Sekt", 699, "0,75 l", "Qualitätswein aus der Pfalz"),
    ("Grauburgunder trocken", "Wein & Sekt", 799, "0,75 l", "Qualitätswein aus Baden"),
    ("Dornfelder halbtrocken", "Wein & Sekt", 599, "0,75 l", "Fruchtiger Rotwein"),
    ("Spätburgunder Rosé", "Wein & Sekt", 649, "0,75 l", "Frisch und beerig"),
    ("Müller-Thurgau", "Wein & Sekt", 449, "1 l", "Leichter Weißwein"),
    ("Sekt trocken", "Wein & Sekt", 499, "0,75 l", "Flaschengärung"),
    ("Weißweinschorle, Dose", "Wein & Sekt", 199, "0,33 l", "Riesling mit Mineralwasser"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Cantina del Sole", "8034567", 13, [
    ("Prosecco DOC Frizzante", "Wein & Sekt", 599, "0,75 l", "Perlwein aus Venetien"),
    ("Primitivo di Manduria", "Wein & Sekt", 799, "0,75 l", "Vollmundiger Rotwein aus Apulien"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Brennerei Kornfeld", "4078901", 13, [
    ("Doppelkorn 38 %", "Spirituosen", 899, "0,7 l", "Aus Weizen"),
    ("Kräuterlikör 35 %", "Spirituosen", 1299, "0,7 l", "Mit 42 Kräutern"),
    ("Obstler 40 %", "Spirituosen", 1499, "0,7 l", "Aus Äpfeln und Birnen"),
    ("Wodka 37,5 %", "Spirituosen", 999, "0,7 l", "Dreifach destilliert"),
    ("Musterstadt Dry Gin 42 %", "Spirituosen", 2499, "0,5 l", "Mit Wacholder und Zitrone"),
    ("Aperitivo Bitter 11 %", "Spirituosen", 1199, "0,7 l", "Für Spritz-Cocktails"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Brennerei Kornfeld", "40789", 8, [
    ("Kräuterlikör Mini", "Spirituosen", 99, "20 ml", "Portionsflasche"),
    ("Doppelkorn Mini", "Spirituosen", 89, "20 ml", "Portionsflasche"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Hofmolkerei Auental", "4082345", 13, [
    ("Grillkäse natur", "Käse", 279, "200 g", "2 Stück, zum Grillen und Braten"),
    ("Grillkäse mit Kräutern", "Käse", 299, "200 g", "2 Stück, mit Kräutern der Provence"),
    ("Grill-Camembert", "Käse", 299, "2 x 100 g", "In der Aluschale"),
    ("Gouda jung in Scheiben", "Käse", 199, "250 g", "Mild"),
    ("Butterkäse in Scheiben", "Käse", 189, "250 g", "Cremig-mild"),
    ("Hirtenkäse", "Käse", 179, "200 g", "In Salzlake, aus Kuhmilch"),
    ("Mozzarella", "Käse", 99, "125 g", "Abtropfgewicht"),
    ("Frischkäse Kräuter", "Käse", 129, "200 g", "Doppelrahmstufe"),
    ("Camembert", "Käse", 149, "125 g", "45 % Fett i. Tr."),
    ("Buttermilch", "Molkereiprodukte", 79, "500 ml", "Reine Buttermilch"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Kypros", "5291234", 13, [
    ("Halloumi", "Käse", 299, "250 g", "Grillkäse aus Zypern, g.U."),
    ("Halloumi Chili", "Käse", 329, "225 g", "Mit Chiliflocken"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Caseificio Bellavista", "8012345", 13, [
    ("Mozzarella di Bufala Campana", "Käse", 249, "125 g", "Aus Büffelmilch, g.U."),
    ("Burrata", "Käse", 299, "125 g", "Mit cremigem Kern"),
    ("Parmigiano Reggiano gerieben", "Käse", 299, "100 g", "Frisch gerieben"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Feinkost Berger", "4091234", 13, [
    ("Kartoffelsalat mit Gurke", "Feinkost & Salate", 229, "500 g", "Mit Mayonnaise"),
    ("Nudelsalat mit Schinken", "Feinkost & Salate", 229, "500 g", "Mit Erbsen und Mais"),
    ("Krautsalat", "Feinkost & Salate", 179, "500 g", "Mit Karotten"),
    ("Fleischsalat", "Feinkost & Salate", 149, "200 g", "Mit Gurke"),
    ("Eiersalat", "Feinkost & Salate", 179, "200 g", "Mit Schnittlauch"),
    ("Tzatziki im Becher", "Saucen & Dips", 149, "200 g", "Mit Gurke und Knoblauch"),
    ("Grillsauce Texas BBQ", "Saucen & Dips", 189, "250 ml", "Rauchig-süß"),
    ("Knoblauchsauce", "Saucen & Dips", 169, "250 ml", "Cremig"),
    ("Cocktailsauce", "Saucen & Dips", 169, "250 ml", "Fruchtig"),
    ("Paprikasauce ungarische Art", "Saucen & Dips", 169, "250 ml", "Mit Paprika und Zwiebeln"),
    ("Schaschliksauce", "Saucen & Dips", 169, "250 ml", "Pikant"),
    ("Currysauce", "Saucen & Dips", 169, "250 ml", "Für Currywurst"),
    ("Aioli", "Saucen & Dips", 199, "200 g", "Mit Knoblauch und Olivenöl"),
    ("Kräuterdip", "Saucen & Dips", 149, "200 g", "Mit Schmand und Kräutern"),
    ("Salsa-Dip mild", "Saucen & Dips", 199, "300 g", "Für Tortilla-Chips"),
    ("Guacamole", "Saucen & Dips", 249, "200 g", "Mit Avocado und Limette"),
    ("Remoulade", "Saucen & Dips", 129, "250 ml", "Mit Kräutern und Gurke"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Senfmühle Musterstadt", "4038765", 13, [
    ("Senf mittelscharf", "Saucen & Dips", 99, "250 ml", "Im Glas"),
    ("Süßer Senf", "Saucen & Dips", 149, "250 ml", "Bayerische Art, zu Leberkäse"),
    ("Scharfer Senf", "Saucen & Dips", 99, "250 ml", "Extra scharf"),
    ("Dijon-Senf", "Saucen & Dips", 179, "200 ml", "Französische Art"),
    ("Honig-Senf-Sauce", "Saucen & Dips", 199, "250 ml", "Süß-würzig"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Senfmühle Musterstadt", "40387", 8, [
    ("Senf mittelscharf, Tube", "Saucen & Dips", 79, "100 ml", "Für unterwegs"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Grünzeug", "4029876", 13, [
    ("Vegane Bratwurst, 4 Stück", "Vegan & Vegetarisch", 299, "200 g", "Auf Erbsenproteinbasis"),
    ("Vegane Würstchen Wiener Art", "Vegan & Vegetarisch", 249, "200 g", "Zart geräuchert"),
    ("Vegane Burger-Patties, 2 Stück", "Vegan & Vegetarisch", 349, "226 g", "Saftig, zum Grillen"),
    ("Tofu natur", "Vegan & Vegetarisch", 199, "200 g", "Aus europäischen Sojabohnen"),
    ("Räuchertofu", "Vegan & Vegetarisch", 229, "200 g", "Über Buchenholz geräuchert"),
    ("Seitan-Grillsteaks, 2 Stück", "Vegan & Vegetarisch", 349, "200 g", "Mariniert"),
    ("Veganer Grillblock", "Vegan & Vegetarisch", 279, "200 g", "Alternative zu Grillkäse"),
    ("Gemüsespieße, 4 Stück", "Vegan & Vegetarisch", 349, "400 g", "Zucchini, Paprika, Zwiebel"),
    ("Hummus natur", "Vegan & Vegetarisch", 179, "200 g", "Mit Tahin"),
    ("Falafel", "Vegan & Vegetarisch", 249, "220 g", "Zum Aufbacken"),
    ("Veggie-Frikadellen", "Vegan & Vegetarisch", 299, "200 g", "Vegetarisch, mit Ei"),
    ("Vegane Mayo", "Saucen & Dips", 199, "250 ml", "Ohne Ei"),
])  # fmt: skip

# Imports from the USA: UPC-A (12 digits).
PRODUCTS += _packed(SUPERMARKET, "Big Creek", "085239", 12, [
    ("Big Creek Hickory BBQ Sauce", "Saucen & Dips", 399, "510 g", "Import aus den USA"),
    ("Big Creek Honey BBQ Sauce", "Saucen & Dips", 399, "510 g", "Mit Honig"),
    ("Big Creek Carolina Gold BBQ Sauce", "Saucen & Dips", 429, "510 g", "Auf Senf-Basis"),
    ("Big Creek Louisiana Hot Sauce", "Saucen & Dips", 349, "148 ml", "Sehr scharf"),
    ("Big Creek Ranch Dressing", "Saucen & Dips", 449, "473 ml", "Mit Buttermilch"),
    ("Big Creek Yellow Mustard", "Saucen & Dips", 299, "397 g", "Für Hot Dogs"),
    ("Big Creek Sweet Relish", "Saucen & Dips", 349, "473 ml", "Süße Gurkenwürze"),
    ("Big Creek Beef Jerky Original", "Snacks & Süßwaren", 499, "70 g", "Getrocknetes Rindfleisch"),
])  # fmt: skip

PRODUCTS += _packed(SUPERMARKET, "Lone Oak", "073210", 12, [
    ("Lone Oak Root Beer", "Softdrinks", 199, "355 ml", "Dose, Import, zzgl. 0,25 € Pfand"),
    ("Lone Oak Cream Soda", "Softdrinks", 199, "355 ml", "Dose, Import, zzgl. 0,25 € Pfand"),
    ("Lone Oak Grape Soda", "Softdrinks", 199, "355 ml", "Dose, Import, zzgl. 0,25 € Pfand"),
])  # fmt: skip

# ---- Bäckerei Brandl ---------------------------------------------------------------
# The bakery's checkout scans the barcodes on its shelf labels and bags: own GTINs.

PRODUCTS += _packed(BAKERY, "Bäckerei Brandl", "4025678", 13, [
    ("Brötchen", "Brot & Brötchen", 45, "", "Klassisches Weizenbrötchen"),
    ("Mehrkornbrötchen", "Brot & Brötchen", 65, "", "Mit Sonnenblumenkernen und Leinsaat"),
    ("Kürbiskernbrötchen", "Brot & Brötchen", 75, "", "Mit steirischen Kürbiskernen"),
    ("Roggenbrötchen", "Brot & Brötchen", 60, "", "Kräftig, mit Kümmel"),
    ("Laugenbrezel", "Brot & Brötchen", 85, "", "Mit grobem Salz"),
    ("Laugenstange", "Brot & Brötchen", 95, "", "Mit grobem Salz"),
    ("Brötchen-Tüte, 10 Stück", "Brot & Brötchen", 399, "", "Gemischte Brötchen vom Tag"),
    ("Baguette", "Brot & Brötchen", 189, "250 g", "Französische Art, knusprig"),
    ("Ciabatta", "Brot & Brötchen", 249, "300 g", "Mit Olivenöl, lange Teigführung"),
    ("Kräuterbaguette", "Brot & Brötchen", 299, "300 g", "Mit Kräuterbutter gefüllt"),
    ("Zwiebelbaguette", "Brot & Brötchen", 289, "300 g", "Mit Röstzwiebeln"),
    ("Bauernbrot", "Brot & Brötchen", 429, "1 kg", "Roggenmischbrot mit Natursauerteig"),
    ("Dinkelvollkornbrot", "Brot & Brötchen", 469, "750 g", "100 % Dinkelvollkorn"),
    ("Roggenmischbrot", "Brot & Brötchen", 389, "750 g", "Saftig, mit Sauerteig"),
    ("Fladenbrot", "Brot & Brötchen", 249, "400 g", "Mit Sesam und Schwarzkümmel"),
    ("Brioche-Burgerbrötchen, 4 Stück", "Brot & Brötchen", 399, "320 g", "Für Burger vom Grill"),
    ("Hot-Dog-Brötchen Brandl, 6 Stück", "Brot & Brötchen", 349, "360 g", "Weich und fluffig"),
    ("Butterbrezel", "Kuchen & Gebäck", 199, "", "Laugenbrezel mit Butter"),
    ("Croissant", "Kuchen & Gebäck", 129, "", "Mit Butter"),
    ("Schokocroissant", "Kuchen & Gebäck", 159, "", "Mit Zartbitterschokolade"),
    ("Berliner", "Kuchen & Gebäck", 149, "", "Mit Erdbeerkonfitüre"),
    ("Apfeltasche", "Kuchen & Gebäck", 179, "", "Blätterteig mit Apfelfüllung"),
    ("Zimtschnecke", "Kuchen & Gebäck", 229, "", "Mit Zuckerguss"),
    ("Bienenstich", "Kuchen & Gebäck", 299, "", "1 Stück"),
    ("Käsekuchen", "Kuchen & Gebäck", 329, "", "1 Stück, mit Mürbeteigboden"),
    ("Erdbeerkuchen", "Kuchen & Gebäck", 349, "", "1 Stück, mit frischen Erdbeeren"),
    ("Zwetschgendatschi", "Kuchen & Gebäck", 299, "", "1 Stück, Hefeteig mit Zwetschgen"),
    ("Donauwelle", "Kuchen & Gebäck", 319, "", "1 Stück"),
    ("Quarkbällchen, 6 Stück", "Kuchen & Gebäck", 249, "", "In Zucker gewälzt"),
])  # fmt: skip

PRODUCTS += _packed(BAKERY, "Bäckerei Brandl", "40256", 8, [
    ("Kaffee", "Heißgetränke", 249, "300 ml", "Filterkaffee zum Mitnehmen"),
    ("Espresso", "Heißgetränke", 199, "40 ml", "Aus der Siebträgermaschine"),
    ("Cappuccino", "Heißgetränke", 329, "300 ml", "Mit Milchschaum"),
    ("Tee", "Heißgetränke", 219, "300 ml", "Schwarz, grün oder Kräuter"),
    ("Orangensaft frisch gepresst", "Säfte & Schorlen", 349, "250 ml", "Aus der Saftpresse"),
])  # fmt: skip

# ---- Pizzeria Da Luigi (restaurant: no barcodes, food 7 %, drinks 19 %) ----------

PRODUCTS += _menu(PIZZERIA, "Pizzeria Da Luigi", [
    ("Pizza Margherita", "Pizza", 950, "", "Tomatensoße, Mozzarella, Basilikum"),
    ("Pizza Salami", "Pizza", 1090, "", "Mit italienischer Salami"),
    ("Pizza Prosciutto", "Pizza", 1090, "", "Mit Kochschinken"),
    ("Pizza Funghi", "Pizza", 1050, "", "Mit frischen Champignons"),
    ("Pizza Tonno", "Pizza", 1190, "", "Mit Thunfisch und Zwiebeln"),
    ("Pizza Hawaii", "Pizza", 1150, "", "Mit Schinken und Ananas"),
    ("Pizza Quattro Formaggi", "Pizza", 1290, "", "Mit vier Käsesorten"),
    ("Pizza Diavola", "Pizza", 1190, "", "Mit scharfer Salami und Peperoni"),
    ("Pizza Vegetariana", "Pizza", 1190, "", "Mit gegrilltem Gemüse"),
    ("Pizza Capricciosa", "Pizza", 1290, "", "Schinken, Champignons, Artischocken, Oliven"),
    ("Pizza Calzone", "Pizza", 1290, "", "Gefüllt mit Schinken, Salami und Ricotta"),
    ("Pizza Vegana", "Pizza", 1190, "", "Mit veganem Käse und Gemüse"),
    ("Pizzabrot mit Knoblauch", "Vorspeisen", 550, "", "Mit Olivenöl und Rosmarin"),
    ("Bruschetta", "Vorspeisen", 690, "", "Geröstetes Brot mit Tomaten und Basilikum"),
    ("Antipasto misto", "Vorspeisen", 1390, "", "Gemischte italienische Vorspeisen"),
    ("Minestrone", "Vorspeisen", 650, "", "Italienische Gemüsesuppe"),
    ("Spaghetti Bolognese", "Pasta", 1190, "", "Mit Rinderhack-Ragù"),
    ("Spaghetti Carbonara", "Pasta", 1250, "", "Mit Guanciale, Ei und Pecorino"),
    ("Penne all'Arrabbiata", "Pasta", 1050, "", "Scharfe Tomatensoße, vegan"),
    ("Lasagne al Forno", "Pasta", 1390, "", "Hausgemacht, aus dem Ofen"),
    ("Tagliatelle al Salmone", "Pasta", 1490, "", "Mit Lachs und Sahnesoße"),
    ("Gnocchi al Pomodoro", "Pasta", 1150, "", "Mit Tomatensoße und Parmesan"),
    ("Insalata Mista", "Salate", 750, "", "Gemischter Salat der Saison"),
    ("Insalata Caprese", "Salate", 950, "", "Tomaten, Mozzarella, Basilikum"),
    ("Insalata Tonno", "Salate", 1090, "", "Gemischter Salat mit Thunfisch und Ei"),
    ("Tiramisù", "Desserts", 650, "", "Hausgemacht"),
    ("Panna Cotta", "Desserts", 590, "", "Mit Beerensoße"),
    ("Gelato misto", "Desserts", 590, "", "3 Kugeln Eis"),
    ("Acqua minerale", "Wasser", 590, "750 ml", "Mit oder ohne Kohlensäure"),
    ("Cola", "Softdrinks", 390, "330 ml", "Flasche"),
    ("Aranciata", "Softdrinks", 390, "330 ml", "Italienische Orangenlimonade"),
    ("Apfelschorle", "Säfte & Schorlen", 420, "400 ml", "Vom Fass"),
    ("Birra alla spina", "Bier", 490, "400 ml", "Helles vom Fass"),
    ("Hauswein rot", "Wein & Sekt", 650, "200 ml", "Montepulciano d'Abruzzo"),
    ("Hauswein weiß", "Wein & Sekt", 650, "200 ml", "Pinot Grigio"),
    ("Prosecco", "Wein & Sekt", 590, "100 ml", "Im Glas"),
    ("Lambrusco, Flasche", "Wein & Sekt", 2490, "750 ml", "Leicht perlender Rotwein"),
    ("Spritz", "Cocktails & Longdrinks", 750, "300 ml", "Bitter-Aperitif mit Prosecco und Soda"),
    ("Grappa", "Spirituosen", 450, "20 ml", "Aus dem Trentino"),
    ("Limoncello", "Spirituosen", 450, "20 ml", "Hausgemacht, eiskalt"),
    ("Espresso", "Heißgetränke", 250, "40 ml", "Italienische Röstung"),
    ("Cappuccino", "Heißgetränke", 380, "200 ml", "Mit Milchschaum"),
])  # fmt: skip

# ---- Burgerwerk (restaurant) -------------------------------------------------------

PRODUCTS += _menu(BURGER, "Burgerwerk", [
    ("Classic Burger", "Burger", 1090, "", "Rindfleisch, Salat, Tomate, Zwiebel, Hausdressing"),
    ("Cheeseburger", "Burger", 1190, "", "Mit Cheddar"),
    ("Bacon Cheeseburger", "Burger", 1390, "", "Mit Cheddar und knusprigem Bacon"),
    ("Double Smash Burger", "Burger", 1490, "", "Zwei Smash-Patties, doppelt Käse"),
    ("BBQ Burger", "Burger", 1390, "", "Mit Röstzwiebeln und BBQ-Sauce"),
    ("Chili Cheese Burger", "Burger", 1390, "", "Mit Jalapeños und Chili-Cheese-Sauce"),
    ("Pulled Pork Burger", "Burger", 1390, "", "Mit Krautsalat"),
    ("Chicken Burger", "Burger", 1290, "", "Knuspriges Hähnchen, Honig-Senf-Sauce"),
    ("Halloumi Burger", "Burger", 1290, "", "Gegrillter Halloumi, Rucola, Tomate"),
    ("Veggie Burger", "Burger", 1250, "", "Veganes Patty, vegane Mayo"),
    ("Kids Burger", "Burger", 690, "", "Kleiner Burger mit Käse"),
    ("Pommes frites", "Beilagen", 450, "", "Mit Meersalz"),
    ("Süßkartoffel-Pommes", "Beilagen", 550, "", "Mit Trüffelmayo"),
    ("Onion Rings", "Beilagen", 550, "", "8 Stück"),
    ("Chili Cheese Fries", "Beilagen", 690, "", "Pommes mit Käsesauce und Jalapeños"),
    ("Coleslaw", "Beilagen", 390, "", "Amerikanischer Krautsalat"),
    ("Maiskolben vom Grill", "Beilagen", 490, "", "Mit Kräuterbutter"),
    ("Chicken Wings, 6 Stück", "Vorspeisen", 890, "", "Mit BBQ- oder Hot-Sauce"),
    ("Mozzarella Sticks, 6 Stück", "Vorspeisen", 690, "", "Mit Tomatendip"),
    ("Dip Ketchup", "Saucen & Dips", 80, "", "Portion"),
    ("Dip Mayo", "Saucen & Dips", 80, "", "Portion"),
    ("Dip BBQ", "Saucen & Dips", 100, "", "Portion, hausgemacht"),
    ("Dip Trüffelmayo", "Saucen & Dips", 150, "", "Portion, hausgemacht"),
    ("Brownie", "Desserts", 490, "", "Warm, mit Walnüssen"),
    ("New York Cheesecake", "Desserts", 550, "", "Mit Beerensoße"),
    ("Cola", "Softdrinks", 390, "400 ml", "Frisch gezapft"),
    ("Cola Zero", "Softdrinks", 390, "400 ml", "Ohne Zucker"),
    ("Spezi", "Softdrinks", 390, "400 ml", "Cola-Orangen-Mix"),
    ("Orangenlimonade", "Softdrinks", 390, "400 ml", "Frisch gezapft"),
    ("Hausgemachte Limonade", "Softdrinks", 450, "400 ml", "Zitrone und Minze"),
    ("Eistee hausgemacht", "Softdrinks", 450, "400 ml", "Pfirsich"),
    ("Root Beer", "Softdrinks", 450, "355 ml", "Dose, aus den USA"),
    ("Apfelschorle", "Säfte & Schorlen", 390, "400 ml", "Frisch gezapft"),
    ("Mineralwasser", "Wasser", 350, "500 ml", "Mit oder ohne Kohlensäure"),
    ("Pils vom Fass", "Bier", 490, "500 ml", "Musterbräu Pils"),
    ("Pale Ale", "Bier", 550, "330 ml", "Craft Beer aus Musterstadt"),
    ("Weißbier alkoholfrei", "Alkoholfreies Bier", 490, "500 ml", "Flasche"),
    ("Whiskey-Cola", "Cocktails & Longdrinks", 890, "300 ml", "4 cl Bourbon mit Cola"),
])  # fmt: skip

# ---- Drogerie Lindner --------------------------------------------------------------

PRODUCTS += _packed(DRUGSTORE, "Sonnenkind", "4054321", 13, [
    ("Sonnencreme LSF 30", "Sonnenschutz", 499, "200 ml", "Wasserfest"),
    ("Sonnencreme LSF 50", "Sonnenschutz", 549, "200 ml", "Sehr hoher Schutz, wasserfest"),
    ("Sonnenspray Kinder LSF 50+", "Sonnenschutz", 649, "200 ml", "Parfümfrei, extra wasserfest"),
    ("Sonnenmilch LSF 20", "Sonnenschutz", 449, "250 ml", "Leicht einziehend"),
    ("Sonnenfluid Gesicht LSF 50", "Sonnenschutz", 699, "50 ml", "Nicht fettend"),
    ("After-Sun-Lotion", "Sonnenschutz", 349, "200 ml", "Mit Aloe vera"),
])  # fmt: skip

PRODUCTS += _packed(DRUGSTORE, "Sonnenkind", "40543", 8, [
    ("Lippenpflege LSF 30", "Sonnenschutz", 199, "", "Pflegestift"),
])  # fmt: skip

PRODUCTS += _packed(DRUGSTORE, "Lindner", "4039876", 13, [
    ("Mückenspray", "Insektenschutz", 599, "100 ml", "Schutz bis zu 6 Stunden"),
    ("Mückenspray Tropen", "Insektenschutz", 799, "100 ml", "Mit 20 % Icaridin"),
    ("Zeckenschutz-Spray", "Insektenschutz", 699, "100 ml", "Für Wald und Wiese"),
    ("Insektenstich-Kühlgel", "Insektenschutz", 399, "50 ml", "Kühlt und beruhigt"),
    ("Mückenstecker mit Nachfüller", "Insektenschutz", 799, "", "Für 45 Nächte"),
    ("Zahnpasta Kariesschutz", "Zahnpflege", 65, "75 ml", "Mit Fluorid"),
    ("Zahnpasta Sensitiv", "Zahnpflege", 145, "75 ml", "Für empfindliche Zähne"),
    ("Kinderzahnpasta", "Zahnpflege", 95, "50 ml", "Mit 1000 ppm Fluorid"),
    ("Zahnbürsten mittel, 2 Stück", "Zahnpflege", 199, "", "Mittlere Borsten"),
    ("Mundspülung", "Zahnpflege", 199, "500 ml", "Ohne Alkohol"),
    ("Interdentalbürsten, 6 Stück", "Zahnpflege", 249, "", "Größe 0,6 mm"),
    ("Duschgel Meeresbrise", "Körperpflege", 115, "250 ml", "pH-hautneutral"),
    ("Flüssigseife", "Körperpflege", 119, "500 ml", "Mit Pumpspender"),
    ("Bodylotion", "Körperpflege", 249, "400 ml", "Für trockene Haut"),
    ("Deo-Roller", "Körperpflege", 155, "50 ml", "Ohne Aluminium"),
    ("Deospray", "Körperpflege", 195, "200 ml", "48 Stunden Schutz"),
    ("Handcreme", "Körperpflege", 165, "100 ml", "Mit Urea"),
    ("Rasierschaum", "Körperpflege", 155, "300 ml", "Für empfindliche Haut"),
    ("Einwegrasierer, 10 Stück", "Körperpflege", 299, "", "3 Klingen"),
    ("Wattepads, 120 Stück", "Körperpflege", 89, "", "Aus Baumwolle"),
    ("Shampoo Repair", "Haarpflege", 125, "300 ml", "Für strapaziertes Haar"),
    ("Spülung Repair", "Haarpflege", 125, "300 ml", "Für strapaziertes Haar"),
    ("Haarspray", "Haarpflege", 195, "300 ml", "Extra starker Halt"),
    ("Haargel", "Haarpflege", 145, "150 ml", "Wet-Look"),
    ("Trockenshampoo", "Haarpflege", 275, "200 ml", "Für zwischendurch"),
    ("Wunddesinfektionsspray", "Gesundheit", 499, "50 ml", "Farblos, brennt nicht"),
    ("Kühlkompresse", "Gesundheit", 299, "", "Wiederverwendbar"),
    ("Fieberthermometer digital", "Gesundheit", 599, "", "Mit Fieberalarm"),
    ("Tampons normal, 32 Stück", "Damenhygiene", 199, "", "Mit Dehnrillen"),
    ("Binden normal, 18 Stück", "Damenhygiene", 129, "", "Mit Flügeln"),
    ("Menstruationstasse Gr. M", "Damenhygiene", 1495, "", "Aus medizinischem Silikon"),
    ("Windeln Gr. 4, 44 Stück", "Baby & Kind", 899, "", "9 bis 14 kg"),
    ("Feuchttücher, 80 Stück", "Baby & Kind", 99, "", "Parfümfrei"),
    ("Toilettenpapier, 8 Rollen", "Haushalt", 349, "", "3-lagig, Recyclingpapier"),
    ("Spülmaschinentabs, 40 Stück", "Haushalt", 449, "", "All-in-one"),
    ("Vollwaschmittel Pulver", "Haushalt", 399, "1350 g", "20 Waschladungen"),
    ("Allzweckreiniger", "Haushalt", 119, "1 l", "Zitronenduft"),
    ("Studentenfutter", "Snacks & Süßwaren", 199, "200 g", "Nüsse und Rosinen"),
    ("Bio-Reiswaffeln", "Snacks & Süßwaren", 99, "100 g", "Leicht gesalzen"),
])  # fmt: skip

PRODUCTS += _packed(DRUGSTORE, "Lindner", "40398", 8, [
    ("Zahnseide gewachst", "Zahnpflege", 129, "", "50 m"),
    ("Pflaster-Strips, 20 Stück", "Gesundheit", 199, "", "Wasserfest"),
    ("Taschentücher, 10 x 10 Stück", "Haushalt", 99, "", "4-lagig"),
    ("Wattestäbchen, 200 Stück", "Körperpflege", 79, "", "Mit Papierschaft"),
    ("Haargummis, 12 Stück", "Haarpflege", 149, "", "Ohne Metall"),
])  # fmt: skip

# ---- Salon Haarmonie (services: 19 %, no barcode) ----------------------------------

PRODUCTS += _menu(SALON, "Salon Haarmonie", [
    ("Herrenhaarschnitt", "Haarschnitt", 2800, "", "Waschen, Schneiden, Styling, ca. 30 Minuten"),
    ("Maschinenhaarschnitt", "Haarschnitt", 1800, "", "Eine Länge mit der Maschine"),
    ("Damenhaarschnitt kurz", "Haarschnitt", 4500, "", "Waschen, Schneiden, Föhnen"),
    ("Damenhaarschnitt lang", "Haarschnitt", 5900, "", "Waschen, Schneiden, Föhnen"),
    ("Kinderhaarschnitt", "Haarschnitt", 1900, "", "Bis 12 Jahre"),
    ("Pony nachschneiden", "Haarschnitt", 900, "", "Ohne Termin"),
    ("Waschen & Föhnen", "Styling & Pflege", 2900, "", "Mit Pflegeprodukten"),
    ("Hochsteckfrisur", "Styling & Pflege", 6500, "", "Für Hochzeit und Feier"),
    ("Kopfmassage mit Pflegekur", "Styling & Pflege", 1500, "", "15 Minuten"),
    ("Ansatzfarbe", "Farbe & Strähnen", 5500, "", "Inklusive Föhnen"),
    ("Färben komplett", "Farbe & Strähnen", 6900, "", "Inklusive Föhnen"),
    ("Tönung", "Farbe & Strähnen", 4900, "", "Auswaschbar nach 6 bis 8 Wäschen"),
    ("Strähnen in Folientechnik", "Farbe & Strähnen", 7900, "", "Oberkopf"),
    ("Balayage", "Farbe & Strähnen", 14900, "", "Freihandtechnik, inklusive Schnitt"),
    ("Bartschnitt & Konturen", "Bart & Brauen", 1500, "", "Mit Trimmer und Messer"),
    ("Nassrasur mit heißem Tuch", "Bart & Brauen", 2500, "", "Klassisch mit dem Messer"),
    ("Augenbrauen zupfen", "Bart & Brauen", 1200, "", "Mit Formberatung"),
    ("Augenbrauen färben", "Bart & Brauen", 1200, "", "Pflanzenfarbe"),
])  # fmt: skip

PRODUCTS += _packed(SALON, "Haarwerk Professional", "4019876", 13, [
    ("Pflegeshampoo Feuchtigkeit", "Haarpflege", 1890, "250 ml", "Salonprodukt"),
    ("Haarkur Intensiv", "Haarpflege", 2290, "200 ml", "Für trockenes Haar"),
    ("Stylingwachs matt", "Haarpflege", 1690, "75 ml", "Flexibler Halt"),
    ("Hitzeschutzspray", "Haarpflege", 1790, "150 ml", "Bis 230 Grad"),
    ("Arganöl-Haarserum", "Haarpflege", 2490, "100 ml", "Für Glanz"),
    ("Bartöl", "Haarpflege", 1490, "30 ml", "Mit Zedernholzduft"),
])  # fmt: skip

# --------------------------------------------------------------- demo scale label
# The demo story: a 1.234 kg pack of Nackensteak from Metzgerei Huber's counter is
# priced by its label. Weight-embedded label (prefix 28) and the equivalent
# price-embedded label (prefix 22); 1.234 kg x 12,90 EUR/kg = 15,92 EUR (rounded half up).

_NACKENSTEAK = next(p for p in PRODUCTS if p["merchant"] == BUTCHER and p["name"] == "Nackensteak")
_LABEL_WEIGHT_G = 1234
_LABEL_PRICE_CENTS = (_LABEL_WEIGHT_G * _NACKENSTEAK["price_cents"] + 500) // 1000

DEMO_SCALE_LABEL = {
    "merchant": BUTCHER,
    "rcn_item": _NACKENSTEAK["rcn_item"],
    "weight_g": _LABEL_WEIGHT_G,
    "price_cents": _LABEL_PRICE_CENTS,
    "ean_weight": variable_measure_ean(_NACKENSTEAK["rcn_item"], _LABEL_WEIGHT_G, "28"),
    "ean_price": variable_measure_ean(_NACKENSTEAK["rcn_item"], _LABEL_PRICE_CENTS, "22"),
}

# ---------------------------------------------------------------------------- people

DEMO_USERS: list[dict[str, Any]] = [
    {
        "username": "anna",
        "display_name": "Anna Schmidt",
        "email": "anna@example.org",
        "password": "grillen-anna-2026",
        "locale": "de",
    },
    {
        "username": "ben",
        "display_name": "Ben Müller",
        "email": "ben@example.org",
        "password": "grillen-ben-2026",
        "locale": "de",
    },
    {
        "username": "cem",
        "display_name": "Cem Demir",
        "email": "cem@example.org",
        "password": "grillen-cem-2026",
        "locale": "en",
    },
    {
        "username": "dora",
        "display_name": "Dora Becker",
        "email": "dora@example.org",
        "password": "grillen-dora-2026",
        "locale": "de",
    },
]

# Every pair of demo users is friends (6 pairs), each pair listed once.
DEMO_FRIENDSHIPS: list[tuple[str, str]] = [
    ("anna", "ben"),
    ("anna", "cem"),
    ("anna", "dora"),
    ("ben", "cem"),
    ("ben", "dora"),
    ("cem", "dora"),
]

DEMO_HOUSEHOLD = {"name": "WG Lindenstraße", "members": ["anna", "dora"]}

# One staff account per merchant; role as in kosmos.catalog.model.STAFF_ROLES.
DEMO_STAFF: list[dict[str, Any]] = [
    {
        "username": "huber",
        "display_name": "Hans Huber",
        "email": "huber@example.org",
        "password": "metzger-huber-2026",
        "merchant": BUTCHER,
        "role": "owner",
    },
    {
        "username": "kaya",
        "display_name": "Selin Kaya",
        "email": "kaya@example.org",
        "password": "markt-kaya-2026",
        "merchant": SUPERMARKET,
        "role": "staff",
    },
    {
        "username": "brandl",
        "display_name": "Maria Brandl",
        "email": "brandl@example.org",
        "password": "baecker-brandl-2026",
        "merchant": BAKERY,
        "role": "owner",
    },
    {
        "username": "luigi",
        "display_name": "Luigi Rossi",
        "email": "luigi@example.org",
        "password": "pizza-luigi-2026",
        "merchant": PIZZERIA,
        "role": "owner",
    },
    {
        "username": "jonas",
        "display_name": "Jonas Weber",
        "email": "jonas@example.org",
        "password": "burger-jonas-2026",
        "merchant": BURGER,
        "role": "staff",
    },
    {
        "username": "lindner",
        "display_name": "Petra Lindner",
        "email": "lindner@example.org",
        "password": "drogerie-lindner-2026",
        "merchant": DRUGSTORE,
        "role": "owner",
    },
    {
        "username": "vogel",
        "display_name": "Sabine Vogel",
        "email": "vogel@example.org",
        "password": "friseur-vogel-2026",
        "merchant": SALON,
        "role": "owner",
    },
]

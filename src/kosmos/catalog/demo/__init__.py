"""Demo data for the fictitious German town of Musterstadt.

Plain data plus a few tiny helpers; standard library only, no I/O. The package is split
by what it does: ``helpers`` (GS1 check digits, scale labels), ``categories`` (VAT and
minimum age per category), ``merchants`` (town, shops, stores, hours), ``people``
(users, friendships, household, staff), ``builders`` (table rows to product dicts), one
``products_*`` table per merchant and ``products`` (all of them in order, scale label).

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

from kosmos.catalog.demo.categories import (
    CATEGORY_MIN_AGE,
    CATEGORY_VAT,
    DRINK_CATEGORIES,
    FOOD_CATEGORIES,
    NONFOOD_CATEGORIES,
    REDUCED_NONFOOD_CATEGORIES,
    SERVICE_CATEGORIES,
)
from kosmos.catalog.demo.helpers import (
    gtin_check_digit,
    price_weight_check_digit,
    variable_measure_ean,
)
from kosmos.catalog.demo.merchants import (
    BAKERY,
    BURGER,
    BUTCHER,
    DRUGSTORE,
    MERCHANTS,
    PIZZERIA,
    SALON,
    SUPERMARKET,
    TOWN,
)
from kosmos.catalog.demo.people import (
    DEMO_FRIENDSHIPS,
    DEMO_HOUSEHOLD,
    DEMO_STAFF,
    DEMO_USERS,
)
from kosmos.catalog.demo.products import (
    DEMO_SCALE_LABEL,
    PRODUCTS,
)

__all__ = [
    "BAKERY",
    "BURGER",
    "BUTCHER",
    "CATEGORY_MIN_AGE",
    "CATEGORY_VAT",
    "DEMO_FRIENDSHIPS",
    "DEMO_HOUSEHOLD",
    "DEMO_SCALE_LABEL",
    "DEMO_STAFF",
    "DEMO_USERS",
    "DRINK_CATEGORIES",
    "DRUGSTORE",
    "FOOD_CATEGORIES",
    "MERCHANTS",
    "NONFOOD_CATEGORIES",
    "PIZZERIA",
    "PRODUCTS",
    "REDUCED_NONFOOD_CATEGORIES",
    "SALON",
    "SERVICE_CATEGORIES",
    "SUPERMARKET",
    "TOWN",
    "gtin_check_digit",
    "price_weight_check_digit",
    "variable_measure_ean",
]

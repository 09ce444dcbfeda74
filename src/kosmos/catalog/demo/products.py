"""All demo products in table order, and the demo scale label built from one of them.

GTINs are numbered per company prefix in table order, so the merchants' tables are
concatenated in a fixed order here; append new rows at the end of a block.
"""

from __future__ import annotations

from typing import Any

from kosmos.catalog.demo.helpers import variable_measure_ean
from kosmos.catalog.demo.merchants import BUTCHER
from kosmos.catalog.demo.products_bakery import BAKERY_PRODUCTS
from kosmos.catalog.demo.products_butcher import BUTCHER_PRODUCTS
from kosmos.catalog.demo.products_drugstore import DRUGSTORE_PRODUCTS
from kosmos.catalog.demo.products_restaurants import RESTAURANT_PRODUCTS
from kosmos.catalog.demo.products_salon import SALON_PRODUCTS
from kosmos.catalog.demo.products_supermarket import SUPERMARKET_PRODUCTS

PRODUCTS: list[dict[str, Any]] = [
    *BUTCHER_PRODUCTS,
    *SUPERMARKET_PRODUCTS,
    *BAKERY_PRODUCTS,
    *RESTAURANT_PRODUCTS,
    *DRUGSTORE_PRODUCTS,
    *SALON_PRODUCTS,
]

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

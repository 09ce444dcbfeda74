"""`kosmos seed catalog --products N`: a large synthetic catalog for benchmarks.

German-looking names from word lists (with umlauts and ß, so folding and typo tolerance
matter), valid EAN-13s, every product stocked in one store of its merchant. Rows go in
with Core executemany in batches; the search index follows through the same path as
every other write (triggers on SQLite, the generated column on PostgreSQL).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from biip.checksums import gs1_standard_check_digit
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.catalog import search, search_text
from kosmos.catalog.tables import Merchant, Product, Store, StoreProduct

BATCH = 5_000
MERCHANT_COUNT = 20
GTIN_PREFIX = "4099"  # fictitious company prefixes 4099xxxxx

ADJECTIVES = (
    "Frische",
    "Feine",
    "Würzige",
    "Grobe",
    "Zarte",
    "Knusprige",
    "Süße",
    "Herzhafte",
    "Geräucherte",
    "Bayerische",
    "Thüringer",
    "Schwäbische",
    "Große",
    "Kleine",
    "Milde",
    "Scharfe",
    "Hausgemachte",
    "Vegane",
    "Rustikale",
    "Klassische",
    "Gegrillte",
    "Lösliche",
)
NOUNS = (
    "Würstchen",
    "Bratwurst",
    "Grillkohle",
    "Käsespätzle",
    "Brötchen",
    "Hähnchenbrust",
    "Müsli",
    "Gemüsebrühe",
    "Weißbier",
    "Kartoffelsalat",
    "Äpfel",
    "Süßkartoffeln",
    "Leberkäse",
    "Knödel",
    "Rübensirup",
    "Frühstücksspeck",
    "Senfgurken",
    "Sauerkraut",
    "Fleischsalat",
    "Nussschnecken",
    "Pfefferbeißer",
    "Grillsoße",
    "Kräuterbutter",
    "Schokoküsse",
    "Lebkuchen",
    "Haferflocken",
    "Mineralwasser",
    "Apfelschorle",
    "Olivenöl",
    "Zahnpasta",
    "Duschgel",
    "Sonnenmilch",
    "Spülmittel",
    "Grillanzünder",
    "Salzbrezeln",
    "Käsekuchen",
    "Schweinenacken",
    "Putenschnitzel",
    "Maultaschen",
    "Gewürzgurken",
    "Rinderhüfte",
    "Fischstäbchen",
    "Joghurt",
    "Quark",
    "Buttermilch",
)
VARIANTS = (
    "",
    "",
    "",
    "mit Kräutern",
    "nach Hausrezept",
    "aus der Region",
    "Bio",
    "Familienpackung",
    "mit Käse",
    "ohne Zucker",
    "extra scharf",
    "Großpack",
    "aus Bayern",
    "light",
)
BRANDS = (
    "Müller",
    "Gut Bärenhof",
    "Schäfer",
    "Hofgut Lührmann",
    "Weißenfels",
    "Märkisch",
    "Bäckerhaus Ölschläger",
    "Sonnentau",
    "Küstengold",
    "Alpenfrüh",
    "Grünland",
    None,
)
CATEGORIES = (
    ("Wurst", 7),
    ("Fleisch", 7),
    ("Käse", 7),
    ("Brot & Brötchen", 7),
    ("Frühstück", 7),
    ("Getränke", 19),
    ("Grillzubehör", 19),
    ("Körperpflege", 19),
    ("Haushalt", 19),
    ("Obst & Gemüse", 7),
    ("Tiefkühlkost", 7),
    ("Snacks & Süßwaren", 7),
)
SIZES = (
    (250, None),
    (400, None),
    (500, None),
    (1000, None),
    (None, 500),
    (None, 1000),
    (None, None),
)


def _gtin(serial: int) -> str:
    body = f"{GTIN_PREFIX}{serial:08d}"
    return body + str(gs1_standard_check_digit(body))


def _merchants(session: Session, seed: int) -> list[tuple[int, int]]:
    """(merchant id, store id) of the synthetic merchants, created once per seed."""
    pairs = []
    now = clock.now()
    for k in range(MERCHANT_COUNT):
        slug = f"synth-{seed}-{k:02d}"
        merchant = session.scalar(select(Merchant).where(Merchant.slug == slug))
        if merchant is None:
            merchant = Merchant(
                slug=slug,
                name=f"Synthetikmarkt {k + 1}",
                kind="supermarket",
                description="Synthetic benchmark merchant",
                created_at=now,
            )
            merchant.stores.append(
                Store(
                    slug=f"{slug}-filiale",
                    name=f"Synthetikmarkt {k + 1} Filiale",
                    street=f"Teststraße {k + 1}",
                    postcode="12345",
                    city="Musterstadt",
                    lat=52.52 + k / 1000,
                    lon=13.40 + k / 1000,
                    phone="",
                    opening_hours={},
                    created_at=now,
                )
            )
            session.add(merchant)
            session.flush()
        pairs.append((merchant.id, merchant.stores[0].id))
    return pairs


def seed_synthetic(
    session: Session, n: int, seed: int = 42, on_progress: Callable[[int], None] | None = None
) -> int:
    """Add `n` synthetic products; returns how many were added."""
    rng = random.Random(seed)
    merchants = _merchants(session, seed)
    session.commit()
    stores = dict(merchants)
    first_serial = (session.scalar(select(func.max(Product.id))) or 0) + 1
    now = clock.now()
    done = 0
    while done < n:
        size = min(BATCH, n - done)
        rows = []
        for i in range(done, done + size):
            merchant_id = merchants[i % len(merchants)][0]
            name = " ".join(
                filter(None, (rng.choice(ADJECTIVES), rng.choice(NOUNS), rng.choice(VARIANTS)))
            )
            brand = rng.choice(BRANDS)
            category, vat = rng.choice(CATEGORIES)
            weight, volume = rng.choice(SIZES)
            search_name, search_extra = search_text.index_fields(name, brand, category)
            rows.append(
                {
                    "merchant_id": merchant_id,
                    "name": name,
                    "gtin": _gtin(first_serial + i),
                    "rcn_item": None,
                    "brand": brand,
                    "category": category,
                    "unit": "piece",
                    "price_cents": rng.randrange(19, 4999),
                    "currency": "EUR",
                    "vat_rate": vat,
                    "weight_g": weight,
                    "volume_ml": volume,
                    "min_age": 0,
                    "description": "",
                    "search_name": search_name,
                    "search_extra": search_extra,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        inserted = session.execute(
            insert(Product).returning(Product.id, Product.merchant_id), rows
        ).all()
        session.execute(
            insert(StoreProduct),
            [
                {
                    "store_id": stores[merchant_id],
                    "product_id": product_id,
                    "price_cents": None,
                    "stock": rng.randrange(0, 200),
                    "updated_at": now,
                }
                for product_id, merchant_id in inserted
            ],
        )
        session.commit()
        done += size
        if on_progress is not None:
            on_progress(size)
    search.invalidate_vocabulary()
    return done

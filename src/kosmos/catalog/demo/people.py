"""Demo users, their friendships and household, and one staff account per merchant."""

from __future__ import annotations

from typing import Any

from kosmos.catalog.demo.merchants import (
    BAKERY,
    BURGER,
    BUTCHER,
    DRUGSTORE,
    PIZZERIA,
    SALON,
    SUPERMARKET,
)

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

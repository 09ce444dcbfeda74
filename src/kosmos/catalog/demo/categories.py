"""Product categories of the demo data and the VAT rate and minimum age they imply."""

from __future__ import annotations

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

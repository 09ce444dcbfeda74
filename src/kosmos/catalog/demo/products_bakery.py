"""Product table of Bäckerei Brandl: bread, pastries and drinks to go."""

from __future__ import annotations

from typing import Any

from kosmos.catalog.demo.builders import packed
from kosmos.catalog.demo.merchants import BAKERY

BAKERY_PRODUCTS: list[dict[str, Any]] = []

# ---- Bäckerei Brandl ---------------------------------------------------------------
# The bakery's checkout scans the barcodes on its shelf labels and bags: own GTINs.

BAKERY_PRODUCTS += packed(BAKERY, "Bäckerei Brandl", "4025678", 13, [
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

BAKERY_PRODUCTS += packed(BAKERY, "Bäckerei Brandl", "40256", 8, [
    ("Kaffee", "Heißgetränke", 249, "300 ml", "Filterkaffee zum Mitnehmen"),
    ("Espresso", "Heißgetränke", 199, "40 ml", "Aus der Siebträgermaschine"),
    ("Cappuccino", "Heißgetränke", 329, "300 ml", "Mit Milchschaum"),
    ("Tee", "Heißgetränke", 219, "300 ml", "Schwarz, grün oder Kräuter"),
    ("Orangensaft frisch gepresst", "Säfte & Schorlen", 349, "250 ml", "Aus der Saftpresse"),
])  # fmt: skip

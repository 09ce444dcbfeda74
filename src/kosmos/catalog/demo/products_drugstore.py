"""Product table of Drogerie Lindner."""

from __future__ import annotations

from typing import Any

from kosmos.catalog.demo.builders import packed
from kosmos.catalog.demo.merchants import DRUGSTORE

DRUGSTORE_PRODUCTS: list[dict[str, Any]] = []

# ---- Drogerie Lindner --------------------------------------------------------------

DRUGSTORE_PRODUCTS += packed(DRUGSTORE, "Sonnenkind", "4054321", 13, [
    ("Sonnencreme LSF 30", "Sonnenschutz", 499, "200 ml", "Wasserfest"),
    ("Sonnencreme LSF 50", "Sonnenschutz", 549, "200 ml", "Sehr hoher Schutz, wasserfest"),
    ("Sonnenspray Kinder LSF 50+", "Sonnenschutz", 649, "200 ml", "Parfümfrei, extra wasserfest"),
    ("Sonnenmilch LSF 20", "Sonnenschutz", 449, "250 ml", "Leicht einziehend"),
    ("Sonnenfluid Gesicht LSF 50", "Sonnenschutz", 699, "50 ml", "Nicht fettend"),
    ("After-Sun-Lotion", "Sonnenschutz", 349, "200 ml", "Mit Aloe vera"),
])  # fmt: skip

DRUGSTORE_PRODUCTS += packed(DRUGSTORE, "Sonnenkind", "40543", 8, [
    ("Lippenpflege LSF 30", "Sonnenschutz", 199, "", "Pflegestift"),
])  # fmt: skip

DRUGSTORE_PRODUCTS += packed(DRUGSTORE, "Lindner", "4039876", 13, [
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

DRUGSTORE_PRODUCTS += packed(DRUGSTORE, "Lindner", "40398", 8, [
    ("Zahnseide gewachst", "Zahnpflege", 129, "", "50 m"),
    ("Pflaster-Strips, 20 Stück", "Gesundheit", 199, "", "Wasserfest"),
    ("Taschentücher, 10 x 10 Stück", "Haushalt", 99, "", "4-lagig"),
    ("Wattestäbchen, 200 Stück", "Körperpflege", 79, "", "Mit Papierschaft"),
    ("Haargummis, 12 Stück", "Haarpflege", 149, "", "Ohne Metall"),
])  # fmt: skip

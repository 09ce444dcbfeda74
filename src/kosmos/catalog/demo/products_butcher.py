"""Product table of Metzgerei Huber: counter goods by weight and packed goods."""

from __future__ import annotations

from typing import Any

from kosmos.catalog.demo.builders import counter, packed
from kosmos.catalog.demo.merchants import BUTCHER

BUTCHER_PRODUCTS: list[dict[str, Any]] = []

# ---- Metzgerei Huber ---------------------------------------------------------------
# Counter goods: item references 1001-1099 (butcher's scale).

BUTCHER_PRODUCTS += counter(BUTCHER, "Metzgerei Huber", [
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

BUTCHER_PRODUCTS += packed(BUTCHER, "Metzgerei Huber", "4012345", 13, [
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

BUTCHER_PRODUCTS += packed(BUTCHER, "Metzgerei Huber", "40012", 8, [
    ("Landjäger, 2 Stück", "Wurst", 349, "100 g", "Luftgetrocknete Rohwurst"),
    ("Mini-Salami-Sticks", "Wurst", 299, "80 g", "Snack für unterwegs"),
])  # fmt: skip

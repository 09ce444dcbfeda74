"""Services and retail products of Salon Haarmonie."""

from __future__ import annotations

from typing import Any

from kosmos.catalog.demo.builders import menu, packed
from kosmos.catalog.demo.merchants import SALON

SALON_PRODUCTS: list[dict[str, Any]] = []

# ---- Salon Haarmonie (services: 19 %, no barcode) ----------------------------------

SALON_PRODUCTS += menu(SALON, "Salon Haarmonie", [
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

SALON_PRODUCTS += packed(SALON, "Haarwerk Professional", "4019876", 13, [
    ("Pflegeshampoo Feuchtigkeit", "Haarpflege", 1890, "250 ml", "Salonprodukt"),
    ("Haarkur Intensiv", "Haarpflege", 2290, "200 ml", "Für trockenes Haar"),
    ("Stylingwachs matt", "Haarpflege", 1690, "75 ml", "Flexibler Halt"),
    ("Hitzeschutzspray", "Haarpflege", 1790, "150 ml", "Bis 230 Grad"),
    ("Arganöl-Haarserum", "Haarpflege", 2490, "100 ml", "Für Glanz"),
    ("Bartöl", "Haarpflege", 1490, "30 ml", "Mit Zedernholzduft"),
])  # fmt: skip

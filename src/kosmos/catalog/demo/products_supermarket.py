"""Product table of Frischmarkt Musterstadt: counter goods, groceries and drinks."""

from __future__ import annotations

from typing import Any

from kosmos.catalog.demo.builders import counter, packed
from kosmos.catalog.demo.merchants import SUPERMARKET

SUPERMARKET_PRODUCTS: list[dict[str, Any]] = []

# ---- Frischmarkt Musterstadt -------------------------------------------------------
# Counter goods: 20xx meat/fish counter, 21xx cheese counter, 22xx deli counter,
# 23xx loose fruit and vegetables (self-service scale prints the same kind of label).

SUPERMARKET_PRODUCTS += counter(SUPERMARKET, "Frischmarkt", [
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

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Frischmarkt", "4098765", 13, [
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

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Glutmeister", "4031234", 13, [
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

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Glutmeister", "40234", 8, [
    ("Stabfeuerzeug", "Grillzubehör", 349, "", "Nachfüllbar"),
    ("Streichhölzer, 10 Schachteln", "Grillzubehör", 99, "", "Sicherheitszündhölzer"),
    ("Citronella-Kerze im Eimer", "Insektenschutz", 399, "", "Brenndauer ca. 30 Stunden"),
])  # fmt: skip

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Lindenhof Quelle", "4045678", 13, [
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

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Kieselbach", "4071234", 13, [
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

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Sonnenhof", "4062345", 13, [
    ("Apfelsaft naturtrüb", "Säfte & Schorlen", 199, "1 l", "Direktsaft"),
    ("Orangensaft", "Säfte & Schorlen", 219, "1 l", "100 % Saft, aus Konzentrat"),
    ("Multivitaminsaft", "Säfte & Schorlen", 199, "1 l", "Mehrfruchtsaft"),
    ("Roter Traubensaft", "Säfte & Schorlen", 239, "1 l", "Direktsaft"),
    ("Maracujanektar", "Säfte & Schorlen", 179, "1 l", "Fruchtgehalt 25 %"),
    ("Tomatensaft", "Säfte & Schorlen", 229, "1 l", "Mit Meersalz"),
])  # fmt: skip

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Musterbräu", "4056789", 13, [
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

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Brauerei Kellerhof", "4013579", 13, [
    ("Kellerbier naturtrüb", "Bier", 139, "0,5 l", "Ungefiltert, 5,2 % vol."),
    ("Kellerhof Märzen", "Bier", 129, "0,5 l", "Bernsteinfarben, 5,6 % vol."),
])  # fmt: skip

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Weingut Rebenhang", "4067890", 13, [
    ("Riesling trocken", "Wein & Sekt", 699, "0,75 l", "Qualitätswein aus der Pfalz"),
    ("Grauburgunder trocken", "Wein & Sekt", 799, "0,75 l", "Qualitätswein aus Baden"),
    ("Dornfelder halbtrocken", "Wein & Sekt", 599, "0,75 l", "Fruchtiger Rotwein"),
    ("Spätburgunder Rosé", "Wein & Sekt", 649, "0,75 l", "Frisch und beerig"),
    ("Müller-Thurgau", "Wein & Sekt", 449, "1 l", "Leichter Weißwein"),
    ("Sekt trocken", "Wein & Sekt", 499, "0,75 l", "Flaschengärung"),
    ("Weißweinschorle, Dose", "Wein & Sekt", 199, "0,33 l", "Riesling mit Mineralwasser"),
])  # fmt: skip

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Cantina del Sole", "8034567", 13, [
    ("Prosecco DOC Frizzante", "Wein & Sekt", 599, "0,75 l", "Perlwein aus Venetien"),
    ("Primitivo di Manduria", "Wein & Sekt", 799, "0,75 l", "Vollmundiger Rotwein aus Apulien"),
])  # fmt: skip

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Brennerei Kornfeld", "4078901", 13, [
    ("Doppelkorn 38 %", "Spirituosen", 899, "0,7 l", "Aus Weizen"),
    ("Kräuterlikör 35 %", "Spirituosen", 1299, "0,7 l", "Mit 42 Kräutern"),
    ("Obstler 40 %", "Spirituosen", 1499, "0,7 l", "Aus Äpfeln und Birnen"),
    ("Wodka 37,5 %", "Spirituosen", 999, "0,7 l", "Dreifach destilliert"),
    ("Musterstadt Dry Gin 42 %", "Spirituosen", 2499, "0,5 l", "Mit Wacholder und Zitrone"),
    ("Aperitivo Bitter 11 %", "Spirituosen", 1199, "0,7 l", "Für Spritz-Cocktails"),
])  # fmt: skip

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Brennerei Kornfeld", "40789", 8, [
    ("Kräuterlikör Mini", "Spirituosen", 99, "20 ml", "Portionsflasche"),
    ("Doppelkorn Mini", "Spirituosen", 89, "20 ml", "Portionsflasche"),
])  # fmt: skip

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Hofmolkerei Auental", "4082345", 13, [
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

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Kypros", "5291234", 13, [
    ("Halloumi", "Käse", 299, "250 g", "Grillkäse aus Zypern, g.U."),
    ("Halloumi Chili", "Käse", 329, "225 g", "Mit Chiliflocken"),
])  # fmt: skip

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Caseificio Bellavista", "8012345", 13, [
    ("Mozzarella di Bufala Campana", "Käse", 249, "125 g", "Aus Büffelmilch, g.U."),
    ("Burrata", "Käse", 299, "125 g", "Mit cremigem Kern"),
    ("Parmigiano Reggiano gerieben", "Käse", 299, "100 g", "Frisch gerieben"),
])  # fmt: skip

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Feinkost Berger", "4091234", 13, [
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

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Senfmühle Musterstadt", "4038765", 13, [
    ("Senf mittelscharf", "Saucen & Dips", 99, "250 ml", "Im Glas"),
    ("Süßer Senf", "Saucen & Dips", 149, "250 ml", "Bayerische Art, zu Leberkäse"),
    ("Scharfer Senf", "Saucen & Dips", 99, "250 ml", "Extra scharf"),
    ("Dijon-Senf", "Saucen & Dips", 179, "200 ml", "Französische Art"),
    ("Honig-Senf-Sauce", "Saucen & Dips", 199, "250 ml", "Süß-würzig"),
])  # fmt: skip

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Senfmühle Musterstadt", "40387", 8, [
    ("Senf mittelscharf, Tube", "Saucen & Dips", 79, "100 ml", "Für unterwegs"),
])  # fmt: skip

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Grünzeug", "4029876", 13, [
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
SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Big Creek", "085239", 12, [
    ("Big Creek Hickory BBQ Sauce", "Saucen & Dips", 399, "510 g", "Import aus den USA"),
    ("Big Creek Honey BBQ Sauce", "Saucen & Dips", 399, "510 g", "Mit Honig"),
    ("Big Creek Carolina Gold BBQ Sauce", "Saucen & Dips", 429, "510 g", "Auf Senf-Basis"),
    ("Big Creek Louisiana Hot Sauce", "Saucen & Dips", 349, "148 ml", "Sehr scharf"),
    ("Big Creek Ranch Dressing", "Saucen & Dips", 449, "473 ml", "Mit Buttermilch"),
    ("Big Creek Yellow Mustard", "Saucen & Dips", 299, "397 g", "Für Hot Dogs"),
    ("Big Creek Sweet Relish", "Saucen & Dips", 349, "473 ml", "Süße Gurkenwürze"),
    ("Big Creek Beef Jerky Original", "Snacks & Süßwaren", 499, "70 g", "Getrocknetes Rindfleisch"),
])  # fmt: skip

SUPERMARKET_PRODUCTS += packed(SUPERMARKET, "Lone Oak", "073210", 12, [
    ("Lone Oak Root Beer", "Softdrinks", 199, "355 ml", "Dose, Import, zzgl. 0,25 € Pfand"),
    ("Lone Oak Cream Soda", "Softdrinks", 199, "355 ml", "Dose, Import, zzgl. 0,25 € Pfand"),
    ("Lone Oak Grape Soda", "Softdrinks", 199, "355 ml", "Dose, Import, zzgl. 0,25 € Pfand"),
])  # fmt: skip

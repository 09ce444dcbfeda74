"""Menus of Pizzeria Da Luigi and Burgerwerk: dishes and drinks, no barcodes."""

from __future__ import annotations

from typing import Any

from kosmos.catalog.demo.builders import menu
from kosmos.catalog.demo.merchants import BURGER, PIZZERIA

RESTAURANT_PRODUCTS: list[dict[str, Any]] = []

# ---- Pizzeria Da Luigi (restaurant: no barcodes, food 7 %, drinks 19 %) ----------

RESTAURANT_PRODUCTS += menu(PIZZERIA, "Pizzeria Da Luigi", [
    ("Pizza Margherita", "Pizza", 950, "", "Tomatensoße, Mozzarella, Basilikum"),
    ("Pizza Salami", "Pizza", 1090, "", "Mit italienischer Salami"),
    ("Pizza Prosciutto", "Pizza", 1090, "", "Mit Kochschinken"),
    ("Pizza Funghi", "Pizza", 1050, "", "Mit frischen Champignons"),
    ("Pizza Tonno", "Pizza", 1190, "", "Mit Thunfisch und Zwiebeln"),
    ("Pizza Hawaii", "Pizza", 1150, "", "Mit Schinken und Ananas"),
    ("Pizza Quattro Formaggi", "Pizza", 1290, "", "Mit vier Käsesorten"),
    ("Pizza Diavola", "Pizza", 1190, "", "Mit scharfer Salami und Peperoni"),
    ("Pizza Vegetariana", "Pizza", 1190, "", "Mit gegrilltem Gemüse"),
    ("Pizza Capricciosa", "Pizza", 1290, "", "Schinken, Champignons, Artischocken, Oliven"),
    ("Pizza Calzone", "Pizza", 1290, "", "Gefüllt mit Schinken, Salami und Ricotta"),
    ("Pizza Vegana", "Pizza", 1190, "", "Mit veganem Käse und Gemüse"),
    ("Pizzabrot mit Knoblauch", "Vorspeisen", 550, "", "Mit Olivenöl und Rosmarin"),
    ("Bruschetta", "Vorspeisen", 690, "", "Geröstetes Brot mit Tomaten und Basilikum"),
    ("Antipasto misto", "Vorspeisen", 1390, "", "Gemischte italienische Vorspeisen"),
    ("Minestrone", "Vorspeisen", 650, "", "Italienische Gemüsesuppe"),
    ("Spaghetti Bolognese", "Pasta", 1190, "", "Mit Rinderhack-Ragù"),
    ("Spaghetti Carbonara", "Pasta", 1250, "", "Mit Guanciale, Ei und Pecorino"),
    ("Penne all'Arrabbiata", "Pasta", 1050, "", "Scharfe Tomatensoße, vegan"),
    ("Lasagne al Forno", "Pasta", 1390, "", "Hausgemacht, aus dem Ofen"),
    ("Tagliatelle al Salmone", "Pasta", 1490, "", "Mit Lachs und Sahnesoße"),
    ("Gnocchi al Pomodoro", "Pasta", 1150, "", "Mit Tomatensoße und Parmesan"),
    ("Insalata Mista", "Salate", 750, "", "Gemischter Salat der Saison"),
    ("Insalata Caprese", "Salate", 950, "", "Tomaten, Mozzarella, Basilikum"),
    ("Insalata Tonno", "Salate", 1090, "", "Gemischter Salat mit Thunfisch und Ei"),
    ("Tiramisù", "Desserts", 650, "", "Hausgemacht"),
    ("Panna Cotta", "Desserts", 590, "", "Mit Beerensoße"),
    ("Gelato misto", "Desserts", 590, "", "3 Kugeln Eis"),
    ("Acqua minerale", "Wasser", 590, "750 ml", "Mit oder ohne Kohlensäure"),
    ("Cola", "Softdrinks", 390, "330 ml", "Flasche"),
    ("Aranciata", "Softdrinks", 390, "330 ml", "Italienische Orangenlimonade"),
    ("Apfelschorle", "Säfte & Schorlen", 420, "400 ml", "Vom Fass"),
    ("Birra alla spina", "Bier", 490, "400 ml", "Helles vom Fass"),
    ("Hauswein rot", "Wein & Sekt", 650, "200 ml", "Montepulciano d'Abruzzo"),
    ("Hauswein weiß", "Wein & Sekt", 650, "200 ml", "Pinot Grigio"),
    ("Prosecco", "Wein & Sekt", 590, "100 ml", "Im Glas"),
    ("Lambrusco, Flasche", "Wein & Sekt", 2490, "750 ml", "Leicht perlender Rotwein"),
    ("Spritz", "Cocktails & Longdrinks", 750, "300 ml", "Bitter-Aperitif mit Prosecco und Soda"),
    ("Grappa", "Spirituosen", 450, "20 ml", "Aus dem Trentino"),
    ("Limoncello", "Spirituosen", 450, "20 ml", "Hausgemacht, eiskalt"),
    ("Espresso", "Heißgetränke", 250, "40 ml", "Italienische Röstung"),
    ("Cappuccino", "Heißgetränke", 380, "200 ml", "Mit Milchschaum"),
])  # fmt: skip

# ---- Burgerwerk (restaurant) -------------------------------------------------------

RESTAURANT_PRODUCTS += menu(BURGER, "Burgerwerk", [
    ("Classic Burger", "Burger", 1090, "", "Rindfleisch, Salat, Tomate, Zwiebel, Hausdressing"),
    ("Cheeseburger", "Burger", 1190, "", "Mit Cheddar"),
    ("Bacon Cheeseburger", "Burger", 1390, "", "Mit Cheddar und knusprigem Bacon"),
    ("Double Smash Burger", "Burger", 1490, "", "Zwei Smash-Patties, doppelt Käse"),
    ("BBQ Burger", "Burger", 1390, "", "Mit Röstzwiebeln und BBQ-Sauce"),
    ("Chili Cheese Burger", "Burger", 1390, "", "Mit Jalapeños und Chili-Cheese-Sauce"),
    ("Pulled Pork Burger", "Burger", 1390, "", "Mit Krautsalat"),
    ("Chicken Burger", "Burger", 1290, "", "Knuspriges Hähnchen, Honig-Senf-Sauce"),
    ("Halloumi Burger", "Burger", 1290, "", "Gegrillter Halloumi, Rucola, Tomate"),
    ("Veggie Burger", "Burger", 1250, "", "Veganes Patty, vegane Mayo"),
    ("Kids Burger", "Burger", 690, "", "Kleiner Burger mit Käse"),
    ("Pommes frites", "Beilagen", 450, "", "Mit Meersalz"),
    ("Süßkartoffel-Pommes", "Beilagen", 550, "", "Mit Trüffelmayo"),
    ("Onion Rings", "Beilagen", 550, "", "8 Stück"),
    ("Chili Cheese Fries", "Beilagen", 690, "", "Pommes mit Käsesauce und Jalapeños"),
    ("Coleslaw", "Beilagen", 390, "", "Amerikanischer Krautsalat"),
    ("Maiskolben vom Grill", "Beilagen", 490, "", "Mit Kräuterbutter"),
    ("Chicken Wings, 6 Stück", "Vorspeisen", 890, "", "Mit BBQ- oder Hot-Sauce"),
    ("Mozzarella Sticks, 6 Stück", "Vorspeisen", 690, "", "Mit Tomatendip"),
    ("Dip Ketchup", "Saucen & Dips", 80, "", "Portion"),
    ("Dip Mayo", "Saucen & Dips", 80, "", "Portion"),
    ("Dip BBQ", "Saucen & Dips", 100, "", "Portion, hausgemacht"),
    ("Dip Trüffelmayo", "Saucen & Dips", 150, "", "Portion, hausgemacht"),
    ("Brownie", "Desserts", 490, "", "Warm, mit Walnüssen"),
    ("New York Cheesecake", "Desserts", 550, "", "Mit Beerensoße"),
    ("Cola", "Softdrinks", 390, "400 ml", "Frisch gezapft"),
    ("Cola Zero", "Softdrinks", 390, "400 ml", "Ohne Zucker"),
    ("Spezi", "Softdrinks", 390, "400 ml", "Cola-Orangen-Mix"),
    ("Orangenlimonade", "Softdrinks", 390, "400 ml", "Frisch gezapft"),
    ("Hausgemachte Limonade", "Softdrinks", 450, "400 ml", "Zitrone und Minze"),
    ("Eistee hausgemacht", "Softdrinks", 450, "400 ml", "Pfirsich"),
    ("Root Beer", "Softdrinks", 450, "355 ml", "Dose, aus den USA"),
    ("Apfelschorle", "Säfte & Schorlen", 390, "400 ml", "Frisch gezapft"),
    ("Mineralwasser", "Wasser", 350, "500 ml", "Mit oder ohne Kohlensäure"),
    ("Pils vom Fass", "Bier", 490, "500 ml", "Musterbräu Pils"),
    ("Pale Ale", "Bier", 550, "330 ml", "Craft Beer aus Musterstadt"),
    ("Weißbier alkoholfrei", "Alkoholfreies Bier", 490, "500 ml", "Flasche"),
    ("Whiskey-Cola", "Cocktails & Longdrinks", 890, "300 ml", "4 cl Bourbon mit Cola"),
])  # fmt: skip

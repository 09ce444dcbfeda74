"""The Musterstadt demo data is consistent: GTINs, scale labels, VAT, merchants, hours. No I/O."""

import re
from collections import Counter

import biip
from biip.gtin import Gtin
from biip.rcn import Rcn, RcnRegion
from stdnum import ean

from kosmos.catalog import demo as dd

PRODUCTS = dd.PRODUCTS
MERCHANTS = {m["slug"]: m for m in dd.MERCHANTS}
KIND_OF = {slug: m["kind"] for slug, m in MERCHANTS.items()}
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
GERMANY = biip.ParseConfig(rcn_region=RcnRegion.GERMANY)


def _gtins() -> list[str]:
    return [p["gtin"] for p in PRODUCTS if p["gtin"] is not None]


def test_there_are_at_least_300_products():
    assert len(PRODUCTS) >= 300


def test_check_digit_helper_matches_known_codes():
    assert dd.gtin_check_digit("400638133393") == "1"  # EAN-13 4006381333931
    assert dd.gtin_check_digit("03600029145") == "2"  # UPC-A 036000291452
    assert dd.gtin_check_digit("9638507") == "4"  # EAN-8 96385074


def test_every_gtin_is_valid_and_unique():
    gtins = _gtins()
    invalid = [g for g in gtins if not (g.isdigit() and ean.is_valid(g))]
    assert invalid == []
    assert [g for g, n in Counter(gtins).items() if n > 1] == []


def test_gtin_formats_include_ean8_and_upca():
    lengths = Counter(len(g) for g in _gtins())
    assert set(lengths) <= {8, 12, 13}
    assert lengths[8] >= 5
    assert lengths[12] >= 5
    assert lengths[13] > lengths[8] + lengths[12]
    # EAN-13s mostly carry German GS1 prefixes 400-440
    german = [g for g in _gtins() if len(g) == 13 and 400 <= int(g[:3]) <= 440]
    assert len(german) > 0.8 * lengths[13]


def test_no_gtin_is_an_in_store_number():
    for g in _gtins():
        gtin13 = g.zfill(13)
        assert not gtin13.startswith(("02", "2")), g


def test_gtin_missing_only_for_counter_goods_dishes_and_services():
    for p in PRODUCTS:
        if p["gtin"] is None:
            assert p["unit"] == "kg" or KIND_OF[p["merchant"]] in {"restaurant", "hair_salon"}, p


def test_rcn_items_are_unique_four_digits_and_only_on_goods_by_weight():
    items = [p["rcn_item"] for p in PRODUCTS if p["rcn_item"] is not None]
    assert all(re.fullmatch(r"\d{4}", item) for item in items)
    assert [i for i, n in Counter(items).items() if n > 1] == []
    for p in PRODUCTS:
        assert (p["rcn_item"] is not None) == (p["unit"] == "kg"), p["name"]


def test_scale_labels_decode_with_german_rules():
    for p in PRODUCTS:
        if p["rcn_item"] is None:
            continue
        weight = Gtin.parse(dd.variable_measure_ean(p["rcn_item"], 1234, "28"), config=GERMANY)
        assert isinstance(weight, Rcn)
        assert weight.item_reference == p["rcn_item"]
        assert str(weight.weight) == "1.234"
        price = Gtin.parse(dd.variable_measure_ean(p["rcn_item"], 1592, "22"), config=GERMANY)
        assert isinstance(price, Rcn)
        assert price.item_reference == p["rcn_item"]
        assert str(price.price) == "15.92"


def test_demo_nackensteak_label():
    label = dd.DEMO_SCALE_LABEL
    steak = next(p for p in PRODUCTS if p["rcn_item"] == label["rcn_item"])
    assert steak["name"] == "Nackensteak"
    assert steak["merchant"] == "metzgerei-huber"
    assert label["weight_g"] == 1234
    assert label["price_cents"] == 1592  # 1.234 kg x 12.90 EUR/kg, rounded half up
    assert ean.is_valid(label["ean_weight"])
    assert ean.is_valid(label["ean_price"])
    assert label["ean_weight"][:6] == "28" + label["rcn_item"]
    assert label["ean_weight"][7:12] == "01234"


def test_every_product_belongs_to_a_known_merchant():
    assert {p["merchant"] for p in PRODUCTS} == set(MERCHANTS)


def test_product_names_are_unique_per_merchant():
    names = Counter((p["merchant"], p["name"]) for p in PRODUCTS)
    assert [key for key, n in names.items() if n > 1] == []


def test_prices_units_and_sizes_are_plausible():
    for p in PRODUCTS:
        assert p["unit"] in {"piece", "kg", "l"}
        assert isinstance(p["price_cents"], int)
        assert 40 <= p["price_cents"] <= 20_000, p["name"]
        if p["unit"] == "kg":
            assert p["weight_g"] is None
            assert p["volume_ml"] is None
        assert p["name"].strip() == p["name"]
        assert p["description"]


def test_vat_rates_follow_the_categories():
    for p in PRODUCTS:
        assert p["vat_rate"] in {7, 19}
        assert p["vat_rate"] == dd.CATEGORY_VAT[p["category"]], p["name"]


def test_all_beverages_are_taxed_at_19_percent_and_have_a_volume():
    drinks = [p for p in PRODUCTS if p["category"] in dd.DRINK_CATEGORIES]
    assert len(drinks) >= 50
    for p in drinks:
        assert p["vat_rate"] == 19, p["name"]
        assert p["volume_ml"], p["name"]


def test_restaurant_food_is_7_percent_and_services_19_percent():
    for p in PRODUCTS:
        kind = KIND_OF[p["merchant"]]
        if kind == "restaurant" and p["category"] not in dd.DRINK_CATEGORIES:
            assert p["vat_rate"] == 7, p["name"]
        if p["category"] in dd.SERVICE_CATEGORIES:
            assert kind == "hair_salon"
            assert p["vat_rate"] == 19
            assert p["gtin"] is None
    margherita = next(p for p in PRODUCTS if p["name"] == "Pizza Margherita")
    assert margherita["vat_rate"] == 7
    assert any(p["name"] == "Herrenhaarschnitt" and p["vat_rate"] == 19 for p in PRODUCTS)


def test_age_limits():
    by_name = {p["name"]: p for p in PRODUCTS}
    assert by_name["Musterbräu Weißbier hell"]["min_age"] == 16
    assert by_name["Riesling trocken"]["min_age"] == 16
    assert by_name["Doppelkorn 38 %"]["min_age"] == 18
    assert by_name["Musterbräu Alkoholfrei"]["min_age"] == 0
    for p in PRODUCTS:
        assert p["min_age"] in {0, 16, 18}
        assert p["age_restricted"] == (p["min_age"] > 0)
        if p["min_age"]:
            assert p["category"] in dd.DRINK_CATEGORIES


def test_butcher_sells_wuerstchen_and_counter_goods_by_weight():
    butcher = [p for p in PRODUCTS if p["merchant"] == "metzgerei-huber"]
    assert any("Würstchen" in p["name"] for p in butcher)
    by_weight = [p for p in butcher if p["unit"] == "kg"]
    assert len(by_weight) >= 10
    assert "Nackensteak" in {p["name"] for p in by_weight}


def test_barbecue_essentials_are_available():
    names = " | ".join(p["name"] for p in PRODUCTS)
    for word in (
        "Nackensteak", "Schweinebauch", "Rindersteak", "Hähnchenschenkel", "Spareribs",
        "Bratwurst", "Thüringer", "Nürnberger", "Wiener Würstchen", "Käsekrainer",
        "Currywurst", "Grillkohle", "Grillanzünder", "Brötchen", "Baguette", "Ciabatta",
        "Kartoffelsalat", "Nudelsalat", "Krautsalat", "Maiskolben", "Paprika", "Zucchini",
        "Halloumi", "Grillkäse", "Vegane", "Mineralwasser", "Apfelschorle", "Cola", "Spezi",
        "Pils", "Radler", "Weißbier", "Riesling", "saft", "Senf", "Ketchup", "Kräuterbutter",
        "Süßkartoffel", "Pappteller", "Pappbecher", "Holzbesteck", "Servietten",
        "Alu-Grillschalen", "Sonnencreme", "Mückenspray", "Zahnpasta", "Damenhaarschnitt",
    ):  # fmt: skip
        assert word in names, word


def test_required_merchant_kinds_are_present():
    kinds = Counter(m["kind"] for m in dd.MERCHANTS)
    for kind in ("butcher", "supermarket", "bakery", "drugstore", "hair_salon"):
        assert kinds[kind] >= 1, kind
    assert kinds["restaurant"] >= 2
    assert len(MERCHANTS[dd.SUPERMARKET]["stores"]) == 2


def test_stores_have_valid_opening_hours_and_nearby_coordinates():
    store_slugs = [s["slug"] for m in dd.MERCHANTS for s in m["stores"]]
    assert len(store_slugs) == len(set(store_slugs))
    for merchant in dd.MERCHANTS:
        for store in merchant["stores"]:
            assert store["slug"].startswith(merchant["slug"])
            assert store["city"] == "Musterstadt"
            assert re.fullmatch(r"\d{5}", store["postcode"])
            assert store["phone"].startswith("+49 30 23125")
            assert abs(store["lat"] - dd.TOWN["lat"]) < 0.02
            assert abs(store["lon"] - dd.TOWN["lon"]) < 0.03
            hours = store["opening_hours"]
            assert list(hours) == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            assert any(hours.values())
            for spans in hours.values():
                for opens, closes in spans:
                    assert HHMM.match(opens)
                    assert HHMM.match(closes)
                    assert opens < closes
                for (_, closes), (opens, _) in zip(spans, spans[1:], strict=False):
                    assert closes <= opens


def test_demo_people():
    users = {u["username"]: u for u in dd.DEMO_USERS}
    assert set(users) == {"anna", "ben", "cem", "dora"}
    for name, user in users.items():
        assert user["password"] == f"grillen-{name}-2026"
        assert user["email"] == f"{name}@example.org"
        assert user["locale"] == ("en" if name == "cem" else "de")
    pairs = {frozenset(pair) for pair in dd.DEMO_FRIENDSHIPS}
    assert len(pairs) == len(dd.DEMO_FRIENDSHIPS) == 6
    assert all(len(pair) == 2 and pair <= set(users) for pair in pairs)
    assert set(dd.DEMO_HOUSEHOLD["members"]) <= set(users)
    staff = dd.DEMO_STAFF
    assert sorted(s["merchant"] for s in staff) == sorted(MERCHANTS)
    assert not {s["username"] for s in staff} & set(users)
    assert len({s["username"] for s in staff}) == len(staff)

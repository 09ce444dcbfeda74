"""Product search on SQLite (FTS5) and PostgreSQL (tsvector): folding, prefixes, typos,
ranking, filters and cursor pagination."""

import pytest
from tests.support import add_merchant

from kosmos import clock
from kosmos.catalog import search
from kosmos.catalog.backoffice import apply_search_text
from kosmos.catalog.tables import Product, StoreProduct
from kosmos.schemas import BadCursor


def add_product(db, merchant, name, category="Wurst", brand=None, price=100, stock=None):
    product = Product(
        merchant_id=merchant.id,
        name=name,
        category=category,
        brand=brand,
        unit="piece",
        price_cents=price,
        currency="EUR",
        vat_rate=7,
        min_age=0,
        description="",
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    apply_search_text(product)
    db.add(product)
    db.flush()
    if stock is not None:
        db.add(
            StoreProduct(
                store_id=merchant.stores[0].id,
                product_id=product.id,
                stock=stock,
                price_cents=price + 10,
                updated_at=clock.now(),
            )
        )
    return product


@pytest.fixture
def catalog(db):
    butcher = add_merchant(db, "huber", "Metzgerei Huber")
    market = add_merchant(db, "frischmarkt", "Frischmarkt", kind="supermarket")
    add_product(db, butcher, "Wiener Würstchen", price=649, stock=5)
    add_product(db, butcher, "Bratwurst grob", price=1390, stock=3)
    add_product(db, butcher, "Grillteller Huber", category="Fleisch", brand="Metzgerei Huber")
    add_product(db, butcher, "Nackensteak", category="Fleisch", brand="Metzgerei Huber")
    add_product(db, market, "Grillkohle Buche", category="Grillzubehör", stock=9)
    add_product(db, market, "Vegane Bratwurst", category="Vegan & Vegetarisch")
    add_product(db, market, "Senf mittelscharf", category="Saucen & Dips")
    db.commit()
    search.invalidate_vocabulary()
    return {"butcher": butcher, "market": market}


def names(page):
    return [item.name for item in page.items]


@pytest.mark.parametrize("q", ["wuerstchen", "wurstchen", "Würstchen", "WÜRSTCHEN"])
def test_umlaut_spellings_find_wuerstchen(db, catalog, q):
    # when
    page = search.search_products(db, q)
    # then
    assert names(page) == ["Wiener Würstchen"]
    assert page.items[0].merchant == search.MerchantBrief(
        catalog["butcher"].id, "Metzgerei Huber", "huber"
    )
    assert page.items[0].price_cents == 649


def test_prefix_finds_bratwurst(db, catalog):
    assert sorted(names(search.search_products(db, "bratw"))) == [
        "Bratwurst grob",
        "Vegane Bratwurst",
    ]


def test_every_word_is_a_prefix(db, catalog):
    assert names(search.search_products(db, "brat gro")) == ["Bratwurst grob"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("bratwrust", ["Bratwurst grob", "Vegane Bratwurst"]),  # transposition
        ("grilkohle", ["Grillkohle Buche"]),  # missing letter
        ("wiener wurstchem", ["Wiener Würstchen"]),  # wrong letter
    ],
)
def test_one_typo_is_tolerated(db, catalog, q, expected):
    assert sorted(names(search.search_products(db, q))) == expected


def test_short_words_get_no_typo_tolerance(db, catalog):
    assert names(search.search_products(db, "snef")) == []


def test_name_hits_rank_above_brand_hits(db, catalog):
    # given "Huber" is in one product's name and in two products' brand
    # when
    page = search.search_products(db, "huber")
    # then
    assert names(page)[0] == "Grillteller Huber"
    assert sorted(names(page)[1:]) == ["Nackensteak"]


def test_filters_by_merchant_category_and_store(db, catalog):
    # when
    by_merchant = search.search_products(
        db, "bratwurst", search.Filters(merchant_id=catalog["market"].id)
    )
    by_category = search.search_products(db, "brat", search.Filters(category="Wurst"))
    store_id = catalog["butcher"].stores[0].id
    by_store = search.search_products(db, "wien", search.Filters(store_id=store_id))
    # then
    assert names(by_merchant) == ["Vegane Bratwurst"]
    assert names(by_category) == ["Bratwurst grob"]
    assert names(by_store) == ["Wiener Würstchen"]
    assert (by_store.items[0].price_cents, by_store.items[0].stock) == (659, 5)


def test_search_cursor_round_trips(db, catalog):
    # when
    first = search.search_products(db, "grill", limit=1)
    second = search.search_products(db, "grill", limit=1, cursor=first.next_cursor)
    # then
    assert first.next_cursor is not None
    assert second.next_cursor is None
    assert sorted(names(first) + names(second)) == ["Grillkohle Buche", "Grillteller Huber"]


def test_listing_without_query_is_by_name_with_cursor(db, catalog):
    # when
    pages, cursor = [], None
    while True:
        page = search.list_products(db, limit=3, cursor=cursor)
        pages.append(names(page))
        cursor = page.next_cursor
        if cursor is None:
            break
    # then
    assert pages == [
        ["Bratwurst grob", "Grillkohle Buche", "Grillteller Huber"],
        ["Nackensteak", "Senf mittelscharf", "Vegane Bratwurst"],
        ["Wiener Würstchen"],
    ]


@pytest.mark.parametrize("cursor", ["not-base64!", "eyJ4IjoxfQ", "WzFd"])
def test_bad_cursor_is_refused(db, catalog, cursor):
    with pytest.raises(BadCursor):
        search.search_products(db, "grill", cursor=cursor)


def test_index_follows_updates_and_deletes(db, catalog):
    # given
    product = db.query(Product).filter_by(name="Senf mittelscharf").one()
    # when
    product.name = "Senf extrascharf"
    apply_search_text(product)
    db.commit()
    renamed = names(search.search_products(db, "extrascharf"))
    db.delete(product)
    db.commit()
    # then
    assert renamed == ["Senf extrascharf"]
    assert names(search.search_products(db, "senf")) == []


def test_the_head_of_a_compound_word_finds_it(db):
    # given German compounds
    market = add_merchant(db, "frischmarkt", "Frischmarkt", kind="supermarket")
    add_product(db, market, "Grillkohle Buche", category="Grillzubehör")
    add_product(db, market, "Geflügelwürstchen", category="Geflügel")
    add_product(db, market, "Kohlrabi", category="Gemüse")
    add_product(db, market, "Kohle", category="Grillzubehör")
    db.commit()
    search.invalidate_vocabulary()
    # when / then: the head word finds the compound, the plain word ranks first
    assert names(search.search_products(db, "kohle")) == ["Kohle", "Grillkohle Buche"]
    assert names(search.search_products(db, "würstchen")) == ["Geflügelwürstchen"]
    assert names(search.search_products(db, "wuerstchen")) == ["Geflügelwürstchen"]


def test_matches_after_the_rank_window_follow_in_id_order(db, monkeypatch):
    # given a rank window of 5 and 12 matches: in the window two brand hits come first by id
    monkeypatch.setattr(search, "RANK_WINDOW", 5)
    butcher = add_merchant(db, "huber", "Metzgerei Huber")
    made = []
    for index in range(12):
        if index in (2, 3, 4):
            made.append(add_product(db, butcher, "Wurst", category="Fleisch"))
        else:
            made.append(add_product(db, butcher, "Aufschnitt", category="Fleisch", brand="Wurst"))
    db.commit()
    search.invalidate_vocabulary()
    ids = [p.id for p in made]
    # when
    pages, cursor = [], None
    while True:
        page = search.search_products(db, "wurst", limit=4, cursor=cursor)
        pages.append([item.id for item in page.items])
        cursor = page.next_cursor
        if cursor is None:
            break
    # then: the window ranked (name hits first), then the rest by id, each exactly once
    assert pages == [
        [ids[2], ids[3], ids[4], ids[0]],
        [ids[1], ids[5], ids[6], ids[7]],
        [ids[8], ids[9], ids[10], ids[11]],
    ]


def test_a_tail_cursor_is_refused_where_every_match_is_ranked(db, catalog):
    # given a cursor of the unranked tail, used with a filter
    cursor = "eyJ0IjoidGFpbCIsImkiOjF9"  # {"t":"tail","i":1}
    # when / then
    with pytest.raises(BadCursor):
        search.search_products(
            db, "wurst", search.Filters(merchant_id=catalog["butcher"].id), cursor=cursor
        )

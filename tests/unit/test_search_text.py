"""Folding for the German-aware search: the same on the index and the query side."""

import pytest

from kosmos.catalog import search_text
from kosmos.catalog.search_text import fold, index_text, tolerates_typo, words


@pytest.mark.parametrize("text", ["Würstchen", "wuerstchen", "wurstchen", "WÜRSTCHEN"])
def test_umlaut_spellings_fold_to_one_form(text):
    # when
    folded = fold(text)
    # then
    assert folded == "wurstchen"


def test_sharp_s_becomes_ss_and_other_diacritics_go():
    # when
    folded = fold("Straße Crème brûlée Ærø")
    # then
    assert folded == "strasse creme brulee aro"


def test_punctuation_separates_words():
    # when
    result = words("Bratwürste grob, 4 Stück (500 g)")
    # then
    assert result == ["bratwurste", "grob", "4", "stuck", "500", "g"]


def test_index_text_joins_present_fields_only():
    # when
    text = index_text("Metzgerei Huber", None, "Brot & Brötchen")
    # then
    assert text == "metzgerei huber brot brotchen"


def test_typos_are_tolerated_from_five_letters():
    # then
    assert tolerates_typo("kohle") is True
    assert tolerates_typo("wurs") is False


@pytest.mark.parametrize(
    "name,heads",
    [
        ("Grillkohle", ["kohle"]),
        ("Geflügelwürstchen", ["wurstchen"]),
        ("Leberwurst fein", ["wurst"]),
        ("Kohle", []),  # a word that is only a head is not split
        ("Käse", []),
        ("Bio-Grillkäse", ["kase"]),
    ],
)
def test_compound_heads_are_split_off(name, heads):
    assert search_text.compound_heads(search_text.words(name)) == heads


def test_index_fields_put_heads_with_the_lower_weighted_extras():
    assert search_text.index_fields("Grillkohle Buche", "Glutmeister", "Grillzubehör") == (
        "grillkohle buche",
        "glutmeister grillzubehor kohle",
    )

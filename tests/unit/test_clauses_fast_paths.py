"""The ASCII fast paths of the clause reader give exactly what the general code gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from kosmos.assistant.clauses import lower_same_length, normalize

TEXTS = st.one_of(st.text(), st.text(alphabet=st.characters(max_codepoint=127)))


@given(TEXTS)
def test_lower_same_length_is_per_character(text: str) -> None:
    expected = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    assert lower_same_length(text) == expected


@given(TEXTS)
def test_normalize_drops_control_and_format_characters_but_newlines(text: str) -> None:
    expected = unicodedata.normalize("NFC", text)
    for a, b in (("’", "'"), ("‘", "'"), ("´", "'"), ("`", "'"), ("„", '"'), ("“", '"'),
                 ("”", '"'), ("\u00a0", " "), ("\t", " "), ("\r", "\n")):  # fmt: skip
        expected = expected.replace(a, b)
    expected = "".join(
        c for c in expected if unicodedata.category(c) not in ("Cc", "Cf") or c == "\n"
    )
    assert normalize(text) == expected

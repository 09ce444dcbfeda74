"""The German catalog is complete and keeps every placeholder of its English msgid."""

import re
from importlib import resources

from babel.messages.pofile import read_po

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalog():
    po = resources.files("kosmos") / "locale" / "de" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        return read_po(fh, locale="de")


def test_every_message_has_a_german_translation():
    missing = [m.id for m in _catalog() if m.id and not m.string]
    assert missing == []


def test_translations_keep_the_placeholders():
    for message in _catalog():
        if not message.id or isinstance(message.id, tuple):
            continue
        assert set(PLACEHOLDER.findall(message.id)) == set(PLACEHOLDER.findall(message.string)), (
            message.id
        )

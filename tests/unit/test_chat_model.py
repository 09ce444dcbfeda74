"""Messenger rules: text and shortcodes, reactions, mentions, visibility, mute, ticks,
polls; and the hub's resume decision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kosmos.chat import hub, model
from kosmos.chat.model import ChatRuleError


def test_shortcodes_become_emoji_and_control_characters_go():
    assert model.clean_text("  Grillen :fire: :thumbsup:\x07 ") == "Grillen 🔥 👍"
    assert model.clean_text("Zeile 1\nZeile 2") == "Zeile 1\nZeile 2"
    assert (
        model.clean_text("<script>alert(1)</script>") == "<script>alert(1)</script>"
    )  # escaped on output


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", "x" * 4001])
def test_empty_or_too_long_text_is_refused(text):
    with pytest.raises(ChatRuleError) as err:
        model.clean_text(text)
    assert err.value.field == "text"


def test_a_reaction_is_exactly_one_emoji():
    assert model.clean_reaction(":+1:") == "👍"
    assert model.clean_reaction("👍🏽") == "👍🏽"
    assert model.clean_reaction("👨‍👩‍👧") == "👨‍👩‍👧"
    for bad in ("nice", "👍👍", "a👍", ""):
        with pytest.raises(ChatRuleError):
            model.clean_reaction(bad)


def test_mentions_in_order_without_repeats_and_not_in_email_addresses():
    text = "@Ben und @cem, @ben! Schreib an anna@example.org"
    assert model.mentioned_usernames(text) == ["ben", "cem"]


def test_visibility_window():
    assert model.can_see(5, 0, None)
    assert not model.can_see(5, 5, None)  # joined after it
    assert model.can_see(5, 0, 5) and not model.can_see(6, 0, 5)  # removed after 5


def test_mute_until_a_time_or_for_ever():
    now = datetime(2026, 11, 22, 10, tzinfo=UTC)
    assert model.is_muted(now, now + timedelta(minutes=1), False)
    assert not model.is_muted(now, now - timedelta(minutes=1), False)
    assert model.is_muted(now, None, True)


def test_ticks_sent_delivered_read():
    assert model.tick(10, []) == "sent"
    assert model.tick(10, [(9, 0), (10, 0)]) == "sent"
    assert model.tick(10, [(10, 0), (12, 3)]) == "delivered"
    assert model.tick(10, [(10, 10), (12, 11)]) == "read"


def test_poll_card_and_tally():
    card = model.poll_card("Wann grillen?", ["Sa", " So ", ""])
    assert [b["label"] for b in card["buttons"]] == ["Sa", "So"]
    assert model.check_card_action(card, "vote", "1").label == "So"
    with pytest.raises(ChatRuleError):
        model.check_card_action(card, "vote", "7")
    with pytest.raises(ChatRuleError):
        model.poll_card("Wann?", ["Sa", "sa"])
    tally = model.poll_tally(card, [("0", 1), ("0", 2), ("1", 3)])
    assert [(t["label"], t["count"]) for t in tally] == [("Sa", 2), ("So", 1)]


def test_resume_gives_what_was_missed_or_says_expired():
    events = [(4, "d"), (5, "e")]
    assert hub._resume("q", 5, [], None, None).backlog == []  # a fresh client
    assert hub._resume("q", 5, events, "q", 3).backlog == events
    assert hub._resume("q", 5, [], "q", 5).backlog == []
    assert hub._resume("q", 5, events, "q", 2).backlog is None  # 3 was trimmed
    assert hub._resume("q", 5, events, "other", 3).backlog is None  # another queue
    assert hub._resume("q", 5, events, "q", 9).backlog is None  # from the future


def test_event_text_carries_the_recipients_id():
    assert hub.with_id(7, hub.encode({"type": "message", "x": "ü"})) == (
        '{"id":7,"type":"message","x":"ü"}'
    )

"""Messenger rules in plain Python: text, emoji shortcodes, mentions, roles, mute, ticks,
cards. No framework imports (lint-imports checks)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import emoji

from kosmos.rules import RuleError

MAX_TEXT = 4000  # characters, after shortcodes are replaced
MAX_NAME = 80
MAX_GROUP_MEMBERS = 256
MAX_REACTION_LEN = 32
HISTORY_PAGE_MAX = 100
ROLES = ("admin", "member")


class ChatRuleError(RuleError):
    pass


# --- text -----------------------------------------------------------------------------------


def clean_text(raw: str) -> str:
    """The text as stored: shortcodes (`:grinning:`) turned into emoji, control characters
    removed (newlines and tabs kept), surrounding blank space trimmed. HTML is not touched
    here: it is escaped wherever the text is shown."""
    text = emoji.emojize(raw, language="alias")
    text = "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    )
    text = text.strip()
    if not text:
        raise ChatRuleError("text", "A message cannot be empty.")
    if len(text) > MAX_TEXT:
        raise ChatRuleError("text", "A message can have at most 4000 characters.", "too_long")
    return text


def clean_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name:
        raise ChatRuleError("name", "Give the group a name.")
    if len(name) > MAX_NAME:
        raise ChatRuleError("name", "A name can have at most 80 characters.", "too_long")
    return name


def clean_reaction(raw: str) -> str:
    """One emoji (or a shortcode for one): what can be a reaction."""
    value = emoji.emojize(raw.strip(), language="alias")
    if not value or len(value) > MAX_REACTION_LEN or not emoji.purely_emoji(value):
        raise ChatRuleError("emoji", "A reaction is one emoji.")
    if emoji.emoji_count(value) != 1:
        raise ChatRuleError("emoji", "A reaction is one emoji.")
    return value


_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.-]{2,30})")


def mentioned_usernames(text: str) -> list[str]:
    """`@ben` and `@ben.k` style mentions, lower-cased, in order, without repeats."""
    seen: list[str] = []
    for name in _MENTION.findall(text):
        name = name.rstrip(".-").lower()
        if name and name not in seen:
            seen.append(name)
    return seen


def preview(text: str, length: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


# --- membership -----------------------------------------------------------------------------


def direct_key(a: int, b: int) -> str:
    if a == b:
        raise ChatRuleError("user_id", "A direct chat needs another person.")
    low, high = sorted((a, b))
    return f"{low}:{high}"


def can_see(message_id: int, history_from_id: int, visible_until_id: int | None) -> bool:
    return message_id > history_from_id and (
        visible_until_id is None or message_id <= visible_until_id
    )


def is_muted(now: datetime, muted_until: datetime | None, forever: bool) -> bool:
    return forever or (muted_until is not None and muted_until > now)


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ChatRuleError("role", "A role is admin or member.")
    return role


# --- read receipts ----------------------------------------------------------------------------


def tick(message_id: int, others: list[tuple[int, int]]) -> str:
    """What the sender sees on a message: "sent" (stored), "delivered" (reached a device
    of every other member), "read" (every other member read it). `others` holds each
    other member's (last_delivered_id, last_read_id)."""
    if not others:
        return "sent"
    if all(read >= message_id for _d, read in others):
        return "read"
    if all(max(delivered, read) >= message_id for delivered, read in others):
        return "delivered"
    return "sent"


# --- cards ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    action: str
    value: str
    label: str


MAX_POLL_OPTIONS = 10


def poll_card(question: str, options: list[str]) -> dict[str, Any]:
    """A poll: a card whose buttons each vote for one option."""
    title = " ".join(question.split())
    if not title:
        raise ChatRuleError("question", "Ask a question.")
    if len(title) > 200:
        raise ChatRuleError("question", "The question is too long.")
    labels = [" ".join(o.split()) for o in options]
    labels = [label for label in labels if label]
    if len(labels) < 2 or len(labels) > MAX_POLL_OPTIONS:
        raise ChatRuleError("options", "A poll has 2 to 10 options.")
    if len({label.lower() for label in labels}) != len(labels):
        raise ChatRuleError("options", "Each option only once.")
    if any(len(label) > 80 for label in labels):
        raise ChatRuleError("options", "An option is too long.")
    return {
        "type": "poll",
        "title": title,
        "fields": [],
        "buttons": [
            {"action": "vote", "value": str(i), "label": label} for i, label in enumerate(labels)
        ],
    }


def check_card_action(card: dict[str, Any], action: str, value: str) -> Button:
    """The button pressed: one of the card's buttons, or the tick box of a checklist entry
    (action "toggle")."""
    for button in card.get("buttons", []):
        if button["action"] == action and button["value"] == value:
            return Button(action, value, button["label"])
    if action == "toggle":
        for entry in card.get("checklist", []):
            if entry.get("value") == value:
                return Button(action, value, str(entry.get("label", "")))
    raise ChatRuleError("action", "This card has no such button.")


def poll_tally(card: dict[str, Any], votes: list[tuple[str, int]]) -> list[dict[str, Any]]:
    """Count per option; `votes` holds (value, user_id)."""
    counts: dict[str, list[int]] = {b["value"]: [] for b in card.get("buttons", [])}
    for value, user_id in votes:
        if value in counts:
            counts[value].append(user_id)
    return [
        {"value": b["value"], "label": b["label"], "count": len(counts[b["value"]]),
         "user_ids": counts[b["value"]]}
        for b in card.get("buttons", [])
    ]  # fmt: skip

"""An optional language model behind the same JSON form (KOSMOS_LLM_URL).

When `KOSMOS_LLM_URL` names an OpenAI-compatible chat-completions endpoint, Kosmo asks it to
call one function, `report_intents`, whose parameters are the JSON form of
docs/assistant-understanding.md. Its answer is checked field by field; anything wrong, an
HTTP error or no answer within `llm_timeout_seconds` (2 s) falls back to the built-in
understanding, which is also the default: fully offline.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

import httpx

from kosmos.assistant.understanding import Understanding, understand
from kosmos.config import get_settings

log = logging.getLogger(__name__)

UNITS = ["kg", "g", "l", "ml", "piece", "pack", None]
_ISO_OR_NULL: dict[str, Any] = {"type": ["string", "null"], "description": "ISO 8601 with offset"}
INTENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"enum": ["create_event", "add_items", "add_task", "claim", "order_food", "rate",
                          "book_appointment", "expense", "rsvp"]},
        "title": {"type": "string"}, "start": _ISO_OR_NULL, "end": _ISO_OR_NULL,
        "place": {"type": ["string", "null"]},
        "items": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "quantity": {"type": ["number", "null"]},
            "unit": {"enum": UNITS}}}},
        "tasks": {"type": "array", "items": {"type": "object", "properties": {
            "title": {"type": "string"}, "assignee": {"type": ["string", "null"]},
            "due": _ISO_OR_NULL}}},
        "who": {"type": "string"}, "what": {"type": ["array", "string"]},
        "merchant": {"type": ["string", "null"]},
        "mode": {"enum": ["store", "delivery", "locker", None]}, "time": _ISO_OR_NULL,
        "target": {"type": "string"}, "stars": {"type": "integer", "minimum": 1, "maximum": 5},
        "comment": {"type": ["string", "null"]}, "service": {"type": "string"},
        "amount": {"type": "string", "pattern": r"^[0-9]+\.[0-9]{2}$"},
        "currency": {"enum": ["EUR"]}, "payer": {"type": "string"},
        "description": {"type": "string"}, "answer": {"enum": ["yes", "no", "maybe"]},
    },
    "required": ["type"],
}  # fmt: skip
REQUIRED = {
    "create_event": ("title", "start", "end", "place"), "add_items": ("items",),
    "add_task": ("tasks",), "claim": ("who", "what", "merchant", "mode"),
    "order_food": ("merchant", "items", "time"), "rate": ("target", "stars", "comment"),
    "book_appointment": ("service", "merchant", "start"),
    "expense": ("amount", "currency", "payer", "description"), "rsvp": ("answer",),
}  # fmt: skip
TOOL = {
    "type": "function",
    "function": {
        "name": "report_intents",
        "description": "Report what a group-chat message asks for (empty list for chit-chat).",
        "parameters": {"type": "object", "properties": {
            "intents": {"type": "array", "items": INTENT_SCHEMA}}, "required": ["intents"]},
    },
}  # fmt: skip
SYSTEM = (
    "You read one message from a German or English group chat about shopping and plans. "
    "Call report_intents with the intents it carries, in order. Resolve times in {tz} "
    "relative to now = {now}; write them ISO 8601 with the offset. Members: {members}; the "
    "speaker is 'me'. Chit-chat and questions to others give an empty list."
)


class BadAnswer(ValueError):
    pass


def _valid_time(value: Any, *, nullable: bool) -> None:
    if value is None and nullable:
        return
    if not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is None:
        raise BadAnswer(f"bad time {value!r}")


def check(intents: Any) -> list[dict[str, Any]]:
    """The model's intents if every field has the contract's shape, else BadAnswer."""
    if not isinstance(intents, list):
        raise BadAnswer("intents is not a list")
    out = []
    for intent in intents:
        kind = intent.get("type") if isinstance(intent, dict) else None
        if kind not in REQUIRED:
            raise BadAnswer(f"unknown intent {kind!r}")
        missing = [f for f in REQUIRED[kind] if f not in intent]
        if missing:
            raise BadAnswer(f"{kind} lacks {missing}")
        for field in ("start", "end", "time", "due"):
            if field in intent:
                _valid_time(intent[field], nullable=field != "start")
        if kind == "rate" and intent["stars"] not in (1, 2, 3, 4, 5):
            raise BadAnswer("stars out of range")
        if kind == "add_items":
            for item in intent["items"]:
                if item.get("unit") not in UNITS or not isinstance(item.get("name"), str):
                    raise BadAnswer("bad item")
        if kind == "expense" and not str(intent["amount"]).replace(".", "", 1).isdigit():
            raise BadAnswer("bad amount")
        out.append({"type": kind, **{f: intent[f] for f in REQUIRED[kind]}})
    return out


def ask_model(
    text: str, *, now: datetime, tz: str, members: tuple[str, ...]
) -> list[dict[str, Any]]:
    settings = get_settings()
    assert settings.llm_url
    headers = {"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {}
    body = {
        "model": settings.llm_model,
        "messages": [
            {"role": "system", "content": SYSTEM.format(tz=tz, now=now.isoformat(),
                                                        members=", ".join(members) or "-")},
            {"role": "user", "content": text},
        ],
        "tools": [TOOL],
        "tool_choice": {"type": "function", "function": {"name": "report_intents"}},
        "temperature": 0,
    }  # fmt: skip
    timeout = httpx.Timeout(settings.llm_timeout_seconds)
    response = httpx.post(settings.llm_url, json=body, headers=headers, timeout=timeout)
    response.raise_for_status()
    calls = response.json()["choices"][0]["message"].get("tool_calls") or []
    if not calls:
        raise BadAnswer("no tool call")
    arguments = json.loads(calls[0]["function"]["arguments"])
    return check(arguments.get("intents"))


def understand_message(
    text: str, *, now: datetime, tz: str = "Europe/Berlin", members: tuple[str, ...] = ()
) -> Understanding:
    """The model's reading when one is configured and answers well in time, else the
    built-in one."""
    built_in = understand(text, now=now, tz=tz, members=members)
    if not get_settings().llm_url:
        return built_in
    try:
        intents = ask_model(text, now=now, tz=tz, members=members)
    except (httpx.HTTPError, BadAnswer, ValueError, KeyError, IndexError, TypeError) as exc:
        log.warning("LLM backend not used (%s); built-in understanding", exc)
        return built_in
    return Understanding(tuple(intents), built_in.locale, built_in.ask, source="llm")

"""Shared API schema pieces: strict request models, cursor pages, cursor encoding."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field

from kosmos.errors import Problem

T = TypeVar("T")

MAX_ID = 2**31 - 1
# Every object id in a path: out-of-range values are a 422, never a database error.
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
BodyId = Annotated[int | None, Field(default=None, ge=1, le=MAX_ID)]


class StrictModel(BaseModel):
    """Request bodies: unknown fields are refused, types are not coerced from strings."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PublicModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class BadCursor(Problem):
    status, code, title = 400, "invalid_cursor", "Invalid cursor"


def encode_cursor(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadCursor("The cursor is not one this API handed out.") from exc
    if not isinstance(data, dict):
        raise BadCursor("The cursor is not one this API handed out.")
    return data


def after_id(cursor: str | None) -> int | None:
    """The id a keyset page continues after (cursor from `id_page`)."""
    data = decode_cursor(cursor)
    if data is None:
        return None
    value = data.get("after")
    if type(value) is not int or not 0 < value <= MAX_ID:
        raise BadCursor("The cursor is not one this API handed out.")
    return value


def id_page(rows: Sequence[T], limit: int, key: Callable[[T], int]) -> dict[str, Any]:
    """A page from `limit + 1` rows ordered by id: the items and the cursor to the next."""
    items = list(rows[:limit])
    more = len(rows) > limit
    return {
        "items": items,
        "next_cursor": encode_cursor({"after": key(items[-1])}) if more else None,
    }

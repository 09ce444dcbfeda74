"""Shared API schema pieces: strict request models, cursor pages, cursor encoding."""

from __future__ import annotations

import base64
import binascii
import json
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

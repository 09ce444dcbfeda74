"""Routes: `api_router` (mounted under /api/v1) and `page_router` (HTML pages)."""

from __future__ import annotations

from fastapi import APIRouter

api_router = APIRouter()
page_router = APIRouter()

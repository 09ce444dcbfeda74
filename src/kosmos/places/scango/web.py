"""Routes: `api_router` (mounted under /api/v1) and `page_router` (HTML pages)."""

from __future__ import annotations

from fastapi import APIRouter

from kosmos.places.scango import api, gate_pages, pages

api_router = APIRouter()
api_router.include_router(api.router)

page_router = APIRouter()
page_router.include_router(pages.router)
page_router.include_router(gate_pages.router)

"""Routes: `api_router` (mounted under /api/v1) and `page_router` (HTML pages)."""

from __future__ import annotations

from fastapi import APIRouter

from kosmos.places.dining import api, order_pages, pages, staff_pages

api_router = APIRouter()
api_router.include_router(api.router)
page_router = APIRouter()
for _module in (pages, order_pages, staff_pages):
    page_router.include_router(_module.router)

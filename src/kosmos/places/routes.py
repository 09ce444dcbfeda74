"""Every Pay Places router, mounted by `kosmos.app.create_app`."""

from __future__ import annotations

from fastapi import FastAPI


def include(app: FastAPI) -> None:
    from kosmos.places import pos_pages, qr_api, scan_pages
    from kosmos.places.dining import web as dining_web
    from kosmos.places.scango import web as scango_web

    app.include_router(qr_api.router, prefix="/api/v1")
    app.include_router(scan_pages.router)
    app.include_router(pos_pages.router)
    for module in (scango_web, dining_web):
        app.include_router(module.api_router, prefix="/api/v1")
        app.include_router(module.page_router)

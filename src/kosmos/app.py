"""create_app(): mounts every context's routers, templates, static files and lifespan."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kosmos import errors, health
from kosmos.config import Settings, configure, get_settings
from kosmos.db import make_engine, make_session_factory
from kosmos.web import collector, route_index
from kosmos.web.middleware import (
    BodyLimitMiddleware,
    LocaleMiddleware,
    RejectNulMiddleware,
    SecurityHeadersMiddleware,
)

UPLOAD_PATHS = re.compile(r"^/api/v1/chat/conversations/\d+/attachments$")


def create_app(settings: Settings | None = None, *, run_relay: bool | None = None) -> FastAPI:
    if settings is not None:
        configure(settings)
    settings = get_settings()
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    write_factory = make_session_factory(engine, write=True)
    relay_enabled = settings.run_outbox_relay if run_relay is None else run_relay

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from kosmos.bus import RelayWorker
        from kosmos.chat import hub as chat_hubs

        worker = (
            RelayWorker(write_factory, settings.outbox_poll_seconds, settings.outbox_gather_seconds)
            if relay_enabled
            else None
        )
        if worker:
            worker.start()
        chat_hub = chat_hubs.install(
            chat_hubs.RedisHub(settings.redis_url, prefix=f"{settings.redis_prefix}:chat")
            if settings.redis_url
            else chat_hubs.MemoryHub()
        )
        await chat_hub.start()
        from kosmos.delivery import mqtt_link

        stop_lockers = mqtt_link.connect(settings, write_factory)  # None without a broker
        from kosmos.push import current_keys

        current_keys()  # the VAPID key exists from the first run on
        full_passes = None
        if settings.env != "test":  # full GC passes on a timer, not under load
            collector.tune()
            full_passes = asyncio.create_task(collector.full_passes())
        try:
            yield
        finally:
            if full_passes is not None:
                full_passes.cancel()
            if hasattr(app.state, "chat_sender"):
                await app.state.chat_sender.stop()
            if hasattr(app.state, "payment_batcher"):
                await app.state.payment_batcher.stop()
            await chat_hub.stop()
            if stop_lockers:
                stop_lockers()
            if worker:
                worker.stop()
            engine.dispose()

    app = FastAPI(
        title="Kosmos API",
        version="0.1.0",
        description="Kosmos: shopping universe. Errors are RFC 9457 problem+json.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = factory
    app.state.write_factory = write_factory

    errors.install(app)
    from kosmos.accounts.auth import LoginRequired, login_redirect

    app.add_exception_handler(LoginRequired, lambda _req, exc: login_redirect(exc))
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(LocaleMiddleware)
    app.add_middleware(RejectNulMiddleware)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        uploads=(UPLOAD_PATHS, 11 * 1024 * 1024),  # a 10 MiB image and its multipart framing
    )

    static_dir = resources.files("kosmos") / "static"
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")
    app.include_router(health.router)
    _mount_contexts(app)
    route_index.install(app.router)
    return app


def _mount_contexts(app: FastAPI) -> None:
    from kosmos.accounts import api as accounts_api
    from kosmos.accounts import pages as accounts_pages
    from kosmos.assistant import api as assistant_api
    from kosmos.assistant import booking_api as assistant_booking_api
    from kosmos.assistant import listening as assistant_listening  # noqa: F401 - hears chats
    from kosmos.assistant import order_api as assistant_order_api
    from kosmos.assistant import order_pages as assistant_order_pages
    from kosmos.assistant import pages as assistant_pages
    from kosmos.assistant import proposals as assistant_proposals  # noqa: F401 - card buttons
    from kosmos.assistant import reminders as assistant_reminders  # noqa: F401 - periodic job
    from kosmos.assistant import review_pages as assistant_review_pages
    from kosmos.assistant import split_api as assistant_split_api
    from kosmos.catalog import api as catalog_api
    from kosmos.catalog import backoffice_api as catalog_backoffice_api
    from kosmos.catalog import backoffice_pages as catalog_backoffice_pages
    from kosmos.catalog import pages as catalog_pages
    from kosmos.chat import api as chat_api
    from kosmos.chat import notify as chat_notify  # noqa: F401 - registers the push consumer
    from kosmos.chat import pages as chat_pages
    from kosmos.chat import ws as chat_ws
    from kosmos.delivery import api as delivery_api
    from kosmos.delivery import courier_pages as delivery_courier_pages
    from kosmos.delivery import jobs as delivery_jobs  # noqa: F401 - returns, reminders, slots
    from kosmos.delivery import pages as delivery_pages
    from kosmos.delivery import station_pages as delivery_station_pages
    from kosmos.places import routes as places_routes
    from kosmos.push import api as push_api
    from kosmos.wallet import api as wallet_api
    from kosmos.wallet import jobs as wallet_jobs  # noqa: F401 - registers the periodic jobs
    from kosmos.wallet import merchant_api as wallet_merchant_api
    from kosmos.wallet import merchant_pages as wallet_merchant_pages
    from kosmos.wallet import pages as wallet_pages
    from kosmos.wallet import receipt_pages as wallet_receipt_pages
    from kosmos.web import shell

    app.include_router(accounts_api.router, prefix="/api/v1")
    app.include_router(shell.router)
    app.include_router(accounts_pages.router)
    app.include_router(catalog_api.router, prefix="/api/v1")
    app.include_router(catalog_backoffice_api.router, prefix="/api/v1")
    app.include_router(catalog_pages.router)
    app.include_router(catalog_backoffice_pages.router)
    app.include_router(wallet_api.router, prefix="/api/v1")
    app.include_router(wallet_merchant_api.router, prefix="/api/v1")
    app.include_router(wallet_pages.router)
    app.include_router(wallet_receipt_pages.router)
    app.include_router(wallet_merchant_pages.router)
    app.include_router(push_api.router, prefix="/api/v1")
    app.include_router(chat_api.router, prefix="/api/v1")
    app.include_router(chat_ws.router)
    app.include_router(chat_pages.router)
    places_routes.include(app)
    app.include_router(assistant_api.router, prefix="/api/v1")
    app.include_router(assistant_pages.router)
    app.include_router(assistant_split_api.router, prefix="/api/v1")
    app.include_router(assistant_split_api.page_router)
    app.include_router(assistant_booking_api.router, prefix="/api/v1")
    app.include_router(assistant_review_pages.router)
    app.include_router(assistant_order_api.router, prefix="/api/v1")
    app.include_router(assistant_order_pages.router)
    app.include_router(delivery_api.router, prefix="/api/v1")
    app.include_router(delivery_pages.router)
    app.include_router(delivery_station_pages.router)
    app.include_router(delivery_courier_pages.router)

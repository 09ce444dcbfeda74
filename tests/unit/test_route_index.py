"""Route lookup by path prefix picks the route Starlette's scan of every route picks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute, Match, Mount, Route, WebSocketRoute
from tests.support import run_async

from kosmos.app import create_app
from kosmos.config import Settings
from kosmos.web import route_index
from kosmos.web.route_index import RouteIndex

SAMPLE = {  # a value each of Starlette's convertors takes
    "IntegerConvertor": "7",
    "PathConvertor": "a/b.css",
    "StringConvertor": "x1",
    "FloatConvertor": "1.5",
    "UUIDConvertor": "12345678-1234-5678-1234-567812345678",
}


PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-zA-Z_]+)?}")


@pytest.fixture(scope="module")
def kosmos_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('routes')) / 'routes.db'}"
    return create_app(Settings(database_url=url, env="test"), run_relay=False)


def sample_path(route: BaseRoute) -> str:
    """A concrete path the route matches: each parameter filled in for its convertor."""
    assert isinstance(route, Route | WebSocketRoute | Mount)
    convertors = route.param_convertors
    path = PARAM.sub(lambda m: SAMPLE[type(convertors[m[1]]).__name__], route.path)
    return path + ("/app.css" if isinstance(route, Mount) else "")


def scope_for(method: str, path: str, kind: str = "http") -> dict[str, Any]:
    return {"type": kind, "method": method, "path": path, "root_path": "", "headers": []}


def first_full(routes: Any, scope: dict[str, Any]) -> BaseRoute | None:
    for route in routes:
        if route.matches(scope)[0] is Match.FULL:
            return route
    return None


def test_every_route_is_found_as_the_full_scan_finds_it(kosmos_app: FastAPI) -> None:
    index = kosmos_app.router.middleware_stack
    assert isinstance(index, RouteIndex)
    routes = kosmos_app.router.routes
    checked = 0
    for route in routes:
        if not isinstance(route, Route | WebSocketRoute | Mount):
            continue
        path = sample_path(route)
        kind = "websocket" if isinstance(route, WebSocketRoute) else "http"
        methods = sorted(getattr(route, "methods", None) or {"GET"})
        for method in [*methods, "DELETE", "PATCH"]:  # also methods the route lacks (405)
            scope = scope_for(method, path, kind)
            expected = first_full(routes, scope)
            assert first_full(index.candidates(path), scope) is expected, (method, path)
            checked += 1
    assert len(routes) > 300 and checked > 900  # the whole app, not a sample of it


def test_a_path_keeps_only_routes_it_can_match_in_app_order() -> None:
    app = FastAPI()
    for path in ("/", "/a", "/a/{x}", "/b/{y}", "/a/{x}/c"):
        app.add_api_route(path, lambda: None)
    index = route_index.install(app.router)
    found = [r.path for r in index.candidates("/a/1/c")]  # type: ignore[attr-defined]
    assert found == ["/", "/a", "/a/{x}", "/a/{x}/c"]
    assert [r.path for r in index.candidates("/b/2")] == ["/", "/b/{y}"]  # type: ignore[attr-defined]


def test_routes_added_later_are_found_and_misses_go_to_starlette() -> None:
    app = FastAPI()
    app.add_api_route("/a/{x}", lambda x: {"x": x}, methods=["GET"])
    route_index.install(app.router)
    client = TestClient(app)
    assert client.get("/a/1").json() == {"x": "1"}
    app.add_api_route("/b", lambda: {"b": True}, methods=["GET"])  # after the first request
    assert client.get("/b").json() == {"b": True}
    assert client.post("/a/1").status_code == 405  # a partial match: Starlette's answer
    assert client.get("/nope").status_code == 404
    redirected = client.get("/b/", follow_redirects=False)
    assert redirected.status_code == 307 and redirected.headers["location"].endswith("/b")


def test_the_cache_of_paths_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(route_index, "CACHED_PATHS", 10)
    app = FastAPI()
    app.add_api_route("/item/{n}", lambda n: n)
    index = route_index.install(app.router)
    for n in range(25):
        assert len(index.candidates(f"/item/{n}")) == 1
        assert len(index._by_path) <= 10


def test_a_router_with_middleware_of_its_own_is_refused() -> None:
    from starlette.middleware import Middleware
    from starlette.middleware.gzip import GZipMiddleware
    from starlette.routing import Router

    router = Router(middleware=[Middleware(GZipMiddleware)])
    with pytest.raises(RuntimeError, match="middleware of its own"):
        route_index.install(router)


def test_lifespan_goes_through_to_the_router() -> None:
    started: list[bool] = []

    async def lifespan_app() -> None:
        from contextlib import asynccontextmanager

        @asynccontextmanager
        async def lifespan(_app: Any) -> Any:
            started.append(True)
            yield

        app = FastAPI(lifespan=lifespan)
        route_index.install(app.router)
        messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return next(messages)

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await app({"type": "lifespan", "state": {}}, receive, send)
        assert [m["type"] for m in sent] == [
            "lifespan.startup.complete",
            "lifespan.shutdown.complete",
        ]

    run_async(lifespan_app())
    assert started == [True]

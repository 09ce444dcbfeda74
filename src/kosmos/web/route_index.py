"""Route lookup by path prefix: a request is matched only against the routes that could
match its path, not against every route of the app in turn.

Starlette matches a request by calling `route.matches(scope)` on each route in order
until one matches in full. Kosmos has 330+ routes (every context's API and pages); the
wallet's payment route is the 100th and a chat page about the 170th, so every request
paid for 100-330 regular-expression matches (about 1.2 µs each here) before its own.

A route can only match a path that starts with the literal text of its path before the
first `{parameter}` (`/api/v1/wallet/payments/{reference}` -> `/api/v1/wallet/payments/`;
a mount: its path). `candidates()` keeps, in the app's order, the routes whose literal
prefix the path starts with, and remembers that list per path (a bounded cache: paths
with ids in them are many). The first route among them that matches in full is the
first in the whole list that would, since no other route can match that path at all.

Anything else (no full match: a 405 from a partial match, the trailing-slash redirect, a
404; a lifespan or an unusual route) goes to Starlette's own router, which scans every
route as before. Routes added later (tests do) are seen: the index is rebuilt when the
router's route list changes.
"""

from __future__ import annotations

from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match, Mount, Route, Router, WebSocketRoute
from starlette.types import Receive, Scope, Send

CACHED_PATHS = 4096
"""Paths whose candidate lists are kept; the cache is emptied when it is full."""


def literal_prefix(route: BaseRoute) -> str:
    """The text every path this route matches starts with ("" if not known)."""
    if isinstance(route, Route | WebSocketRoute | Mount):
        return route.path.split("{", 1)[0]
    return ""


class RouteIndex:
    """An ASGI app in place of `router.app`: the indexed lookup, then Starlette's."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self._built_from: tuple[int, int] | None = None
        self._prefixed: list[tuple[str, BaseRoute]] = []
        self._by_path: dict[str, tuple[BaseRoute, ...]] = {}

    def candidates(self, path: str) -> tuple[BaseRoute, ...]:
        routes = self.router.routes
        shape = (id(routes), len(routes))
        if shape != self._built_from:
            self._prefixed = [(literal_prefix(route), route) for route in routes]
            self._by_path = {}
            self._built_from = shape
        found = self._by_path.get(path)
        if found is None:
            if len(self._by_path) >= CACHED_PATHS:
                self._by_path = {}
            found = tuple(route for prefix, route in self._prefixed if path.startswith(prefix))
            self._by_path[path] = found
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            if "router" not in scope:
                scope["router"] = self.router
            for route in self.candidates(get_route_path(scope)):
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    scope["route"] = route
                    scope.update(child_scope)
                    await route.handle(scope, receive, send)
                    return
        await self.router.app(scope, receive, send)


def install(router: Router) -> RouteIndex:
    """Route `router`'s requests through an index. The router must have no middleware
    of its own (its stack is then `router.app` itself, which the index replaces)."""
    if router.middleware_stack != router.app:
        raise RuntimeError("the router has middleware of its own; it would be bypassed")
    index = RouteIndex(router)
    router.middleware_stack = index
    return index

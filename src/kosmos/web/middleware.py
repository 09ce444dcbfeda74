"""ASGI middleware: request body limit, locale selection, security headers."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kosmos.errors import problem_response
from kosmos.web.i18n import current_locale, pick_locale

LOCALE_COOKIE = "kosmos_locale"


async def read_body(receive: Receive, limit: int | None = None) -> tuple[bytes | None, Receive]:
    """Read the whole request body; returns it (None when over `limit`) and a receive
    callable that hands the same messages to the app again."""
    messages: list[Message] = []
    body = b""
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        body += message.get("body", b"")
        if limit is not None and len(body) > limit:
            return None, receive
        if not message.get("more_body", False):
            break

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return body, replay


class BodyLimitMiddleware:
    """Refuses request bodies over the limit with 413, whether declared or streamed.

    A body without Content-Length (chunked) is read up to the limit before the app sees
    it, so the app never starts on a body that turns out too large.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        uploads: tuple[re.Pattern[str], int] | None = None,
    ) -> None:
        self.app = app
        self.default_max = max_bytes
        self.uploads = uploads  # (path pattern, limit): routes that take files

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.default_max
        if self.uploads is not None and self.uploads[0].match(scope.get("path", "")):
            limit = self.uploads[1]
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > limit:
                await self._too_large(scope, receive, send, limit)
                return
            await self.app(scope, receive, send)
            return
        if b"chunked" not in headers.get(b"transfer-encoding", b"").lower():
            await self.app(scope, receive, send)
            return
        body, replay = await read_body(receive, limit)
        if body is None:
            await self._too_large(scope, receive, send, limit)
            return
        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = problem_response(
            413,
            "payload_too_large",
            "Request body too large",
            f"The request body may be at most {limit} bytes.",
        )
        await response(scope, receive, send)


class LocaleMiddleware:
    """German by default; the locale cookie (set from the profile or the switch) wins."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        locale = pick_locale(_cookie(scope, LOCALE_COOKIE))
        token = current_locale.set(locale)
        try:
            await self.app(scope, receive, send)
        finally:
            current_locale.reset(token)


def _cookie(scope: Scope, name: str) -> str | None:
    header = dict(scope.get("headers") or []).get(b"cookie")
    return cookie_parser(header.decode("latin-1")).get(name) if header else None


CSP = (
    b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    b"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    b"frame-ancestors 'none'"
)
"""No inline script or style anywhere: text a person wrote can never run as code."""


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                    (b"content-security-policy", CSP),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RejectNulMiddleware:
    """Refuses NUL characters in the path, query or a form/JSON body with a 400.

    No text field accepts them (PostgreSQL cannot store them in text), and a person never
    types one; refusing them at the door keeps every field and both databases consistent.
    """

    _URLENCODED = (b"\x00", b"%00")
    _JSON = (b"\x00", b"\\u0000")

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_path = scope.get("raw_path") or scope.get("path", "").encode()
        if _contains(raw_path + b"?" + scope.get("query_string", b""), self._URLENCODED):
            await self._refuse(scope, receive, send)
            return
        content_type = dict(scope.get("headers") or []).get(b"content-type", b"")
        if content_type.startswith(b"application/x-www-form-urlencoded"):
            markers = self._URLENCODED
        elif content_type.startswith(b"application/json"):
            markers = self._JSON
        else:
            await self.app(scope, receive, send)
            return
        body, replay = await read_body(receive)
        if _contains(body or b"", markers):
            await self._refuse(scope, receive, send)
            return
        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            400, "nul_character", "Invalid characters", "Text may not contain NUL characters."
        )
        await response(scope, receive, send)


def _contains(data: bytes, markers: tuple[bytes, ...]) -> bool:
    lowered = data.lower()
    return any(marker in lowered for marker in markers)

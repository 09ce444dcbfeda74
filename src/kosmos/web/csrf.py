"""CSRF protection for every form post: a signed double-submit token.

The cookie holds a random value; each form and htmx request echoes it (hidden field
`csrf_token` or header `X-CSRF-Token`). The value is signed with the secret key, so a
cookie planted by a sibling subdomain is refused too.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from itsdangerous import BadSignature, URLSafeSerializer

from kosmos.config import get_settings
from kosmos.errors import Forbidden

COOKIE = "kosmos_csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(get_settings().secret_key, salt="kosmos-csrf")


def token_for(request: Request) -> str:
    """The request's CSRF token, minted once per browser and stored on request.state."""
    existing = getattr(request.state, "csrf_token", None)
    if existing:
        return str(existing)
    cookie = request.cookies.get(COOKIE)
    if cookie and _valid(cookie):
        token = cookie
    else:
        token = _serializer().dumps(secrets.token_urlsafe(24))
        request.state.csrf_new = True
    request.state.csrf_token = token
    return token


def _valid(token: str) -> bool:
    try:
        _serializer().loads(token)
    except BadSignature:
        return False
    return True


def echoed(cookie: str, sent: str) -> bool:
    """The request echoes the browser's own, genuinely signed, CSRF token."""
    return bool(cookie and sent) and _valid(cookie) and hmac.compare_digest(cookie, sent)


async def require_csrf(request: Request) -> None:
    """Dependency for every HTML form POST."""
    cookie = request.cookies.get(COOKIE, "")
    sent = request.headers.get(HEADER, "")
    if not sent:
        form = await request.form()
        value = form.get(FIELD, "")
        sent = value if isinstance(value, str) else ""
    if not echoed(cookie, sent):
        raise Forbidden(
            "The form has expired or was not sent from Kosmos. Reload the page and try again.",
            code="csrf_failed",
        )

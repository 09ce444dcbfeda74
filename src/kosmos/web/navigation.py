"""Where a form sends the browser next, and the locale cookie."""

from __future__ import annotations

from urllib.parse import urlparse

from fastapi.responses import Response

from kosmos.config import get_settings
from kosmos.web.middleware import LOCALE_COOKIE


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site relative paths are followed after a form (no open redirect)."""
    if not target:
        return default
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def set_locale_cookie(response: Response, locale: str) -> None:
    response.set_cookie(
        LOCALE_COOKIE,
        locale,
        max_age=365 * 86400,
        samesite="lax",
        secure=get_settings().secure_cookies,
    )

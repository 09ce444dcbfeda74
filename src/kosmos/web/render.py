"""Jinja2 rendering with i18n, formatting helpers and the CSRF cookie."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape

from kosmos.config import get_settings
from kosmos.web import csrf, format
from kosmos.web.i18n import current_locale, gettext, ngettext


@cache
def templates() -> Jinja2Templates:
    env = Environment(
        loader=PackageLoader("kosmos", "templates"),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        price=format.price,
        number=format.number,
        local_datetime=format.local_datetime,
    )
    return Jinja2Templates(env=env)


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    ctx: dict[str, Any] = {
        "user": getattr(request.state, "user", None),
        "csrf_token": csrf.token_for(request),
        "locale": current_locale.get(),
        "dev_mode": not get_settings().is_production,
    }
    ctx.update(context or {})
    response = templates().TemplateResponse(request, name, ctx, status_code=status_code)
    set_csrf_cookie(request, response)
    return response


def set_csrf_cookie(request: Request, response: Any) -> None:
    if getattr(request.state, "csrf_new", False):
        response.set_cookie(
            csrf.COOKIE,
            request.state.csrf_token,
            httponly=True,
            samesite="lax",
            secure=get_settings().secure_cookies,
            max_age=60 * 60 * 24 * 30,
        )


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", {"status": status, "message": message}, status)

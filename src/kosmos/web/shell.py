"""Web app shell: home, locale switch, PWA manifest and service worker, later sections."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from kosmos.accounts import services as accounts
from kosmos.accounts.auth import optional_user, page_user
from kosmos.accounts.tables import User
from kosmos.web.csrf import require_csrf
from kosmos.web.deps import get_db
from kosmos.web.i18n import _, current_locale, pick_locale
from kosmos.web.navigation import safe_next, set_locale_cookie
from kosmos.web.render import render

router = APIRouter(include_in_schema=False)


@router.post("/locale", dependencies=[Depends(require_csrf)])
def switch_locale(
    locale: str = Form(...),
    next: str = Form("/"),
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db),
) -> Response:
    chosen = pick_locale(locale)
    if user is not None:
        accounts.update_profile(db, user, locale=chosen)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_locale_cookie(response, chosen)
    return response


@router.get("/manifest.webmanifest")
def manifest() -> JSONResponse:
    lang = current_locale.get()
    return JSONResponse(
        {
            "name": "Kosmos",
            "short_name": "Kosmos",
            "lang": lang,
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#f6f7f5",
            "theme_color": "#0b6e4f",
            "description": _("Plan together, shop together."),
            "icons": [
                {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
                {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
                {
                    "src": "/static/icons/icon.svg",
                    "sizes": "any",
                    "type": "image/svg+xml",
                    "purpose": "any maskable",
                },
            ],
        },
        media_type="application/manifest+json",
    )


@router.get("/sw.js")
def service_worker() -> FileResponse:
    path = resources.files("kosmos") / "static" / "sw.js"
    return FileResponse(
        str(path), media_type="text/javascript", headers={"Service-Worker-Allowed": "/"}
    )


def _section(title_msg: str, section: str):  # noqa: ANN202
    def page(request: Request, user: User = Depends(page_user)) -> Response:
        return render(request, "coming_soon.html", {"title": _(title_msg), "section": section})

    return page


for _path, _title, _section_key in (
    ("/lists", "Lists", "lists"),
    ("/orders", "Orders", "orders"),
):
    router.add_api_route(_path, _section(_title, _section_key), methods=["GET"])

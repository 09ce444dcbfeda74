"""Pages of the ratings and appointments skills: a merchant's reviews (average, count, the
list, and a form to write or edit one's own; the catalog's merchant page can link here, as
the catalog may not import the assistant) and a booking's calendar file (its maker or
members of the chat it was booked in)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kosmos.accounts.auth import optional_user, page_user
from kosmos.accounts.tables import User
from kosmos.assistant import booking, reviewing
from kosmos.catalog import pages as catalog_pages
from kosmos.catalog import services as catalog
from kosmos.catalog.tables import Merchant
from kosmos.errors import Problem
from kosmos.web.csrf import require_csrf
from kosmos.web.deps import get_db
from kosmos.web.i18n import current_locale
from kosmos.web.render import render

router = APIRouter(include_in_schema=False)
DB = Depends(get_db)
ME = Depends(page_user)
MAYBE_ME = Depends(optional_user)
CSRF = [Depends(require_csrf)]


def _page(request: Request, db: Session, slug: str, user: User | None,
          errors: dict[str, str] | None = None, form: dict[str, str] | None = None
          ) -> Response:  # fmt: skip
    merchant = catalog.get_merchant_by_slug(db, slug)
    data = reviewing.reviews_out(db, merchant, viewer_id=user.id if user else None)
    mine = reviewing.review_of(db, user.id, merchant.id) if user else None
    return render(
        request, "assistant/reviews.html",
        {"merchant": merchant, "data": data, "mine": mine, "errors": errors or {},
         "form": form or {"stars": str(mine.stars) if mine else "",
                          "comment": (mine.comment or "") if mine else ""}},
        status_code=422 if errors else 200,
    )  # fmt: skip


@router.get("/merchants/{slug}/reviews")
def reviews_page(slug: str, request: Request, user: User | None = MAYBE_ME,
                 db: Session = DB) -> Response:  # fmt: skip
    return _page(request, db, slug[:80], user)


@router.post("/merchants/{slug}/reviews", dependencies=CSRF)
def review_save(
    slug: str, request: Request, stars: str = Form(""), comment: str = Form(""),
    user: User = ME, db: Session = DB,
) -> Response:  # fmt: skip
    merchant = catalog.get_merchant_by_slug(db, slug[:80])
    try:
        value = int(stars) if stars.strip().isdigit() else None
        reviewing.save_review(db, user, merchant.id, value, comment[:5000])
    except Problem as exc:
        db.rollback()
        return _page(request, db, merchant.slug, user, {exc.field or "stars": exc.localized()},
                     {"stars": stars[:2], "comment": comment[:5000]})  # fmt: skip
    db.commit()
    return RedirectResponse(f"/merchants/{merchant.slug}/reviews", status_code=303)


@router.get("/assistant/bookings/{booking_id:int}.ics")
def booking_ics(booking_id: int, request: Request, user: User = ME,
                db: Session = DB) -> Response:  # fmt: skip
    found = booking.visible_booking(db, user, booking_id)
    return Response(
        booking.ics(db, found, str(request.base_url).rstrip("/")),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="booking-{found.id}.ics"'},
    )


def _reviews_panel(session: Session, merchant: Merchant) -> dict[str, Any]:
    """The average and count of reviews on the catalog's merchant page."""
    found = reviewing.summary(session, merchant.id)
    locale = current_locale.get()
    return {"reviews": {"average": found.average_text("en" if locale == "en" else "de"),
                        "count": found.count}}  # fmt: skip


catalog_pages.merchant_panels.append(_reviews_panel)

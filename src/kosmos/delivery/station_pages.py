"""The station's own screen (what a customer sees at the parcel station, no login): type
or scan the pickup code, the compartment opens, take the parcel and confirm."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kosmos.delivery import pickup, stations
from kosmos.errors import Problem
from kosmos.places.page_support import CSRF, DB, errors_of
from kosmos.web.render import render

router = APIRouter(include_in_schema=False)


def _page(request: Request, db: Session, station_code: str, *, errors: dict[str, str] | None = None,
          opened: list[int] | None = None, typed: str = "", done: bool = False,
          status: int = 200) -> Response:  # fmt: skip
    station = stations.station_by_code(db, station_code)
    return render(request, "delivery/station.html", {
        "section": "", "station": station, "errors": errors or {}, "opened": opened or [],
        "typed": typed, "done": done,
    }, status)  # fmt: skip


@router.get("/stations/{station}")
def station_page(station: str, request: Request, db: Session = DB) -> Response:
    return _page(request, db, station)


@router.post("/stations/{station}/open", dependencies=CSRF)
def open_compartment(station: str, request: Request, code: str = Form(""),
                     db: Session = DB) -> Response:  # fmt: skip
    try:
        _order, numbers = pickup.open_for_pickup(db, station, code)
    except Problem as exc:
        return _page(request, db, station, errors=errors_of(exc, "code"),
                     typed=code, status=exc.status)  # fmt: skip
    return _page(request, db, station, opened=numbers, typed=code)


@router.post("/stations/{station}/confirm", dependencies=CSRF)
def confirm(station: str, request: Request, code: str = Form(""),
            db: Session = DB) -> Response:  # fmt: skip
    try:
        pickup.confirm_pickup(db, station, code)
    except Problem as exc:
        return _page(request, db, station, errors=errors_of(exc, "code"),
                     typed=code, status=exc.status)  # fmt: skip
    return _page(request, db, station, done=True)

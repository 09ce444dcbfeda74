"""Assistant pages: an event (RSVP, lists, calendar file, edit, cancel) and the edit form of
an event proposal before it is confirmed. Members of the event's chat only."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos.accounts.auth import page_user
from kosmos.accounts.tables import User
from kosmos.assistant import events, lists, proposals
from kosmos.assistant.tables import ItemList, Proposal
from kosmos.chat.conversations import active_member
from kosmos.chat.tables import Message
from kosmos.errors import Invalid, NotFound, Problem
from kosmos.web.csrf import require_csrf
from kosmos.web.deps import get_db, get_write_db
from kosmos.web.render import render

router = APIRouter(include_in_schema=False)
DB = Depends(get_db)
WRITE_DB = Depends(get_write_db)  # GETs that make what they show on first use
ME = Depends(page_user)
CSRF = [Depends(require_csrf)]
BERLIN = ZoneInfo("Europe/Berlin")


def _local(value: datetime | None) -> datetime | None:
    return value.astimezone(BERLIN) if value else None


def _parse(day: str, time: str, end_time: str) -> tuple[datetime, datetime | None]:
    """The form's Berlin wall times as aware datetimes (field errors as Invalid)."""
    try:
        start = datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=BERLIN)
    except ValueError:
        raise Invalid("Give a day and a time.", field="start") from None
    end = None
    if end_time:
        try:
            end = datetime.fromisoformat(f"{day}T{end_time}").replace(tzinfo=BERLIN)
        except ValueError:
            raise Invalid("Give the end as a time.", field="end") from None
    return start, end


def _event_page(request: Request, db: Session, user: User, event_id: int,
                errors: dict[str, str] | None = None) -> Response:  # fmt: skip
    event = events.visible_event(db, user, event_id)
    item_lists = list(db.scalars(select(ItemList).where(ItemList.event_id == event.id)
                                 .order_by(ItemList.kind)))  # fmt: skip
    names = lists.display_names(db, event.conversation_id)
    answers = events.rsvps(db, event.id)
    return render(
        request, "assistant/event.html",
        {"section": "chats", "event": event, "start": _local(event.starts_at),
         "end": _local(event.ends_at), "lists": [lists.list_out(db, x) for x in item_lists],
         "rsvps": [(a, names.get(u, "?")) for a, u in answers],
         "mine": next((a for a, u in answers if u == user.id), None), "errors": errors or {}},
        status_code=422 if errors else 200,
    )  # fmt: skip


@router.get("/assistant/events/{event_id:int}.ics")
def event_ics(event_id: int, request: Request, user: User = ME, db: Session = DB) -> Response:
    event = events.visible_event(db, user, event_id)
    return Response(
        events.ics(event, str(request.base_url).rstrip("/")),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="event-{event.id}.ics"'},
    )


@router.get("/assistant/events/{event_id:int}")
def event_page(event_id: int, request: Request, user: User = ME, db: Session = DB) -> Response:
    return _event_page(request, db, user, event_id)


@router.post("/assistant/events/{event_id:int}/rsvp", dependencies=CSRF)
def event_rsvp(event_id: int, answer: str = Form(""), user: User = ME,
               db: Session = DB) -> Response:  # fmt: skip
    event = events.visible_event(db, user, event_id, write=True)
    events.answer(db, user, event, answer)
    events.refresh_card(db, event, event.locale)
    db.commit()
    return RedirectResponse(f"/assistant/events/{event_id}", status_code=303)


@router.post("/assistant/events/{event_id:int}", dependencies=CSRF)
def event_edit(
    event_id: int, request: Request, title: str = Form(""), day: str = Form(""),
    time: str = Form(""), end_time: str = Form(""), place: str = Form(""),
    user: User = ME, db: Session = DB,
) -> Response:  # fmt: skip
    event = events.visible_event(db, user, event_id, write=True)
    try:
        start, end = _parse(day, time, end_time)
        events.update(db, user, event, title=title, start=start, end=end, place=place)
    except Problem as exc:
        db.rollback()
        return _event_page(request, db, user, event_id, {exc.field or "title": exc.localized()})
    events.refresh_card(db, event, event.locale)
    db.commit()
    return RedirectResponse(f"/assistant/events/{event_id}", status_code=303)


@router.post("/assistant/events/{event_id:int}/cancel", dependencies=CSRF)
def event_cancel(event_id: int, user: User = ME, db: Session = DB) -> Response:
    event = events.visible_event(db, user, event_id, write=True)
    events.cancel(db, user, event)
    events.refresh_card(db, event, event.locale)
    db.commit()
    return RedirectResponse(f"/assistant/events/{event_id}", status_code=303)


def _open_event_proposal(db: Session, user: User, proposal_id: int) -> Proposal:
    proposal = db.get(Proposal, proposal_id)
    if proposal is None or proposal.kind != "event":
        raise NotFound("No such proposal.")
    try:
        active_member(db, user.id, proposal.conversation_id)
    except Problem:
        raise NotFound("No such proposal.") from None
    return proposal


@router.get("/assistant/proposals/{proposal_id:int}")
def proposal_page(proposal_id: int, request: Request, user: User = ME,
                  db: Session = DB) -> Response:  # fmt: skip
    proposal = _open_event_proposal(db, user, proposal_id)
    payload = proposal.payload
    start = datetime.fromisoformat(payload["start"]).astimezone(BERLIN)
    end = datetime.fromisoformat(payload["end"]).astimezone(BERLIN) if payload.get("end") else None
    return render(request, "assistant/proposal.html",
                  {"section": "chats", "proposal": proposal, "payload": payload, "start": start,
                   "end": end, "errors": {}})  # fmt: skip


@router.post("/assistant/proposals/{proposal_id:int}", dependencies=CSRF)
def proposal_confirm(
    proposal_id: int, request: Request, title: str = Form(""), day: str = Form(""),
    time: str = Form(""), end_time: str = Form(""), place: str = Form(""),
    user: User = ME, db: Session = DB,
) -> Response:  # fmt: skip
    proposal = _open_event_proposal(db, user, proposal_id)
    try:
        if proposal.status != "open":
            raise Invalid("This was already decided.", field="title")
        start, end = _parse(day, time, end_time)
        events.check(title, start, end)
    except Problem as exc:
        db.rollback()
        payload = {**proposal.payload, "title": title, "place": place}
        return render(request, "assistant/proposal.html",
                      {"section": "chats", "proposal": proposal, "payload": payload,
                       "start": None, "end": None, "day": day, "time": time,
                       "errors": {exc.field or "title": exc.localized()}},
                      status_code=422)  # fmt: skip
    proposal.payload = {
        **proposal.payload,
        "title": title.strip(),
        "start": start.isoformat(),
        "end": end.isoformat() if end else None,
        "place": place.strip() or None,
    }
    proposals.confirm(db, user, proposal)
    db.flush()
    message = db.get(Message, proposal.card_message_id)
    db.commit()
    return RedirectResponse(
        f"/chats/{proposal.conversation_id}" + (f"#m{message.id}" if message else ""),
        status_code=303,
    )


def _household_page(request: Request, db: Session, user: User, household_id: int,
                    errors: dict[str, str] | None = None) -> Response:  # fmt: skip
    item_lists = [lists.household_list(db, user, household_id, k) for k in ("shopping", "todo")]
    db.commit()
    return render(
        request, "assistant/household_lists.html",
        {"section": "profile", "household_id": household_id,
         "lists": [lists.list_out(db, x) for x in item_lists], "errors": errors or {}},
        status_code=422 if errors else 200,
    )  # fmt: skip


@router.get("/assistant/households/{household_id:int}/lists")
def household_lists(household_id: int, request: Request, user: User = ME,
                    db: Session = WRITE_DB) -> Response:  # fmt: skip
    return _household_page(request, db, user, household_id)


@router.post("/assistant/lists/{list_id:int}/items", dependencies=CSRF)
def list_add(list_id: int, request: Request, text: str = Form(""), user: User = ME,
             db: Session = DB) -> Response:  # fmt: skip
    item_list = lists.visible_list(db, user, list_id, write=True)
    try:
        lists.add_items(db, user, item_list, text)
    except Problem as exc:
        db.rollback()
        if item_list.household_id is None:
            raise
        errors = {f"text-{list_id}": exc.localized()}
        return _household_page(request, db, user, item_list.household_id, errors)
    lists.refresh_card(db, item_list, item_list.locale)
    db.commit()
    return RedirectResponse(_back(item_list), status_code=303)


@router.post("/assistant/lists/{list_id:int}/items/{item_id:int}/toggle", dependencies=CSRF)
def list_toggle(list_id: int, item_id: int, user: User = ME, db: Session = DB) -> Response:
    item_list = lists.visible_list(db, user, list_id, write=True)
    lists.toggle(db, user, item_list.id, item_id)
    lists.refresh_card(db, item_list, item_list.locale)
    db.commit()
    return RedirectResponse(_back(item_list), status_code=303)


def _back(item_list: ItemList) -> str:
    if item_list.household_id is not None:
        return f"/assistant/households/{item_list.household_id}/lists"
    if item_list.event_id is not None:
        return f"/assistant/events/{item_list.event_id}"
    return f"/chats/{item_list.conversation_id}"

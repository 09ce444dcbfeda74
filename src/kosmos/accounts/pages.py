"""HTML routes of the accounts context. Thin: parse the form, call a service, render."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos.accounts import friends, households, services
from kosmos.accounts.auth import SESSION_COOKIE, optional_user, page_user
from kosmos.accounts.tables import User
from kosmos.config import get_settings
from kosmos.errors import NotFound, Problem
from kosmos.mail import MailboxMessage
from kosmos.schemas import ObjectId
from kosmos.web.csrf import require_csrf
from kosmos.web.deps import client_address, get_db
from kosmos.web.navigation import safe_next, set_locale_cookie
from kosmos.web.render import render

router = APIRouter(include_in_schema=False)
DB = Depends(get_db)
CSRF = [Depends(require_csrf)]


def _errors(exc: Problem, default_field: str = "_form") -> dict[str, str]:
    return {exc.field or default_field: exc.localized()}


def _logged_in(response: Response, raw_session: str, user: User) -> Response:
    settings = get_settings()
    response.set_cookie(
        SESSION_COOKIE,
        raw_session,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=settings.session_days * 86400,
    )
    set_locale_cookie(response, user.locale)
    return response


@router.get("/signup")
def signup_form(request: Request) -> Response:
    return render(request, "accounts/signup.html", {"form": {}, "errors": {}})


@router.post("/signup", dependencies=CSRF)
def signup(
    request: Request,
    username: str = Form(""),
    email: str = Form(""),
    display_name: str = Form(""),
    password: str = Form(""),
    locale: str = Form("de"),
    db: Session = DB,
) -> Response:
    form = {"username": username, "email": email, "display_name": display_name, "locale": locale}
    try:
        user = services.sign_up(
            db,
            username=username,
            email=email,
            password=password,
            display_name=display_name,
            locale=locale,
        )
    except Problem as exc:
        return render(
            request,
            "accounts/signup.html",
            {"form": form, "errors": _errors(exc)},
            status_code=exc.status,
        )
    raw = services.start_web_session(db, user)
    return _logged_in(RedirectResponse("/", status_code=303), raw, user)


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return render(
        request, "accounts/login.html", {"form": {}, "errors": {}, "next": safe_next(next)}
    )


@router.post("/login", dependencies=CSRF)
def login(
    request: Request,
    login: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
    db: Session = DB,
) -> Response:
    try:
        user = services.authenticate(
            db, login=login, password=password, address=client_address(request)
        )
    except Problem as exc:
        return render(
            request,
            "accounts/login.html",
            {"form": {"login": login}, "errors": _errors(exc), "next": safe_next(next)},
            status_code=exc.status,
        )
    raw = services.start_web_session(db, user)
    return _logged_in(RedirectResponse(safe_next(next), status_code=303), raw, user)


@router.post("/logout", dependencies=CSRF)
def logout(request: Request, db: Session = DB) -> Response:
    if raw := request.cookies.get(SESSION_COOKIE):
        services.end_web_session(db, raw)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/password-reset")
def reset_request_form(request: Request) -> Response:
    return render(request, "accounts/reset_request.html", {"sent": False, "errors": {}})


@router.post("/password-reset", dependencies=CSRF)
def reset_request(request: Request, email: str = Form(""), db: Session = DB) -> Response:
    services.request_password_reset(db, email=email)
    return render(request, "accounts/reset_request.html", {"sent": True, "errors": {}})


@router.get("/password-reset/{token}")
def reset_form(request: Request, token: str) -> Response:
    return render(request, "accounts/reset_confirm.html", {"token": token, "errors": {}})


@router.post("/password-reset/{token}", dependencies=CSRF)
def reset_confirm(
    request: Request, token: str, password: str = Form(""), db: Session = DB
) -> Response:
    try:
        services.reset_password(db, token=token, new_password=password)
    except Problem as exc:
        return render(
            request,
            "accounts/reset_confirm.html",
            {"token": token, "errors": _errors(exc, "password")},
            status_code=exc.status,
        )
    return RedirectResponse("/login", status_code=303)


def _profile_page(
    request: Request,
    db: Session,
    user: User,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    new_token: str | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "accounts/profile.html",
        {
            "section": "profile",
            "errors": errors or {},
            "form": form or {},
            "tokens": services.list_access_tokens(db, user),
            "new_token": new_token,
        },
        status_code=status,
    )


@router.get("/profile")
def profile(request: Request, user: User = Depends(page_user), db: Session = DB) -> Response:
    return _profile_page(request, db, user)


@router.post("/profile", dependencies=CSRF)
def update_profile(
    request: Request,
    display_name: str = Form(""),
    locale: str = Form("de"),
    user: User = Depends(page_user),
    db: Session = DB,
) -> Response:
    try:
        services.update_profile(db, user, display_name=display_name, locale=locale)
    except Problem as exc:
        return _profile_page(
            request,
            db,
            user,
            errors=_errors(exc),
            form={"display_name": display_name},
            status=exc.status,
        )
    response = RedirectResponse("/profile", status_code=303)
    set_locale_cookie(response, user.locale)
    return response


@router.post("/profile/tokens", dependencies=CSRF)
def create_token(
    request: Request,
    name: str = Form(""),
    scope_write: str = Form(""),
    user: User = Depends(page_user),
    db: Session = DB,
) -> Response:
    scopes = ["read", "write"] if scope_write else ["read"]
    try:
        _token, raw = services.create_access_token(
            db, user, name=name, scopes=scopes, expires_in_days=None
        )
    except Problem as exc:
        return _profile_page(
            request, db, user, errors=_errors(exc), form={"name": name}, status=exc.status
        )
    return _profile_page(request, db, user, new_token=raw)


@router.post("/profile/tokens/{token_id}/revoke", dependencies=CSRF)
def revoke_token(token_id: ObjectId, user: User = Depends(page_user), db: Session = DB) -> Response:
    services.revoke_access_token(db, user, token_id)
    return RedirectResponse("/profile", status_code=303)


# --- household -------------------------------------------------------------------------


def _household_page(
    request: Request, db: Session, user: User, errors: dict[str, str], status: int = 200
) -> Response:
    return render(
        request,
        "accounts/household.html",
        {
            "section": "profile",
            "household": households.my_household(db, user),
            "friends": [u for u, _f in friends.list_friends(db, user)],
            "errors": errors,
        },
        status_code=status,
    )


@router.get("/household")
def household(request: Request, user: User = Depends(page_user), db: Session = DB) -> Response:
    return _household_page(request, db, user, {})


@router.post("/household", dependencies=CSRF)
def household_create(
    request: Request, name: str = Form(""), user: User = Depends(page_user), db: Session = DB
) -> Response:
    try:
        households.create_household(db, user, name=name)
    except Problem as exc:
        return _household_page(request, db, user, _errors(exc, "name"), exc.status)
    return RedirectResponse("/household", status_code=303)


@router.post("/household/{household_id}/members", dependencies=CSRF)
def household_add(
    request: Request,
    household_id: ObjectId,
    username: str = Form(""),
    user: User = Depends(page_user),
    db: Session = DB,
) -> Response:
    try:
        households.add_member(db, user, household_id, username=username)
    except Problem as exc:
        if exc.status == 404:
            raise
        return _household_page(request, db, user, _errors(exc, "username"), exc.status)
    return RedirectResponse("/household", status_code=303)


@router.post("/household/{household_id}/members/{member_id}/remove", dependencies=CSRF)
def household_remove(
    household_id: ObjectId, member_id: ObjectId, user: User = Depends(page_user), db: Session = DB
) -> Response:
    households.remove_member(db, user, household_id, member_id)
    return RedirectResponse("/household", status_code=303)


# --- friends ----------------------------------------------------------------------------


def _friends_page(
    request: Request, db: Session, user: User, errors: dict[str, str], status: int = 200
) -> Response:
    return render(
        request,
        "accounts/friends.html",
        {
            "section": "profile",
            "friends": sorted(
                friends.list_friends(db, user), key=lambda pair: pair[0].display_name.lower()
            ),
            "invites": friends.list_open_invites(db, user),
            "errors": errors,
            "base_url": get_settings().base_url,
        },
        status_code=status,
    )


@router.get("/friends")
def friends_page(request: Request, user: User = Depends(page_user), db: Session = DB) -> Response:
    return _friends_page(request, db, user, {})


@router.post("/friends/invites", dependencies=CSRF)
def friends_invite(user: User = Depends(page_user), db: Session = DB) -> Response:
    friends.create_invite(db, user)
    return RedirectResponse("/friends", status_code=303)


@router.post("/friends/invites/{invite_id}/revoke", dependencies=CSRF)
def friends_invite_revoke(
    invite_id: ObjectId, user: User = Depends(page_user), db: Session = DB
) -> Response:
    friends.revoke_invite(db, user, invite_id)
    return RedirectResponse("/friends", status_code=303)


@router.post("/friends/accept", dependencies=CSRF)
def friends_accept(
    request: Request, code: str = Form(""), user: User = Depends(page_user), db: Session = DB
) -> Response:
    try:
        friends.accept_invite(db, user, code)
    except Problem as exc:
        return _friends_page(request, db, user, _errors(exc, "code"), exc.status)
    return RedirectResponse("/friends", status_code=303)


@router.get("/friends/invite/{code}")
def friends_invite_landing(
    request: Request, code: str, user: User | None = Depends(optional_user), db: Session = DB
) -> Response:
    invite = friends.find_open_invite(db, code)
    return render(request, "accounts/invite.html", {"invite": invite, "code": invite.code})


@router.post("/friends/{friend_id}/remove", dependencies=CSRF)
def friends_remove(
    friend_id: ObjectId, user: User = Depends(page_user), db: Session = DB
) -> Response:
    friends.remove_friend(db, user, friend_id)
    return RedirectResponse("/friends", status_code=303)


# --- development mailbox ----------------------------------------------------------------


LOOPBACK = frozenset({"127.0.0.1", "::1"})


@router.get("/dev/mailbox")
def mailbox(request: Request, db: Session = DB) -> Response:
    """Development only, and only to the machine itself: it shows password-reset links."""
    if get_settings().is_production or client_address(request) not in LOOPBACK:
        raise NotFound()
    mails = db.scalars(select(MailboxMessage).order_by(MailboxMessage.id.desc()).limit(50)).all()
    return render(request, "accounts/mailbox.html", {"mails": mails})

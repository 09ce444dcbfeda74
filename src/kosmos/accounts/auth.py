"""Who is calling: bearer tokens for the API and devices, cookie sessions for pages.

Dependencies:
- `optional_user`: the caller or None (pages that work for guests); a bearer token
  checked in the last seconds comes from `bearer_cache`, with no thread-pool hop.
- `api_user`: API callers; 401 without credentials; bearer tokens need the `write`
  scope for unsafe methods; cookie sessions need the CSRF header for unsafe methods.
- `api_caller`: the same checks, the caller detached, for a route that makes no use of
  the request's session (none is made for it).
- `page_user`: pages; redirects guests to the log-in page.
"""

from __future__ import annotations

from contextlib import nullcontext
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kosmos.accounts import bearer_cache, services
from kosmos.accounts.secrets import digest
from kosmos.accounts.tables import User
from kosmos.errors import Forbidden, Unauthorized
from kosmos.web import csrf
from kosmos.web.deps import SAFE_METHODS, get_db

SESSION_COOKIE = "kosmos_session"
bearer_scheme = HTTPBearer(auto_error=False, description="Personal access token (kos_...)")


class LoginRequired(Exception):
    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def login_redirect(exc: LoginRequired) -> RedirectResponse:
    return RedirectResponse(f"/login?next={quote(exc.next_url)}", status_code=303)


async def optional_user(
    request: Request,
    db: Session = Depends(get_db),
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer_scheme),
) -> User | None:
    if hasattr(request.state, "user"):
        return request.state.user  # type: ignore[no-any-return]
    user = await _caller(request, credentials, db)
    if user is not None:
        user = db.merge(user, load=False)  # into the request's session, without SQL
    request.state.user = user
    return user


async def _caller(
    request: Request, credentials: HTTPAuthorizationCredentials | None, db: Session | None
) -> User | None:
    """The caller, detached; looked up in `db`, or (None) in a session of its own."""
    found = None
    if credentials is not None:
        seconds = request.app.state.settings.bearer_cache_seconds
        found = bearer_cache.recall(digest(credentials.credentials), seconds)
    if found is not None:  # checked moments ago: no query, no thread-pool hop
        user, request.state.scopes = found
        request.state.auth_via = "token"
        return user
    if credentials is None and SESSION_COOKIE not in request.cookies:
        request.state.auth_via = None  # a guest: nothing to look up
        return None
    return await run_in_threadpool(_look_up, request, db, credentials)


def _look_up(
    request: Request, db: Session | None, credentials: HTTPAuthorizationCredentials | None
) -> User | None:
    user: User | None = None
    request.state.auth_via = None
    # On SQLite, look the caller up in a reading session of its own: the request's session
    # may be a writer, and taking the write lock here, in a dependency, would hold it
    # across thread-pool hops until the endpoint runs (many such requests starve the
    # pool). PostgreSQL has no such lock: the request's session saves a pool checkout
    # (with its ping) and a rollback.
    own = db is None or db.get_bind().dialect.name == "sqlite"
    with request.app.state.session_factory() if own else nullcontext(db) as lookup:
        if credentials is not None:
            found = services.user_for_bearer(lookup, credentials.credentials)
            if found is None:
                raise Unauthorized(
                    "The access token is invalid, expired or revoked.", code="invalid_token"
                )
            user, scopes = found
            request.state.auth_via = "token"
            request.state.scopes = scopes
        elif raw := request.cookies.get(SESSION_COOKIE):
            user = services.user_for_session(lookup, raw)
            if user is not None:
                request.state.auth_via = "session"
                request.state.scopes = ["read", "write"]
    return user


async def api_user(request: Request, user: User | None = Depends(optional_user)) -> User:
    # async: no I/O here, so FastAPI runs it on the event loop, not with a thread-pool hop
    return _api_checks(request, user)


async def api_caller(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer_scheme),
) -> User:
    """`api_user` for a route that does its work in sessions of its own (the batched
    payment): the caller detached, no request session made and merged into for it.
    The request session's close alone was a thread-pool hop once the merge had begun
    its transaction: a payment's CPU on the event loop (in-process, the write left
    out) fell from 0.48 to 0.15 ms (2026-11-25, `bench/request_cost.py`'s payment)."""
    return _api_checks(request, await _caller(request, credentials, None))


def _api_checks(request: Request, user: User | None) -> User:
    if user is None:
        raise Unauthorized("Send a bearer token (Authorization: Bearer kos_...).")
    if request.method not in SAFE_METHODS:
        if request.state.auth_via == "token" and "write" not in request.state.scopes:
            raise Forbidden(
                "This token may only read (scope 'write' missing).", code="insufficient_scope"
            )
        if request.state.auth_via == "session":
            sent = request.headers.get(csrf.HEADER, "")
            if not csrf.echoed(request.cookies.get(csrf.COOKIE, ""), sent):
                raise Forbidden("Missing or wrong X-CSRF-Token header.", code="csrf_failed")
    return user


async def page_user(request: Request, user: User | None = Depends(optional_user)) -> User:
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    return user

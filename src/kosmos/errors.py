"""RFC 9457 problem details with stable error codes, for every API error."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from kosmos.rules import RuleError
from kosmos.web.i18n import N_

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """A client error with a stable machine-readable code. Raise it from services."""

    status = 400
    code = "bad_request"
    title = "Bad request"
    remembered = True
    """Whether an idempotent request that ends in this problem keeps it as its answer
    (False where the client is meant to retry with the same key, e.g. to add a PIN)."""

    def __init__(
        self,
        detail: str | None = None,
        *,
        status: int | None = None,
        code: str | None = None,
        title: str | None = None,
        field: str | None = None,
        extra: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        """`detail` is an English message template (the msgid for translation);
        `params` fill its %(name)s placeholders."""
        self.template = detail
        self.params = params or {}
        detail = detail % self.params if detail and params else detail
        super().__init__(detail or title or self.title)
        self.detail = detail
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        if title is not None:
            self.title = title
        self.field = field
        self.extra = extra or {}

    def localized(self) -> str:
        """The message in the request's language (pages show it next to the field)."""
        from kosmos.web.i18n import gettext

        template = self.template or self.title
        return gettext(template) % self.params if self.params else gettext(template)


class NotFound(Problem):
    status, code, title = 404, "not_found", "Not found"


class Forbidden(Problem):
    status, code, title = 403, "forbidden", "Forbidden"


class Unauthorized(Problem):
    status, code, title = 401, "unauthorized", "Authentication required"


class Conflict(Problem):
    status, code, title = 409, "conflict", "Conflict"
    remembered = False


class Invalid(Problem):
    status, code, title = 422, "invalid", "Invalid input"

    @classmethod
    def from_rule(cls, err: RuleError) -> Invalid:
        """A broken domain rule as a 422 naming the field."""
        return cls(str(err), field=err.field, code=None if err.code == "invalid" else err.code)


class TooManyRequests(Problem):
    status, code, title = 429, "rate_limited", "Too many requests"
    remembered = False


def problem_body(exc: Problem) -> dict[str, Any]:
    """The problem+json body the API answers for `exc`."""
    errors = [{"field": exc.field, "message": exc.detail}] if exc.field else None
    return _body(exc.status, exc.code, exc.title, exc.detail, errors=errors, **exc.extra)


def problem_response(
    status: int, code: str, title: str, detail: str | None = None, **extra: Any
) -> JSONResponse:
    body = _body(status, code, title, detail, **extra)
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _body(status: int, code: str, title: str, detail: str | None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"https://kosmos.dev/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
    }
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get(
        "accept", ""
    )


_STATUS_CODES = {
    400: ("bad_request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed"),
    406: ("not_acceptable", "Not acceptable"),
    409: ("conflict", "Conflict"),
    413: ("payload_too_large", "Request body too large"),
    415: ("unsupported_media_type", "Unsupported media type"),
    422: ("invalid", "Invalid input"),
    429: ("rate_limited", "Too many requests"),
}


def _respond(
    request: Request,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    *,
    message: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """problem+json for the API; an HTML error page (in the reader's language) for browsers."""
    if _wants_html(request):
        from kosmos.web.i18n import gettext
        from kosmos.web.render import render_error

        response: Response = render_error(request, status, message or gettext(detail or title))
    else:
        response = problem_response(status, code, title, detail, **extra)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> Response:
        errors = [{"field": exc.field, "message": exc.detail}] if exc.field else None
        return _respond(
            request,
            exc.status,
            exc.code,
            exc.title,
            exc.detail,
            message=exc.localized(),
            errors=errors,
            **exc.extra,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = []
        malformed = False
        for err in exc.errors():
            if err.get("type") == "json_invalid":
                malformed = True
            loc = [str(p) for p in err.get("loc", ()) if p not in ("body",)]
            errors.append({"field": ".".join(loc) or None, "message": err.get("msg", "")})
        if malformed:
            return _respond(
                request,
                400,
                "malformed_json",
                "Malformed JSON",
                N_("The request body is not valid JSON."),
            )
        return _respond(
            request,
            422,
            "validation_error",
            "Invalid input",
            N_("One or more fields are invalid."),
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code, title = _STATUS_CODES.get(exc.status_code, ("error", "Error"))
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        return _respond(request, exc.status_code, code, title, detail)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> Response:
        # A unique rule was broken by a change made at the same moment (the services check
        # first, so this is the lost race): the request changed nothing.
        log.info("integrity conflict on %s %s: %s", request.method, request.url.path, exc.orig)
        return _respond(
            request,
            409,
            "conflict",
            "Conflict",
            N_("This conflicts with a change made at the same time. Please try again."),
        )

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> Response:
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        return _respond(
            request,
            503,
            "database_busy",
            "Service busy",
            N_("The database is busy or unreachable. Please try again in a moment."),
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _respond(request, 500, "internal_error", N_("Internal server error"))

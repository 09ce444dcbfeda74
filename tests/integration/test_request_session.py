"""The request's session (web.deps): a request that fails while its transaction is open
gives its connection back before the answer goes out. On SQLite a writing request holds
the write lock until then, so a late give-back blocks every other writer (CI once saw
"database is locked" in a test that wrote right after a 409)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from kosmos.errors import Conflict
from kosmos.web.deps import get_db, get_write_db

pytestmark = pytest.mark.postgres

router = APIRouter()


@router.api_route("/test/fails-in-a-transaction", methods=["GET", "POST"])
def fails(db: Session = Depends(get_db)) -> None:  # noqa: B008
    db.execute(text("SELECT 1"))  # the transaction is open, the connection checked out
    raise Conflict("This request fails on purpose.", code="on_purpose")


@router.get("/test/fails-in-a-writing-transaction")
def fails_writing(db: Session = Depends(get_write_db)) -> None:  # noqa: B008
    db.execute(text("SELECT 1"))
    raise Conflict("This request fails on purpose.", code="on_purpose")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/test/fails-in-a-transaction"),
        ("GET", "/test/fails-in-a-transaction"),
        ("GET", "/test/fails-in-a-writing-transaction"),
    ],
)
def test_a_failed_request_gives_its_connection_back_before_the_answer(
    app: Any, method: str, path: str
) -> None:
    # given the app, watched at the moment its answer starts
    app.include_router(router)
    engines = {app.state.session_factory.kw["bind"], app.state.write_factory.kw["bind"]}
    checked_out_at_answer: list[int] = []

    async def watched(scope: Any, receive: Any, send: Any) -> None:
        async def send_watched(message: Any) -> None:
            if message["type"] == "http.response.start":
                checked_out_at_answer.append(sum(e.pool.checkedout() for e in engines))
            await send(message)

        await app(scope, receive, send_watched)

    with TestClient(watched, base_url="http://testserver") as http:
        # when a request fails with its transaction open
        response = http.request(method, path)

    # then the answer is the problem, and no connection was still out when it started
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "on_purpose"
    assert checked_out_at_answer == [0]

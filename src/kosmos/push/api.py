"""JSON routes of the push context: the VAPID public key and the caller's subscriptions."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session

from kosmos.accounts.auth import api_user
from kosmos.accounts.tables import User
from kosmos.errors import Invalid
from kosmos.push import schemas, service
from kosmos.push.tables import PushSubscription
from kosmos.push.vapid import current_keys
from kosmos.web.deps import get_db

router = APIRouter(prefix="/push", tags=["push"])
DB = Depends(get_db)
ME = Depends(api_user)


@router.get("/vapid-public-key", response_model=schemas.VapidPublicKey)
def vapid_public_key() -> dict[str, str]:
    """The applicationServerKey browsers subscribe with (no log-in needed)."""
    return {"public_key": current_keys().public_key_b64url}


@router.get("/subscriptions", response_model=list[schemas.SubscriptionOut])
def list_subscriptions(user: User = ME, db: Session = DB) -> list[PushSubscription]:
    return service.list_subscriptions(db, user)


@router.post("/subscriptions", status_code=201, response_model=schemas.SubscriptionOut)
def subscribe(
    body: schemas.SubscriptionIn, request: Request, user: User = ME, db: Session = DB
) -> PushSubscription:
    """Store this browser's PushSubscription (send `subscription.toJSON()`)."""
    return service.subscribe(
        db,
        user,
        endpoint=body.endpoint,
        p256dh=body.keys.p256dh,
        auth=body.keys.auth,
        user_agent=request.headers.get("user-agent"),
    )


@router.delete("/subscriptions", status_code=204)
def unsubscribe(
    body: schemas.UnsubscribeIn | None = None,
    endpoint: str | None = Query(None, max_length=4096),
    user: User = ME,
    db: Session = DB,
) -> Response:
    """Forget a subscription, named in the body ({"endpoint": ...}) or `?endpoint=`."""
    named = body.endpoint if body is not None else endpoint
    if not named:
        raise Invalid("Name the subscription's endpoint.", field="endpoint")
    service.unsubscribe(db, user, named)
    return Response(status_code=204)

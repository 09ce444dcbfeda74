"""Push request and response bodies. A subscription arrives in the shape the browser's
`PushSubscription.toJSON()` gives: {"endpoint", "expirationTime", "keys": {...}}."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from kosmos.schemas import PublicModel, StrictModel


class VapidPublicKey(BaseModel):
    public_key: str = Field(
        description="The VAPID public key (uncompressed P-256 point, base64url): pass it "
        "as applicationServerKey to pushManager.subscribe()."
    )


class SubscriptionKeys(StrictModel):
    p256dh: str = Field(max_length=200)
    auth: str = Field(max_length=100)


class SubscriptionIn(StrictModel):
    endpoint: str = Field(min_length=1, max_length=4096)
    expirationTime: float | None = Field(  # noqa: N815 - the browser's own field name
        default=None, description="Sent by browsers; Kosmos does not use it."
    )
    keys: SubscriptionKeys


class SubscriptionOut(PublicModel):
    id: int
    endpoint: str
    user_agent: str | None
    created_at: datetime
    last_success_at: datetime | None


class UnsubscribeIn(StrictModel):
    endpoint: str = Field(min_length=1, max_length=4096)

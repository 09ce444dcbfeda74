"""API schemas of the accounts context."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from kosmos.schemas import PublicModel, StrictModel


class SignUp(StrictModel):
    username: str = Field(min_length=1, max_length=30)
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=200)
    display_name: str = Field(min_length=1, max_length=80)
    locale: Literal["de", "en"] = "de"


class TokenLogin(StrictModel):
    login: str = Field(min_length=1, max_length=254, description="username or e-mail")
    password: str = Field(min_length=1, max_length=200)
    token_name: str = Field(default="API", min_length=1, max_length=80)
    scopes: list[Literal["read", "write"]] = Field(default_factory=lambda: ["read", "write"])


class TokenCreate(StrictModel):
    name: str = Field(min_length=1, max_length=80)
    scopes: list[Literal["read", "write"]] = Field(min_length=1, max_length=2)
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class TokenPublic(PublicModel):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenPublic):
    token: str = Field(description="Shown once; store it now.")


class ProfilePublic(PublicModel):
    id: int
    username: str
    email: str
    display_name: str
    locale: str
    initials: str
    created_at: datetime


class ProfileUpdate(StrictModel):
    display_name: str | None = Field(default=None, min_length=1, max_length=80)
    locale: Literal["de", "en"] | None = None


class PasswordResetRequest(StrictModel):
    email: str = Field(min_length=3, max_length=254)


class PasswordReset(StrictModel):
    token: str = Field(min_length=10, max_length=100)
    new_password: str = Field(min_length=1, max_length=200)


class UserBrief(PublicModel):
    id: int
    username: str
    display_name: str
    initials: str


class HouseholdCreate(StrictModel):
    name: str = Field(min_length=1, max_length=80)


class HouseholdUpdate(StrictModel):
    name: str = Field(min_length=1, max_length=80)


class HouseholdMemberAdd(StrictModel):
    username: str = Field(min_length=1, max_length=30)


class HouseholdMemberPublic(PublicModel):
    user: UserBrief
    role: str
    joined_at: datetime


class HouseholdPublic(PublicModel):
    id: int
    name: str
    created_at: datetime
    members: list[HouseholdMemberPublic]


class InvitePublic(PublicModel):
    id: int
    code: str
    link: str
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None


class InviteAccept(StrictModel):
    code: str = Field(min_length=4, max_length=16)


class FriendPublic(PublicModel):
    user: UserBrief
    since: datetime

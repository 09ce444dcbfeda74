"""JSON routes of the accounts context: parse, call a service, return a schema."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session

from kosmos.accounts import friends, households, schemas, services
from kosmos.accounts.auth import api_user
from kosmos.accounts.tables import FriendInvite, Household, User
from kosmos.config import get_settings
from kosmos.errors import NotFound
from kosmos.schemas import ObjectId, Page, after_id, id_page
from kosmos.web.deps import client_address, get_db

router = APIRouter(tags=["accounts"])
DB = Depends(get_db)
ME = Depends(api_user)


def _token_out(token: object) -> schemas.TokenPublic:
    return schemas.TokenPublic.model_validate(token)


@router.post("/accounts", status_code=201, response_model=schemas.ProfilePublic)
def sign_up(body: schemas.SignUp, db: Session = DB) -> User:
    return services.sign_up(db, **body.model_dump())


@router.post("/auth/token", status_code=201, response_model=schemas.TokenCreated)
def log_in_for_token(body: schemas.TokenLogin, request: Request, db: Session = DB) -> dict:
    """Exchange username/e-mail and password for a personal access token."""
    user = services.authenticate(
        db, login=body.login, password=body.password, address=client_address(request)
    )
    token, raw = services.create_access_token(
        db, user, name=body.token_name, scopes=list(body.scopes), expires_in_days=None
    )
    return {**_token_out(token).model_dump(), "token": raw}


@router.get("/me", response_model=schemas.ProfilePublic)
def me(user: User = ME) -> User:
    return user


@router.patch("/me", response_model=schemas.ProfilePublic)
def update_me(body: schemas.ProfileUpdate, user: User = ME, db: Session = DB) -> User:
    return services.update_profile(db, user, **body.model_dump(exclude_unset=True))


LIMIT = Query(50, ge=1, le=100)
CURSOR = Query(None, max_length=500)


@router.get("/me/tokens", response_model=Page[schemas.TokenPublic])
def list_tokens(
    limit: int = LIMIT, cursor: str | None = CURSOR, user: User = ME, db: Session = DB
) -> dict:
    rows = services.list_access_tokens(db, user, after=after_id(cursor), limit=limit + 1)
    return id_page(rows, limit, lambda t: t.id)


@router.post("/me/tokens", status_code=201, response_model=schemas.TokenCreated)
def create_token(body: schemas.TokenCreate, user: User = ME, db: Session = DB) -> dict:
    token, raw = services.create_access_token(
        db, user, name=body.name, scopes=list(body.scopes), expires_in_days=body.expires_in_days
    )
    return {**_token_out(token).model_dump(), "token": raw}


@router.get("/me/tokens/{token_id}", response_model=schemas.TokenPublic)
def get_token(token_id: ObjectId, user: User = ME, db: Session = DB) -> object:
    return services.get_access_token(db, user, token_id)


@router.delete("/me/tokens/{token_id}", status_code=204)
def revoke_token(token_id: ObjectId, user: User = ME, db: Session = DB) -> Response:
    services.revoke_access_token(db, user, token_id)
    return Response(status_code=204)


@router.post("/auth/password-reset", status_code=202)
def request_password_reset(body: schemas.PasswordResetRequest, db: Session = DB) -> dict:
    services.request_password_reset(db, email=body.email)
    return {"status": "If an account has this address, a reset link is on its way."}


@router.post("/auth/password-reset/confirm", status_code=204)
def confirm_password_reset(body: schemas.PasswordReset, db: Session = DB) -> Response:
    services.reset_password(db, token=body.token, new_password=body.new_password)
    return Response(status_code=204)


# --- households -------------------------------------------------------------------------


@router.get("/households/mine", response_model=schemas.HouseholdPublic)
def my_household(user: User = ME, db: Session = DB) -> Household:
    household = households.my_household(db, user)
    if household is None:
        raise NotFound("You are not in a household.", code="no_household")
    return household


@router.post("/households", status_code=201, response_model=schemas.HouseholdPublic)
def create_household(body: schemas.HouseholdCreate, user: User = ME, db: Session = DB) -> Household:
    return households.create_household(db, user, name=body.name)


@router.get("/households/{household_id}", response_model=schemas.HouseholdPublic)
def get_household(household_id: ObjectId, user: User = ME, db: Session = DB) -> Household:
    return households.get_household(db, user, household_id)


@router.patch("/households/{household_id}", response_model=schemas.HouseholdPublic)
def rename_household(
    household_id: ObjectId, body: schemas.HouseholdUpdate, user: User = ME, db: Session = DB
) -> Household:
    return households.rename_household(db, user, household_id, name=body.name)


@router.post(
    "/households/{household_id}/members",
    status_code=201,
    response_model=schemas.HouseholdPublic,
)
def add_household_member(
    household_id: ObjectId, body: schemas.HouseholdMemberAdd, user: User = ME, db: Session = DB
) -> Household:
    return households.add_member(db, user, household_id, username=body.username)


@router.delete("/households/{household_id}/members/{user_id}", status_code=204)
def remove_household_member(
    household_id: ObjectId, user_id: ObjectId, user: User = ME, db: Session = DB
) -> Response:
    households.remove_member(db, user, household_id, user_id)
    return Response(status_code=204)


# --- friends ----------------------------------------------------------------------------


def _invite_out(invite: FriendInvite) -> schemas.InvitePublic:
    link = f"{get_settings().base_url}/friends/invite/{invite.code}"
    fields = ("id", "code", "created_at", "expires_at", "accepted_at", "revoked_at")
    return schemas.InvitePublic(link=link, **{f: getattr(invite, f) for f in fields})


@router.get("/friends", response_model=Page[schemas.FriendPublic])
def list_friends(
    limit: int = LIMIT, cursor: str | None = CURSOR, user: User = ME, db: Session = DB
) -> dict:
    rows = friends.list_friends(db, user, after=after_id(cursor), limit=limit + 1)
    page = id_page(rows, limit, lambda pair: pair[1].id)
    page["items"] = [{"user": u, "since": f.created_at} for u, f in page["items"]]
    return page


@router.delete("/friends/{user_id}", status_code=204)
def remove_friend(user_id: ObjectId, user: User = ME, db: Session = DB) -> Response:
    friends.remove_friend(db, user, user_id)
    return Response(status_code=204)


@router.get("/friends/invites", response_model=Page[schemas.InvitePublic])
def list_invites(
    limit: int = LIMIT, cursor: str | None = CURSOR, user: User = ME, db: Session = DB
) -> dict:
    rows = friends.list_open_invites(db, user, after=after_id(cursor), limit=limit + 1)
    page = id_page(rows, limit, lambda i: i.id)
    page["items"] = [_invite_out(i) for i in page["items"]]
    return page


@router.post("/friends/invites", status_code=201, response_model=schemas.InvitePublic)
def create_invite(user: User = ME, db: Session = DB) -> schemas.InvitePublic:
    return _invite_out(friends.create_invite(db, user))


@router.delete("/friends/invites/{invite_id}", status_code=204)
def revoke_invite(invite_id: ObjectId, user: User = ME, db: Session = DB) -> Response:
    friends.revoke_invite(db, user, invite_id)
    return Response(status_code=204)


@router.post("/friends/accept", status_code=201, response_model=schemas.FriendPublic)
def accept_invite(body: schemas.InviteAccept, user: User = ME, db: Session = DB) -> dict:
    friend, friendship = friends.accept_invite(db, user, body.code)
    return {"user": friend, "since": friendship.created_at}

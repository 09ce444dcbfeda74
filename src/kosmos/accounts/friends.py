"""Friends: invite by link or code, accept, remove."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts import model
from kosmos.accounts.model import AccountRuleError
from kosmos.accounts.secrets import new_invite_code
from kosmos.accounts.tables import FriendInvite, Friendship, User
from kosmos.errors import Conflict, Invalid, NotFound


def are_friends(session: Session, a: int, b: int) -> bool:
    if a == b:
        return False
    low, high = sorted((a, b))
    return (
        session.scalar(
            select(Friendship.id).where(
                Friendship.user_low_id == low, Friendship.user_high_id == high
            )
        )
        is not None
    )


def list_friends(
    session: Session, user: User, *, after: int | None = None, limit: int | None = None
) -> list[tuple[User, Friendship]]:
    """Friends with their friendship, in the order the friendships began."""
    query = select(Friendship).where(
        or_(Friendship.user_low_id == user.id, Friendship.user_high_id == user.id)
    )
    if after is not None:
        query = query.where(Friendship.id > after)
    rows = session.scalars(query.order_by(Friendship.id).limit(limit)).all()
    other_of = {r.id: r.user_high_id if r.user_low_id == user.id else r.user_low_id for r in rows}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(other_of.values())))}
    return [(users[other_of[r.id]], r) for r in rows]


def create_invite(session: Session, user: User) -> FriendInvite:
    now = clock.now()
    invite = FriendInvite(
        inviter_id=user.id,
        code=new_invite_code(),
        created_at=now,
        expires_at=now + model.INVITE_TTL,
    )
    session.add(invite)
    session.commit()
    return invite


def list_open_invites(
    session: Session, user: User, *, after: int | None = None, limit: int | None = None
) -> list[FriendInvite]:
    query = select(FriendInvite).where(
        FriendInvite.inviter_id == user.id,
        FriendInvite.accepted_at.is_(None),
        FriendInvite.revoked_at.is_(None),
        FriendInvite.expires_at > clock.now(),
    )
    if after is not None:
        query = query.where(FriendInvite.id > after)
    return list(session.scalars(query.order_by(FriendInvite.id).limit(limit)))


def revoke_invite(session: Session, user: User, invite_id: int) -> None:
    invite = session.get(FriendInvite, invite_id)
    if invite is None or invite.inviter_id != user.id:
        raise NotFound("No such invite.")
    if invite.revoked_at is None and invite.accepted_at is None:
        invite.revoked_at = clock.now()
        session.commit()


def find_open_invite(session: Session, code: str) -> FriendInvite:
    invite = session.scalar(select(FriendInvite).where(FriendInvite.code == code.strip().upper()))
    if (
        invite is None
        or invite.revoked_at is not None
        or invite.accepted_at is not None
        or invite.expires_at <= clock.now()
    ):
        raise NotFound(
            "This invite code is unknown, used or expired.", code="invite_invalid", field="code"
        )
    return invite


def accept_invite(session: Session, user: User, code: str) -> tuple[User, Friendship]:
    """Accept a friend invite; returns the new friend and the friendship."""
    invite = find_open_invite(session, code)
    try:
        low, high = model.friendship_pair(invite.inviter_id, user.id)
    except AccountRuleError as err:
        raise Invalid(str(err), code=err.code, field="code") from err
    if are_friends(session, low, high):
        raise Conflict("You are already friends.", code="already_friends", field="code")
    now = clock.now()
    invite.accepted_at = now
    invite.accepted_by_id = user.id
    friendship = Friendship(user_low_id=low, user_high_id=high, created_at=now)
    session.add(friendship)
    session.commit()
    return invite.inviter, friendship


def befriend(session: Session, a: User, b: User) -> None:
    """Direct friendship (demo seeding); idempotent."""
    low, high = model.friendship_pair(a.id, b.id)
    if not are_friends(session, low, high):
        session.add(Friendship(user_low_id=low, user_high_id=high, created_at=clock.now()))
        session.commit()


def remove_friend(session: Session, user: User, friend_id: int) -> None:
    low, high = sorted((user.id, friend_id))
    row = session.scalar(
        select(Friendship).where(
            and_(Friendship.user_low_id == low, Friendship.user_high_id == high)
        )
    )
    if row is None or user.id == friend_id:
        raise NotFound("No such friend.")
    session.delete(row)
    session.commit()

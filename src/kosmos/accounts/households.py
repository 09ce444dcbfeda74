"""Household use cases. A user is in at most one household; the creator is its admin."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.friends import are_friends
from kosmos.accounts.tables import Household, HouseholdMember, User
from kosmos.errors import Conflict, Forbidden, Invalid, NotFound


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 80:
        raise Invalid("Enter a name of 1 to 80 characters.", field="name")
    return name


def my_household(session: Session, user: User) -> Household | None:
    member = session.scalar(select(HouseholdMember).where(HouseholdMember.user_id == user.id))
    return member.household if member else None


def get_household(session: Session, user: User, household_id: int) -> Household:
    """Only members can see a household; everyone else gets 404."""
    household = my_household(session, user)
    if household is None or household.id != household_id:
        raise NotFound("No such household.")
    return household


def create_household(session: Session, user: User, *, name: str) -> Household:
    clean = _clean_name(name)
    if my_household(session, user) is not None:
        raise Conflict(
            "You are already in a household. Leave it first.", code="already_in_household"
        )
    now = clock.now()
    household = Household(name=clean, created_at=now)
    household.members.append(HouseholdMember(user_id=user.id, role="admin", joined_at=now))
    session.add(household)
    session.commit()
    return household


def _require_admin(household: Household, user: User) -> None:
    if not any(m.user_id == user.id and m.role == "admin" for m in household.members):
        raise Forbidden("Only the household's admin may do this.", code="not_household_admin")


def rename_household(session: Session, user: User, household_id: int, *, name: str) -> Household:
    household = get_household(session, user, household_id)
    _require_admin(household, user)
    household.name = _clean_name(name)
    session.commit()
    return household


def add_member(session: Session, user: User, household_id: int, *, username: str) -> Household:
    household = get_household(session, user, household_id)
    _require_admin(household, user)
    other = session.scalar(select(User).where(User.username == username.strip().lower()))
    if other is None or not are_friends(session, user.id, other.id):
        raise Invalid(
            "You can add friends only. Invite them as a friend first.",
            code="not_a_friend",
            field="username",
        )
    if my_household(session, other) is not None:
        raise Conflict(
            "%(name)s is already in a household.",
            params={"name": other.display_name},
            code="already_in_household",
            field="username",
        )
    household.members.append(
        HouseholdMember(user_id=other.id, role="member", joined_at=clock.now())
    )
    session.commit()
    return household


def remove_member(session: Session, user: User, household_id: int, member_id: int) -> None:
    """Admins remove anyone; members remove only themselves (leave)."""
    household = get_household(session, user, household_id)
    if member_id != user.id:
        _require_admin(household, user)
    member = next((m for m in household.members if m.user_id == member_id), None)
    if member is None:
        raise NotFound("No such member.")
    household.members.remove(member)
    if not household.members:
        session.delete(household)
    elif not any(m.role == "admin" for m in household.members):
        household.members[0].role = "admin"  # the longest member takes over
    session.commit()

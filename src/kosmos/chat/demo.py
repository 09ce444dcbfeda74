"""The demo's group chat "Grillfreunde" (anna, ben, cem, dora) with the start of the
barbecue story, created once by `kosmos seed demo`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kosmos.accounts.tables import User
from kosmos.chat import conversations, messages
from kosmos.chat.tables import Conversation

GROUP = "Grillfreunde"
STORY = [
    ("anna", "Lass uns am Samstag um 18 Uhr im Stadtpark grillen! :fire:"),
    ("ben", "Bin dabei! Ich kaufe das Fleisch beim Metzger :meat_on_bone:"),
    ("dora", "Ich bring den Grill mit 🔥"),
    ("cem", "Ich kümmere mich um die Getränke :beer:"),
]


def seed_group(session: Session) -> int:
    """The group's id (created with its first messages if it is not there yet)."""
    users = {
        u.username: u
        for u in session.scalars(
            select(User).where(User.username.in_(["anna", "ben", "cem", "dora"]))
        )
    }
    anna = users["anna"]
    found = session.scalar(
        select(Conversation.id).where(
            Conversation.name == GROUP, Conversation.created_by == anna.id
        )
    )
    if found is not None:
        return found
    group = conversations.create_group(
        session, anna, name=GROUP, member_ids=[u.id for n, u in users.items() if n != "anna"]
    )
    for username, text in STORY:
        messages.send_message(session, users[username], group.id, text=text)
    return group.id

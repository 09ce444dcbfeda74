"""`kosmos seed demo` also opens the group "Grillfreunde" with the start of the story, once
(Kosmo's cards, when the assistant listens in this process, come on top)."""

from sqlalchemy import func, select

from kosmos.catalog.seed import seed_demo
from kosmos.chat.demo import seed_group
from kosmos.chat.tables import Conversation, Member, Message


def test_the_demo_group_is_created_once_with_four_members_and_the_story(db):
    seed_demo(db)
    first = seed_group(db)
    assert seed_group(db) == first
    assert db.scalar(select(func.count()).select_from(Conversation)) == 1
    assert db.scalar(select(func.count()).where(Member.conversation_id == first)) == 4
    texts = db.scalars(
        select(Message.body).where(Message.sender_id.is_not(None)).order_by(Message.id)
    ).all()
    assert texts[0] == "Lass uns am Samstag um 18 Uhr im Stadtpark grillen! 🔥"
    assert len(texts) == 4

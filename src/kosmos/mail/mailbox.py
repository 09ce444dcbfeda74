"""The dev mailbox: where mails land instead of being sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from kosmos import bus, clock
from kosmos.db import Base, UTCDateTime

TOPIC = "mail.requested"


class MailboxMessage(Base):
    __tablename__ = "dev_mailbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), unique=True)
    to: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


def request_mail(session: Session, *, to: str, subject: str, body: str) -> None:
    """Queue a mail in the caller's transaction; it is sent only if that commits."""
    bus.publish(session, TOPIC, {"to": to, "subject": subject, "body": body})


@bus.subscribe(TOPIC, "mail.dev_mailbox", in_batch=True)
def deliver_to_mailbox(session: Session, event: bus.OutboxEvent) -> None:
    session.add(
        MailboxMessage(
            event_id=event.id,
            to=event.payload["to"],
            subject=event.payload["subject"],
            body=event.payload["body"],
            created_at=clock.now(),
        )
    )

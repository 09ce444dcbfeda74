"""Outgoing mail: services publish `mail.requested`; a consumer sends it after commit.

In development and tests mails land in the dev mailbox (a table shown at /dev/mailbox);
an SMTP adapter plugs in behind the same port later.
"""

from kosmos.mail.mailbox import MailboxMessage, request_mail

__all__ = ["MailboxMessage", "request_mail"]

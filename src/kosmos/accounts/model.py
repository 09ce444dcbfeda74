"""Account rules in plain Python: names, passwords, initials, friendships, rate limits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from kosmos.rules import RuleError

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,29}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10  # the message below names it
MAX_PASSWORD_LENGTH = 200
LOCALES = ("de", "en")
SCOPES = ("read", "write")
INVITE_TTL = timedelta(days=7)
RESET_TTL = timedelta(hours=1)
MAX_RESETS_PER_HOUR = 3


class AccountRuleError(RuleError):
    """A broken account rule."""


def normalize_username(raw: str) -> str:
    name = raw.strip().lower()
    if not USERNAME_RE.match(name):
        raise AccountRuleError(
            "username",
            "Use 3 to 30 characters: lower-case letters, digits, dot, dash or underscore.",
        )
    return name


def normalize_email(raw: str) -> str:
    email = raw.strip()
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise AccountRuleError("email", "Enter a valid e-mail address.")
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def check_password(password: str, *, username: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountRuleError("password", "The password needs at least 10 characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountRuleError("password", "The password is too long.")
    if username and password.lower() == username.lower():
        raise AccountRuleError("password", "The password must not be your username.")


def check_display_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not 1 <= len(name) <= 80:
        raise AccountRuleError("display_name", "Enter a name of 1 to 80 characters.")
    return name


def check_locale(raw: str) -> str:
    if raw not in LOCALES:
        raise AccountRuleError("locale", "Choose German (de) or English (en).")
    return raw


def check_scopes(scopes: list[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise AccountRuleError("scopes", "Scopes must be a non-empty subset of read, write.")
    return sorted(set(scopes))


def initials(display_name: str) -> str:
    """Avatar initials: first letters of the first and last word ("Anna Schmidt" -> "AS")."""
    words = [w for w in re.split(r"[\s\-]+", display_name) if w]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


def friendship_pair(a: int, b: int) -> tuple[int, int]:
    """Friendships are stored once, as (lower id, higher id)."""
    if a == b:
        raise AccountRuleError("code", "You cannot befriend yourself.", code="self_friendship")
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class LoginVerdict:
    allowed: bool
    retry_after_seconds: int = 0


def login_verdict(
    failures_for_account: list[datetime],
    failures_for_address: list[datetime],
    *,
    now: datetime,
    window: timedelta,
    max_per_account: int,
    max_per_address: int,
) -> LoginVerdict:
    """Sliding window: refuse while too many failures lie inside the window."""

    def wait(failures: list[datetime], limit: int) -> int:
        recent = sorted(t for t in failures if now - t < window)
        if len(recent) < limit:
            return 0
        oldest_counted = recent[-limit]
        return max(1, int((oldest_counted + window - now).total_seconds()) + 1)

    retry = max(
        wait(failures_for_account, max_per_account), wait(failures_for_address, max_per_address)
    )
    return LoginVerdict(allowed=retry == 0, retry_after_seconds=retry)

"""Account rules, no I/O."""

from datetime import UTC, datetime, timedelta

import pytest

from kosmos.accounts import model
from kosmos.accounts.model import AccountRuleError

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


@pytest.mark.parametrize(
    "raw,expected", [("Anna", "anna"), (" ben.k ", "ben.k"), ("c_e-m", "c_e-m")]
)
def test_usernames_are_normalized(raw, expected):
    assert model.normalize_username(raw) == expected


@pytest.mark.parametrize("raw", ["ab", "anna schmidt", "änna", "-anna", "a" * 31, ""])
def test_bad_usernames_are_refused_with_the_field(raw):
    with pytest.raises(AccountRuleError) as err:
        model.normalize_username(raw)
    assert err.value.field == "username"


def test_email_domain_is_lowercased_local_part_kept():
    assert model.normalize_email(" Anna.S@Example.ORG ") == "Anna.S@example.org"


@pytest.mark.parametrize("raw", ["anna", "anna@", "@example.org", "a b@example.org"])
def test_bad_emails_are_refused(raw):
    with pytest.raises(AccountRuleError):
        model.normalize_email(raw)


def test_password_needs_ten_characters_and_not_the_username():
    model.check_password("grillen-anna-2026", username="anna")
    with pytest.raises(AccountRuleError, match="10 characters"):
        model.check_password("kurz", username="anna")
    with pytest.raises(AccountRuleError, match="username"):
        model.check_password("annaschmidt", username="annaschmidt")


@pytest.mark.parametrize(
    "name,expected",
    [("Anna Schmidt", "AS"), ("Ben", "BE"), ("Cem Yılmaz-Öztürk", "CÖ"), ("  ", "?")],
)
def test_initials(name, expected):
    assert model.initials(name) == expected


def test_friendship_pair_is_ordered_and_refuses_self():
    assert model.friendship_pair(7, 3) == (3, 7)
    with pytest.raises(AccountRuleError):
        model.friendship_pair(4, 4)


def test_scopes_must_be_known_and_non_empty():
    assert model.check_scopes(["write", "read", "read"]) == ["read", "write"]
    with pytest.raises(AccountRuleError):
        model.check_scopes([])
    with pytest.raises(AccountRuleError):
        model.check_scopes(["admin"])


def test_login_allowed_below_the_limit():
    failures = [NOW - timedelta(minutes=m) for m in range(4)]
    verdict = model.login_verdict(
        failures, [], now=NOW, window=WINDOW, max_per_account=5, max_per_address=20
    )
    assert verdict.allowed


def test_login_refused_at_the_account_limit_until_the_oldest_failure_leaves_the_window():
    failures = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 4, 10)]
    verdict = model.login_verdict(
        failures, [], now=NOW, window=WINDOW, max_per_account=5, max_per_address=20
    )
    assert not verdict.allowed
    assert verdict.retry_after_seconds == 5 * 60 + 1


def test_old_failures_do_not_count():
    failures = [NOW - timedelta(minutes=20 + m) for m in range(10)]
    verdict = model.login_verdict(
        failures, failures, now=NOW, window=WINDOW, max_per_account=5, max_per_address=5
    )
    assert verdict.allowed


def test_login_refused_at_the_address_limit():
    failures = [NOW - timedelta(seconds=s) for s in range(20)]
    verdict = model.login_verdict(
        [], failures, now=NOW, window=WINDOW, max_per_account=5, max_per_address=20
    )
    assert not verdict.allowed

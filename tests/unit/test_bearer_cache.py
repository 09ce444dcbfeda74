"""The bearer-token cache: what it keeps, for how long, and when it forgets."""

from datetime import UTC, datetime, timedelta

import pytest

from kosmos import clock
from kosmos.accounts import bearer_cache
from kosmos.accounts.tables import User

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _empty_cache(frozen_clock):
    bearer_cache.clear()
    yield
    bearer_cache.clear()


def _user() -> User:
    return User(
        id=7, username="anna", email="anna@example.org", password_hash="x",
        display_name="Anna", locale="de", is_active=True, created_at=NOW,
    )  # fmt: skip


def test_a_kept_token_comes_back_as_a_fresh_detached_user_with_its_scopes(frozen_clock):
    bearer_cache.remember("d1", _user(), ["read", "write"], None, since=bearer_cache.generation())
    first, scopes = bearer_cache.recall("d1", 2.0)
    second, _ = bearer_cache.recall("d1", 2.0)
    assert (first.id, first.display_name, scopes) == (7, "Anna", ["read", "write"])
    assert first is not second  # each request merges its own copy


def test_a_token_is_kept_for_the_given_seconds_only(frozen_clock):
    bearer_cache.remember("d1", _user(), ["read"], None, since=bearer_cache.generation())
    frozen_clock.advance(seconds=1.9)
    assert bearer_cache.recall("d1", 2.0) is not None
    frozen_clock.advance(seconds=0.1)
    assert bearer_cache.recall("d1", 2.0) is None
    assert bearer_cache.recall("d1", 100.0) is None  # and it is gone


def test_zero_seconds_keeps_nothing(frozen_clock):
    bearer_cache.remember("d1", _user(), ["read"], None, since=bearer_cache.generation())
    assert bearer_cache.recall("d1", 0) is None


def test_an_expired_token_is_not_recalled(frozen_clock):
    expires = clock.now() + timedelta(seconds=1)
    bearer_cache.remember("d1", _user(), ["read"], expires, since=bearer_cache.generation())
    assert bearer_cache.recall("d1", 2.0) is not None
    frozen_clock.advance(seconds=1)
    assert bearer_cache.recall("d1", 2.0) is None


def test_a_lookup_that_began_before_the_cache_was_emptied_is_not_kept(frozen_clock):
    since = bearer_cache.generation()  # the token query begins...
    bearer_cache.clear()  # ...a revocation commits meanwhile...
    bearer_cache.remember("d1", _user(), ["read"], None, since=since)  # ...the query's answer
    assert bearer_cache.recall("d1", 2.0) is None


def test_a_clock_set_back_expires_what_was_kept(frozen_clock):
    bearer_cache.remember("d1", _user(), ["read"], None, since=bearer_cache.generation())
    frozen_clock.advance(seconds=-1)
    assert bearer_cache.recall("d1", 2.0) is None

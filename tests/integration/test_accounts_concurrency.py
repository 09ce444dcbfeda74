"""Concurrent use cases on real connections (SQLite and PostgreSQL): no "database is
locked", no double booking of the log-in budget, one winner for a contested name."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from tests.support import make_account

from kosmos.accounts import services
from kosmos.db import make_engine, make_session_factory
from kosmos.errors import Conflict, TooManyRequests, Unauthorized


@pytest.fixture
def write_factory(settings):
    engine = make_engine(settings.database_url)
    yield make_session_factory(engine, write=True)
    engine.dispose()


def _in_parallel(n, call):
    def run(i):
        try:
            return call(i)
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            return exc

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def _login(write_factory, password, address="10.0.0.1"):
    def call(_i):
        with write_factory() as session:
            return services.authenticate(session, login="anna", password=password, address=address)

    return call


def test_parallel_logins_of_many_people_all_succeed(write_factory, db):
    # given twelve people (an attempt counts against its account's budget until its
    # password check is done, so each logs in once)
    people = [make_account(db, f"gast{i}") for i in range(12)]

    def call(i):
        with write_factory() as session:
            return services.authenticate(
                session, login=people[i].username, password=people[i].password, address="10.0.0.1"
            )

    # when they all log in at the same moment
    outcomes = _in_parallel(12, call)
    # then nobody sees "database is locked" or any other error
    assert [o.username for o in outcomes] == [p.username for p in people]


def test_parallel_wrong_guesses_get_exactly_the_budget(write_factory, anna):
    # when 20 wrong guesses arrive at once
    outcomes = _in_parallel(20, _login(write_factory, "falsch-1234"))
    # then exactly five are checked, the rest are refused unchecked
    assert sum(isinstance(o, Unauthorized) for o in outcomes) == 5
    assert sum(isinstance(o, TooManyRequests) for o in outcomes) == 15


def test_parallel_sign_ups_with_one_name_have_one_winner(write_factory, db):
    def call(i):
        with write_factory() as session:
            return services.sign_up(
                session,
                username="bea",
                email=f"bea{i}@example.org",
                password="grillen-bea-2026",
                display_name="Bea",
            )

    outcomes = _in_parallel(8, call)
    assert sum(not isinstance(o, Exception) for o in outcomes) == 1
    assert all(isinstance(o, Conflict) for o in outcomes if isinstance(o, Exception))

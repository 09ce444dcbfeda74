"""Persistence basics on every backend: UTC timestamps, SQLite pragmas."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from kosmos.accounts.tables import User


def test_timestamps_come_back_timezone_aware_in_utc(db):
    berlin_evening = datetime(2026, 11, 28, 18, 0, tzinfo=timezone(timedelta(hours=1)))
    db.add(
        User(
            username="anna",
            email="a@example.org",
            password_hash="x",
            display_name="A",
            locale="de",
            is_active=True,
            created_at=berlin_evening,
        )
    )
    db.commit()
    db.expunge_all()
    stored = db.scalar(select(User.created_at))
    assert stored.tzinfo is not None
    assert stored == berlin_evening
    assert stored.astimezone(UTC).hour == 17


def test_naive_datetimes_are_refused(db):
    db.add(
        User(
            username="ben",
            email="b@example.org",
            password_hash="x",
            display_name="B",
            locale="de",
            is_active=True,
            created_at=datetime(2026, 1, 1),
        )
    )
    with pytest.raises(Exception, match="naive datetime"):
        db.commit()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url):
    from kosmos.db import make_engine

    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_migrations_downgrade_to_base_and_upgrade_again(db_url):
    from kosmos.migrate import downgrade, upgrade

    downgrade(db_url, "base")
    upgrade(db_url)

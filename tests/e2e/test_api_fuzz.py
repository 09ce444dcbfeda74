"""Schemathesis against /api/openapi.json on a small budget: no operation answers 5xx.

Runs in-process on a seeded SQLite demo world with a bearer token, so authenticated paths
are exercised too. An exception inside the app fails the test with its traceback.
(The app is built at import: schemathesis' fixture-based loader does not support
pytest 9 yet.)
"""

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from kosmos.config import Settings

SECRET = "test-secret-key-not-for-production-0123456789"


def _build_fuzz_app():
    from kosmos import config
    from kosmos.accounts import services
    from kosmos.app import create_app
    from kosmos.catalog.seed import seed_demo
    from kosmos.db import make_engine, make_session_factory
    from kosmos.migrate import upgrade

    folder = Path(tempfile.mkdtemp(prefix="kosmos-fuzz-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    s = Settings(
        database_url=f"sqlite:///{folder / 'kosmos.db'}",
        env="test",
        secret_key=SECRET,
        run_outbox_relay=False,
        vapid_private_key_path=str(folder / "vapid.pem"),
    )
    upgrade(s.database_url)
    config.configure(s)
    engine = make_engine(s.database_url)
    with make_session_factory(engine)() as db:
        seed_demo(db)
        user = services.get_user_by_username(db, "anna")
        _tok, raw = services.create_access_token(
            db, user, name="fuzz", scopes=["read", "write"], expires_in_days=None
        )
    engine.dispose()
    config.configure(None)
    app = create_app(s, run_relay=False)
    config.configure(None)
    return app, s, raw


APP, SETTINGS, TOKEN = _build_fuzz_app()
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_operation_answers_5xx(case):
    from kosmos import config

    config.configure(SETTINGS)
    try:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {TOKEN}"}, checks=[not_a_server_error]
        )
    finally:
        config.configure(None)

"""`kosmos doctor`: configuration and reachability checks, each with a clear message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlparse

from pydantic import ValidationError

Status = Literal["ok", "warn", "fail"]


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    message: str


def run_checks() -> list[Check]:
    from kosmos.config import DEV_SECRET_KEY, InsecureConfiguration, Settings

    try:
        settings = Settings()
    except (InsecureConfiguration, ValidationError, ValueError) as exc:
        return [Check("configuration", "fail", str(exc).splitlines()[0])]
    checks = [Check("configuration", "ok", f"environment {settings.env}")]
    if settings.secret_key == DEV_SECRET_KEY:
        checks.append(
            Check(
                "secret key",
                "warn",
                "development secret in use; set KOSMOS_SECRET_KEY for production",
            )
        )
    checks.append(_database(settings.database_url))
    checks.append(_redis(settings.redis_url))
    checks.append(_mqtt(settings.mqtt_url))
    return checks


def _database(url: str) -> Check:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from kosmos.db import make_engine, ping

    shown = make_url(url).render_as_string(hide_password=True)
    engine = make_engine(url)
    try:
        ping(engine)
    except (SQLAlchemyError, OSError) as exc:
        return Check("database", "fail", f"cannot reach {shown}: {str(exc).splitlines()[0]}")
    finally:
        engine.dispose()
    return Check("database", "ok", f"reachable at {shown}")


def _redis(url: str | None) -> Check:
    if not url:
        return Check(
            "redis", "ok", "not configured (single process mode; set KOSMOS_REDIS_URL to scale out)"
        )
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except (redis.RedisError, OSError) as exc:
        return Check("redis", "fail", f"cannot reach {url}: {exc}")
    return Check("redis", "ok", f"reachable at {url}")


def _mqtt(url: str | None) -> Check:
    if not url:
        return Check("mqtt", "ok", "not configured (the embedded broker is used in the demo)")
    import time

    import paho.mqtt.client as mqtt

    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 1883
    answer: dict[str, object] = {}
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="kosmos-doctor")
    if parsed.username:
        client.username_pw_set(parsed.username, parsed.password)
    client.on_connect = lambda _c, _u, _f, reason, _p: answer.setdefault("reason", reason)
    try:
        client.connect(host, port, keepalive=5)
        deadline = time.monotonic() + 3
        while "reason" not in answer and time.monotonic() < deadline:
            client.loop(timeout=0.1)
        client.disconnect()
    except OSError as exc:
        return Check("mqtt", "fail", f"cannot reach broker at {host}:{port}: {exc}")
    reason = answer.get("reason")
    if reason is None:
        return Check("mqtt", "fail", f"{host}:{port} did not answer like an MQTT broker")
    if getattr(reason, "is_failure", False):
        return Check("mqtt", "fail", f"broker at {host}:{port} refused the connection: {reason}")
    return Check("mqtt", "ok", f"broker reachable at {host}:{port}")

"""`kosmos` command line: serve, migrate, seed, user, token, doctor, worker."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

app = typer.Typer(
    help="Kosmos: shopping universe.", no_args_is_help=True, pretty_exceptions_enable=False
)
seed_app = typer.Typer(help="Fill the database with demo or synthetic data.")
user_app = typer.Typer(help="Manage user accounts.")
token_app = typer.Typer(help="Personal access tokens.")
ledger_app = typer.Typer(help="The double-entry ledger.")
wallet_app = typer.Typer(help="Wallet housekeeping: SEPA export, hold expiry.")
assistant_app = typer.Typer(help="The chat assistant Kosmo.")
sim_app = typer.Typer(help="Simulated devices over MQTT: parcel-locker stations, drones.")
app.add_typer(seed_app, name="seed")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(ledger_app, name="ledger")
app.add_typer(wallet_app, name="wallet")
app.add_typer(assistant_app, name="assistant")
app.add_typer(sim_app, name="sim")
console = Console()


def _session():  # noqa: ANN202
    from kosmos.config import get_settings
    from kosmos.db import make_engine, make_session_factory

    return make_session_factory(make_engine(get_settings().database_url), write=True)()


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    reload: bool = False,
    demo_devices: Annotated[
        bool, typer.Option(help="Simulate the demo's parcel stations and drone as well.")
    ] = False,
) -> None:
    """Serve the web app and API (with the outbox relay running inside)."""
    import uvicorn

    from kosmos.config import get_settings

    get_settings()  # refuse to start on an insecure production configuration
    broker = _start_embedded_mqtt()
    devices = _start_demo_devices() if demo_devices else []
    try:
        _run_uvicorn(uvicorn, host, port, workers, reload)
    finally:
        for device in devices:
            device.stop()
        if broker is not None:
            broker.stop()


def _start_demo_devices() -> list[Any]:
    """`make run`: a simulator for every parcel station in the database and the demo
    drone, so the demo's lockers open and its drone flies without hardware."""
    from kosmos.config import get_settings
    from kosmos.delivery.demo import drone_codes, station_codes
    from kosmos.integrations.lockers.mqtt.drone_sim import DroneSimulator
    from kosmos.integrations.lockers.mqtt.station_sim import StationSimulator

    url = get_settings().mqtt_url
    if not url:
        return []
    with _session() as session:
        stations, drones = station_codes(session), drone_codes(session)
    devices: list[Any] = []
    try:
        devices += [StationSimulator(code, url).start() for code in stations]
        devices += [DroneSimulator(code, url).start() for code in drones]
    except Exception as exc:  # noqa: BLE001 - the demo serves without devices then
        console.print(f"[yellow]Demo devices not started: {exc}[/]")
    else:
        console.print(f"Simulating {len(stations)} parcel stations and {len(drones)} drone(s)")
    return devices


def _run_uvicorn(uvicorn, host: str, port: int, workers: int, reload: bool) -> None:  # noqa: ANN001
    uvicorn.run(
        "kosmos.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        log_level="info",
        # Chat frames are small; compression would cost ~35 KiB of zlib state per open
        # socket and CPU per frame (bench/chat.py measures both).
        ws_per_message_deflate=False,
    )


def _start_embedded_mqtt():  # noqa: ANN202
    """Without KOSMOS_MQTT_URL, start the embedded MQTT broker here in the parent process
    (so every worker shares it) and export its URL to the workers."""
    import os

    from kosmos import config
    from kosmos.integrations.lockers.mqtt.broker import BrokerStartError, EmbeddedBroker

    settings = config.get_settings()
    if settings.mqtt_url or not settings.embedded_mqtt_port:
        return None
    broker = EmbeddedBroker(port=settings.embedded_mqtt_port)
    try:
        url = broker.start()
    except BrokerStartError as exc:
        console.print(f"[yellow]Parcel lockers not connected: {exc}[/]")
        return None
    os.environ["KOSMOS_MQTT_URL"] = url
    config._from_environment.cache_clear()  # this process's settings see the URL too
    console.print(f"Embedded MQTT broker (MQTT 3.1.1) at {url}")
    return broker


def _sim_url(url: str | None) -> str:
    from kosmos.config import get_settings

    settings = get_settings()
    port = settings.embedded_mqtt_port or 1884
    return url or settings.mqtt_url or f"mqtt://127.0.0.1:{port}?protocol=3.1.1"


def _run_until_stopped(device, name: str) -> None:  # noqa: ANN001
    """Block until Ctrl+C or SIGTERM, then stop `device` cleanly (it says offline). A
    SIGKILL skips this: the broker's last will says offline instead."""
    import signal
    import threading

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    console.print(
        f"{name} running on {device.address.host}:{device.address.port} "
        f"({device.address.protocol_name}); Ctrl+C stops it."
    )
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    device.stop()
    console.print(f"{name} stopped.")


@sim_app.command("locker")
def sim_locker(
    station: Annotated[str, typer.Option("--station", help="Station id, e.g. S1")],
    url: Annotated[
        str | None,
        typer.Option(
            "--url", help="Broker URL (default: KOSMOS_MQTT_URL, else the embedded broker)"
        ),
    ] = None,
    close_after: Annotated[
        float,
        typer.Option(
            "--close-after", min=0, help="Seconds until an opened door closes; 0: it stays open"
        ),
    ] = 3.0,
    temperature_interval: Annotated[float, typer.Option("--temperature-interval", min=0)] = 10.0,
    heartbeat_interval: Annotated[float, typer.Option("--heartbeat-interval", min=0)] = 30.0,
    fail_open: Annotated[bool, typer.Option("--fail-open", help="Refuse every open")] = False,
    mute: Annotated[bool, typer.Option("--mute", help="Never answer a command")] = False,
) -> None:
    """A parcel-locker station: opens doors on command, reports temperatures."""
    import logging

    from kosmos.integrations.lockers.mqtt.station_sim import StationSimulator

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    device = StationSimulator(
        station,
        _sim_url(url),
        close_after=close_after,
        temperature_interval=temperature_interval,
        heartbeat_interval=heartbeat_interval,
        fail_open=fail_open,
        mute=mute,
    ).start()
    _run_until_stopped(device, f"Locker station {station}")


@sim_app.command("drone")
def sim_drone(
    drone: Annotated[str, typer.Option("--drone", help="Drone id, e.g. D1")],
    url: Annotated[
        str | None,
        typer.Option(
            "--url", help="Broker URL (default: KOSMOS_MQTT_URL, else the embedded broker)"
        ),
    ] = None,
    speed: Annotated[float, typer.Option("--speed", min=0.01, help="Time-lapse factor")] = 1.0,
) -> None:
    """A delivery drone: flies missions and reports its status."""
    import logging

    from kosmos.integrations.lockers.mqtt.drone_sim import DroneSimulator

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    device = DroneSimulator(drone, _sim_url(url), speed=speed).start()
    _run_until_stopped(device, f"Drone {drone}")


@app.command()
def migrate() -> None:
    """Apply database migrations (Alembic) up to the newest."""
    from kosmos.config import get_settings
    from kosmos.migrate import upgrade

    url = get_settings().database_url
    upgrade(url)
    console.print(f"[green]Database is up to date[/] ({_redact(url)})")


@app.command()
def worker() -> None:
    """Run the outbox relay on its own (when serve runs with KOSMOS_RUN_OUTBOX_RELAY=false)."""
    from kosmos.assistant import reminders  # noqa: F401 - event reminders
    from kosmos.bus import RelayWorker
    from kosmos.chat import notify  # noqa: F401 - registers the chat push consumer
    from kosmos.config import get_settings
    from kosmos.db import make_engine, make_session_factory
    from kosmos.wallet import jobs  # noqa: F401 - registers consumers and periodic jobs

    settings = get_settings()
    factory = make_session_factory(make_engine(settings.database_url), write=True)
    console.print("Outbox relay running; Ctrl+C stops it.")
    relay = RelayWorker(factory, settings.outbox_poll_seconds, settings.outbox_gather_seconds)
    try:
        relay.run_forever()
    except KeyboardInterrupt:
        relay.stop()


@seed_app.command("demo")
def seed_demo() -> None:
    """The demo world Musterstadt: shops, 300+ products, anna, ben, cem and dora, and their
    group chat "Grillfreunde". Idempotent."""
    from kosmos.assistant import listening  # noqa: F401 - Kosmo answers the story
    from kosmos.assistant.booking import seed_services
    from kosmos.catalog.seed import SeedRefused
    from kosmos.catalog.seed import seed_demo as run
    from kosmos.chat.demo import seed_group
    from kosmos.delivery.demo import seed_delivery
    from kosmos.places.dining.setup import seed_tables

    with _session() as session:
        try:
            summary = run(session)
            seed_services(session)
            seed_tables(session)
            seed_delivery(session)
        except SeedRefused as exc:
            console.print(f"[red]{exc}[/]")
            raise typer.Exit(1) from exc
        seed_group(session)
    for key, value in summary.items():
        console.print(f"{key}: {value}")


@seed_app.command("catalog")
def seed_catalog(
    products: Annotated[int, typer.Option("--products", min=1)] = 100_000,
    seed: int = 42,
) -> None:
    """A synthetic catalog for benchmarks, with a progress bar."""
    from rich.progress import Progress

    from kosmos.catalog.synthetic import seed_synthetic

    with _session() as session, Progress(console=console) as progress:
        task = progress.add_task("Products", total=products)
        seed_synthetic(
            session, products, seed=seed, on_progress=lambda n: progress.update(task, advance=n)
        )
    console.print(f"[green]{products} synthetic products added[/]")


@user_app.command("create")
def user_create(
    username: str,
    email: str,
    display_name: Annotated[str, typer.Option("--name")] = "",
    locale: str = "de",
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """Create a user account."""
    from kosmos.accounts import services
    from kosmos.errors import Problem

    with _session() as session:
        try:
            user = services.sign_up(
                session,
                username=username,
                email=email,
                password=password,
                display_name=display_name or username,
                locale=locale,
            )
        except Problem as exc:
            console.print(f"[red]{exc.detail or exc.title}[/]")
            raise typer.Exit(1) from exc
    console.print(f"[green]Created user {user.username} (id {user.id})[/]")


@token_app.command("create")
def token_create(
    user: Annotated[str, typer.Option("--user")],
    name: str = "cli",
    scope: Annotated[list[str] | None, typer.Option("--scope")] = None,
    days: Annotated[int | None, typer.Option("--days", min=1, max=3650)] = None,
) -> None:
    """Print a new bearer token for a user (shown once)."""
    from kosmos.accounts import services
    from kosmos.errors import Problem

    with _session() as session:
        account = services.get_user_by_username(session, user)
        if account is None:
            console.print(f"[red]No user named {user!r}[/]")
            raise typer.Exit(1)
        try:
            _token, raw = services.create_access_token(
                session,
                account,
                name=name,
                scopes=scope or ["read", "write"],
                expires_in_days=days,
            )
        except Problem as exc:
            console.print(f"[red]{exc.detail or exc.title}[/]")
            raise typer.Exit(1) from exc
    print(raw)


@ledger_app.command("verify")
def ledger_verify() -> None:
    """Re-check every ledger invariant; exits 1 on any violation."""
    from kosmos.wallet.ledger import verify

    with _session() as session:
        violations = verify(session)
    for v in violations:
        console.print(f"[red]VIOLATION[/] {v.rule}: {v.detail}")
    if violations:
        raise typer.Exit(1)
    console.print(
        "[green]Ledger verified: every transfer balanced, balances match, "
        "no account below its floor.[/]"
    )


@wallet_app.command("sepa-export")
def wallet_sepa_export(
    out: Path = typer.Option(..., "--out", help="Where to write the pain.008 XML"),
) -> None:
    """Write every SEPA direct debit not yet exported as one pain.008 batch."""
    from kosmos.wallet.sepa import export_batch

    with _session() as session:
        result = export_batch(session)
    if result is None:
        console.print("Nothing to export.")
        return
    message_id, xml = result
    out.write_bytes(xml)
    console.print(f"[green]Exported batch {message_id}[/] to {out}")


@wallet_app.command("expire-holds")
def wallet_expire_holds() -> None:
    """Release every hold past its expiry (the worker also does this every 30 s)."""
    from kosmos.wallet.holds import expire_due

    with _session() as session:
        count = expire_due(session)
    console.print(f"{count} hold(s) expired.")


@assistant_app.command("parse")
def assistant_parse(
    text: str = typer.Argument(..., help="One chat message"),
    now: str = typer.Option(None, "--now", help="ISO time with offset (default: now)"),
    members: str = typer.Option("", "--members", help="Chat members, comma-separated"),
    locale: str = typer.Option(None, "--locale", help="de or en (default: detected)"),
    tz: str = typer.Option("Europe/Berlin", "--tz"),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON form only"),
) -> None:
    """What Kosmo reads in TEXT (the built-in understanding, offline)."""
    from datetime import datetime

    from kosmos import clock
    from kosmos.assistant import understand

    try:
        moment = datetime.fromisoformat(now) if now else clock.now()
    except ValueError as exc:
        console.print(f"[red]--now: {exc}[/]")
        raise typer.Exit(2) from exc
    if moment.tzinfo is None:
        console.print("[red]--now needs an offset, e.g. 2026-11-22T10:00:00+01:00[/]")
        raise typer.Exit(2)
    names = tuple(n.strip().lower() for n in members.split(",") if n.strip())
    result = understand(text, now=moment, tz=tz, locale=locale, members=names)
    if as_json:
        print(result.to_json())
        return
    console.print(f"locale: {result.locale}")
    print(result.to_json(indent=2))


@app.command()
def doctor() -> None:
    """Check the configuration and reach the database, Redis and the MQTT broker."""
    from kosmos.doctor import run_checks

    ok = True
    for check in run_checks():
        colour = {"ok": "green", "warn": "yellow", "fail": "red"}[check.status]
        console.print(f"[{colour}]{check.status.upper():4}[/] {check.name}: {check.message}")
        ok = ok and check.status != "fail"
    sys.exit(0 if ok else 1)


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":  # pragma: no cover
    app()

"""The ``haulgraph`` command: serve, migrate, seed and the rest.

Each sub-command is a function taking the parsed arguments; ``main`` wires
them to argparse and configures logging.
"""

import argparse
import asyncio
import getpass
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import uvicorn
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from domain.daily import run_rounds
from domain.delivery.outbox import Worker
from domain.delivery.transports import transports_from
from domain.identity.api_keys import create_api_key
from domain.identity.passwords import hash_password
from domain.identity.staff import create_staff_user
from domain.permissions import BUILTIN_ROLES, Permission
from domain.seeding import seed_rules
from graph.app import create_app
from persistence.config import Config, allowed_origins
from persistence.database import create_engine, create_session_factory
from persistence.migrate import upgrade
from persistence.models import Account, Client, Contact
from portal_host import PortalConfig, create_portal_app

logger = logging.getLogger(__name__)

DEMO_SLUG = "demo"
DEMO_SIGN_IN = ("admin@demo.haulgraph.test", "haulgraph-demo")


def migrate(arguments: argparse.Namespace) -> None:
    config = Config.from_environment()
    upgrade(config.database_url)
    print("Database is up to date.")


def seed(arguments: argparse.Namespace) -> None:
    from persistence.seed import seed_demo, seed_scale

    config = Config.from_environment()
    upgrade(config.database_url)
    password_hash = hash_password(DEMO_SIGN_IN[1])
    started = time.perf_counter()

    async def run() -> None:
        engine = create_engine(config.database_url)
        try:
            if arguments.scale:
                summary = await seed_scale(
                    engine,
                    clients=arguments.scale,
                    seed=arguments.seed,
                    today=arguments.today,
                    staff_password_hash=password_hash,
                    rules=seed_rules(),
                    progress=sys.stderr.isatty(),
                )
            else:
                summary = await seed_demo(
                    engine,
                    seed=arguments.seed,
                    today=arguments.today,
                    staff_password_hash=password_hash,
                    rules=seed_rules(),
                )
        finally:
            await engine.dispose()
        elapsed = time.perf_counter() - started
        print(
            f"Seeded {summary.clients:,} clients ({summary.rows:,} rows) "
            f"in {elapsed:.1f} s."
        )

    asyncio.run(run())


async def has_demo_account(database_url: str) -> bool:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            found = await connection.scalar(
                select(Account.id).where(Account.slug == DEMO_SLUG)
            )
    finally:
        await engine.dispose()
    return found is not None


def demo(arguments: argparse.Namespace) -> None:
    """Migrate, load the demo account if it is missing, then serve."""
    config = Config.from_environment()
    upgrade(config.database_url)
    if not asyncio.run(has_demo_account(config.database_url)):
        arguments.scale, arguments.seed, arguments.today = 0, 1, date.today()
        seed(arguments)
    email, password = DEMO_SIGN_IN
    print(
        f"\nSign in at http://{arguments.host}:{arguments.port}/graphql with the "
        f"signIn mutation:\n  email {email}\n  password {password}\n"
        "then send the accessToken it returns as `Authorization: Bearer <token>`.",
        flush=True,
    )
    client_email = asyncio.run(demo_client_email(config.database_url))
    if client_email is not None:
        outbox = config.data_dir / "outbox" / "email"
        print(
            f"Open the client dashboard at {dashboard_url_of(arguments)}/sign-in "
            f"and ask for a link for\n  {client_email}\n(a client of the demo "
            f"data); the link is written as an email into {outbox}/.\n",
            flush=True,
        )
    serve(arguments)


async def demo_client_email(database_url: str) -> str | None:
    """The primary contact's email of the demo account's first client."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return await connection.scalar(
                select(Contact.email)
                .join(Client, Client.id == Contact.client_id)
                .join(Account, Account.id == Client.account_id)
                .where(
                    Account.slug == DEMO_SLUG,
                    Contact.is_primary.is_(True),
                    Contact.email.is_not(None),
                    Client.archived_at.is_(None),
                )
                .order_by(Client.id)
                .limit(1)
            )
    finally:
        await engine.dispose()


def dashboard_url_of(arguments: argparse.Namespace) -> str:
    return os.environ.get(
        "HAULGRAPH_DASHBOARD_URL",
        f"http://{arguments.host}:{arguments.dashboard_port}",
    )


def serve(arguments: argparse.Namespace) -> None:
    """The API and the client dashboard's host side by side: in one process,
    or with ``--workers`` several API processes sharing the port."""
    config = Config.from_environment()
    dashboard_url = dashboard_url_of(arguments)
    # The dashboard's origin is the one the API lets browsers call from.
    config = replace(
        config, dashboard_url=dashboard_url, cors_origins=allowed_origins(dashboard_url)
    )
    if getattr(arguments, "no_worker", False):
        config = replace(config, delivery=replace(config.delivery, run_worker=False))
    workers = getattr(arguments, "workers", 1)
    url = make_url(config.database_url)
    is_sqlite = url.get_backend_name() == "sqlite"
    if workers > 1 and config.delivery.run_worker and is_sqlite:
        # Each process would run its own outbox worker on the one file.
        raise SystemExit(
            "Several API processes on SQLite need --no-worker: run one "
            "`haulgraph worker` per SQLite file beside them."
        )
    base = f"http://{arguments.host}:{arguments.port}"
    database = url.render_as_string(hide_password=True)
    print(
        f"\nStaff API (GraphiQL):  {base}/graphql\n"
        f"Client dashboard API:  {base}/dashboard/graphql\n"
        f"Partner API:           {base}/partner/graphql\n"
        f"Client dashboard:      {dashboard_url}\n"
        f"Health:                {base}/healthz\n"
        f"Database:              {database}\n"
        f"Worker:                "
        f"{WORKER_HERE if config.delivery.run_worker else WORKER_ELSEWHERE}\n",
        flush=True,
    )
    log_level = arguments.log_level.lower()
    portal = uvicorn.Config(
        create_portal_app(PortalConfig(api_url=base)),
        host=arguments.host,
        port=arguments.dashboard_port,
        log_level=log_level,
    )
    if workers == 1:
        api = uvicorn.Config(
            create_app(config),
            host=arguments.host,
            port=arguments.port,
            log_level=log_level,
        )
        asyncio.run(serve_together(uvicorn.Server(api), uvicorn.Server(portal)))
        return
    # Several API processes: each builds its app from the environment, so say
    # there whether the outbox worker runs in them and where the dashboard is.
    # uvicorn supervises them from here; the dashboard's host runs beside them.
    os.environ["HAULGRAPH_WORKER"] = "on" if config.delivery.run_worker else "off"
    os.environ["HAULGRAPH_DASHBOARD_URL"] = dashboard_url
    beside = threading.Thread(target=uvicorn.Server(portal).run, daemon=True)
    beside.start()
    uvicorn.run(
        "graph.app:app_from_environment",
        factory=True,
        workers=workers,
        host=arguments.host,
        port=arguments.port,
        log_level=log_level,
    )


async def serve_together(*servers: uvicorn.Server) -> None:
    """Run the servers until one stops; then stop the others too."""
    tasks = [asyncio.create_task(server.serve()) for server in servers]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for server in servers:
            server.should_exit = True
        await asyncio.gather(*tasks, return_exceptions=True)


def portal(arguments: argparse.Namespace) -> None:
    """The client dashboard's host alone, calling the API at ``--api-url``."""
    print(
        f"\nClient dashboard:  http://{arguments.host}:{arguments.dashboard_port}\n"
        f"Its API:           {arguments.api_url}\n",
        flush=True,
    )
    uvicorn.run(
        create_portal_app(PortalConfig(api_url=arguments.api_url)),
        host=arguments.host,
        port=arguments.dashboard_port,
        log_level=arguments.log_level.lower(),
    )


def worker(arguments: argparse.Namespace) -> None:
    """Deliver the outbox and run the daily round until stopped (SIGINT or
    SIGTERM), or deliver once with --once.

    Several workers may share a PostgreSQL database; run one per SQLite file.
    """
    config = Config.from_environment()

    async def run() -> None:
        engine = create_engine(config.database_url)
        delivery = Worker(create_session_factory(engine), transports_from(config))
        try:
            if arguments.once:
                delivered = await delivery.run_until_idle()
                print(f"Delivered {delivered:,} outbox items.")
                return
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for number in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(number, stop.set)
            await asyncio.gather(
                delivery.run(stop), run_rounds(create_session_factory(engine), stop)
            )
        finally:
            await engine.dispose()

    asyncio.run(run())


def export_schema(arguments: argparse.Namespace) -> None:
    """Write each audience's printed schema beside the others."""
    from graph.schema import SCHEMAS, SDL_FILES

    for audience, schema in SCHEMAS.items():
        path = arguments.output_dir / SDL_FILES[audience]
        path.write_text(schema.as_str() + "\n")
        print(f"Wrote {path}.")


def build_operations(arguments: argparse.Namespace) -> None:
    """Register the dashboard's operations: write their manifest of hashes."""
    from graph.trusted import OPERATIONS_DIR, build_manifest, write_manifest

    directory = arguments.operations_dir or OPERATIONS_DIR
    path = write_manifest(directory)
    print(f"Wrote {path} ({len(build_manifest(directory))} operations).")


async def account_id_of(session: AsyncSession, slug: str) -> int:
    account_id = await session.scalar(select(Account.id).where(Account.slug == slug))
    if account_id is None:
        raise SystemExit(f"No account has the slug {slug!r}.")
    return account_id


def create_staff(arguments: argparse.Namespace) -> None:
    """Create a staff user (the first admin of an account, typically)."""
    config = Config.from_environment()
    password = arguments.password or getpass.getpass("Password: ")
    if len(password) < 10:
        raise SystemExit("Choose a password of at least 10 characters.")

    async def run() -> None:
        engine = create_engine(config.database_url)
        try:
            async with create_session_factory(engine)() as session:
                account_id = await account_id_of(session, arguments.account)
                await create_staff_user(
                    session,
                    account_id,
                    arguments.email,
                    arguments.name,
                    password,
                    arguments.role,
                )
                await session.commit()
        finally:
            await engine.dispose()
        print(f"Created {arguments.role} {arguments.email}.")

    asyncio.run(run())


def create_partner_key(arguments: argparse.Namespace) -> None:
    """Issue a partner API key and print it once."""
    config = Config.from_environment()
    scopes = frozenset(Permission(scope) for scope in arguments.scopes)

    async def run() -> None:
        engine = create_engine(config.database_url)
        try:
            async with create_session_factory(engine)() as session:
                account_id = await account_id_of(session, arguments.account)
                issued = await create_api_key(
                    session, account_id, arguments.name, scopes, datetime.now(UTC)
                )
                await session.commit()
        finally:
            await engine.dispose()
        print(f"API key (shown once, store it now):\n{issued.key}")

    asyncio.run(run())


def run_recurring(arguments: argparse.Namespace) -> None:
    """Issue what recurring invoices owe today (each account's business day,
    or ``--today``); running it again issues nothing twice."""
    from domain.invoicing.generation import run_recurring as generate
    from graph.types.scalars import Money

    config = Config.from_environment()

    async def run() -> None:
        engine = create_engine(config.database_url)
        try:
            generated = await generate(
                create_session_factory(engine), datetime.now(UTC), arguments.today
            )
        finally:
            await engine.dispose()
        for invoice in generated:
            total = Money.of(invoice.total, invoice.currency)
            print(
                f"Invoice #{invoice.number} for {invoice.client_name}: "
                f"{invoice.schedule_name}, period {invoice.period}, "
                f"{total.amount} {total.currency}"
            )
        print(f"Generated {len(generated)} recurring invoice(s).")

    asyncio.run(run())


def run_daily(arguments: argparse.Namespace) -> None:
    """The daily round by hand: recurring invoices, overdue invoices and hold
    rules, expired estimates, reminders of tomorrow's work. The API process
    and workers run it hourly."""
    from domain.daily import run_daily as run_round

    config = Config.from_environment()

    async def run() -> None:
        engine = create_engine(config.database_url)
        try:
            report = await run_round(
                create_session_factory(engine), datetime.now(UTC), arguments.today
            )
        finally:
            await engine.dispose()
        for day in report:
            print(
                f"{day.slug} ({day.day}): {day.invoices_issued} recurring invoices "
                f"issued, {day.invoices_overdue} overdue, {day.holds_placed} holds "
                f"placed, {day.estimates_expired} estimates expired, "
                f"{day.reminders_queued} reminders queued."
            )

    asyncio.run(run())


def age_invoices(arguments: argparse.Namespace) -> None:
    """Mark overdue invoices and apply the hold rules, one account at a time.

    Meant to run daily (cron or a scheduler); running it twice on one day
    changes nothing the second time.
    """
    from domain.calendar import local_date
    from domain.holds import age_invoices as age_account

    config = Config.from_environment()

    async def run() -> None:
        engine = create_engine(config.database_url)
        factory = create_session_factory(engine)
        try:
            async with factory() as session:
                statement = select(Account.id).order_by(Account.id)
                if arguments.account:
                    statement = statement.where(Account.slug == arguments.account)
                account_ids = list(await session.scalars(statement))
            for account_id in account_ids:
                # One transaction per account: one account's failure leaves
                # the others aged.
                async with factory() as session, session.begin():
                    account = await session.get_one(Account, account_id)
                    now = datetime.now(UTC)
                    today = arguments.today or local_date(now, account.time_zone)
                    report = await age_account(session, account, today, now)
                print(
                    f"{account.slug}: {report.marked_overdue} invoices overdue, "
                    f"{report.holds_placed} holds placed (as of {today})."
                )
        finally:
            await engine.dispose()

    asyncio.run(run())


WORKER_HERE = "in this process (outbox, and the daily round hourly)"
WORKER_ELSEWHERE = "off here; run `haulgraph worker`"


def add_server_options(
    parser: argparse.ArgumentParser, *, with_api: bool = True
) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="Interface to bind.")
    if with_api:
        parser.add_argument("--port", type=int, default=8000, help="API port.")
    parser.add_argument(
        "--dashboard-port",
        type=int,
        default=8001,
        help="Port of the client dashboard's host.",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="haulgraph",
        description="Client profiles and dashboards for roll-off businesses.",
    )
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING…")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(
        name: str, handler: Callable[..., None], summary: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary, description=summary)
        sub.set_defaults(handler=handler)
        return sub

    serving = command(
        "serve", serve, "Run the API, the client dashboard's host and the worker."
    )
    add_server_options(serving)
    serving.add_argument(
        "--workers",
        type=int,
        default=1,
        help="API processes sharing the port; one per core serves the most.",
    )
    serving.add_argument(
        "--no-worker",
        action="store_true",
        help="Do not deliver the outbox in this process (run `worker` instead).",
    )
    delivering = command("worker", worker, "Deliver queued emails and texts.")
    delivering.add_argument(
        "--once", action="store_true", help="Deliver what is due, then exit."
    )
    hosting = command("portal", portal, "Run the client dashboard's host alone.")
    add_server_options(hosting, with_api=False)
    hosting.add_argument(
        "--api-url",
        default=os.environ.get("HAULGRAPH_API_URL", "http://127.0.0.1:8000"),
        help="Where the API answers (default: $HAULGRAPH_API_URL or port 8000).",
    )
    add_server_options(
        command("demo", demo, "Migrate, load demo data if missing, and serve.")
    )
    exporting = command(
        "export-schema",
        export_schema,
        "Write the printed schemas (schema.graphql and one per other audience).",
    )
    exporting.add_argument(
        "--output-dir", type=Path, default=Path(), help="Folder to write them in."
    )
    operations = command(
        "build-operations",
        build_operations,
        "Write the manifest of the dashboard's trusted operations.",
    )
    operations.add_argument(
        "--operations-dir", type=Path, help="Folder of .graphql operations."
    )
    staff = command("create-staff", create_staff, "Create a staff user.")
    staff.add_argument("--account", default=DEMO_SLUG, help="The account's slug.")
    staff.add_argument("--email", required=True)
    staff.add_argument("--name", required=True)
    staff.add_argument("--role", default="admin", choices=sorted(BUILTIN_ROLES))
    staff.add_argument("--password", help="Asked for when left out.")
    keys = command("create-api-key", create_partner_key, "Issue a partner API key.")
    keys.add_argument("--account", default=DEMO_SLUG, help="The account's slug.")
    keys.add_argument("--name", required=True, help="What the key is for.")
    keys.add_argument(
        "--scopes",
        nargs="+",
        required=True,
        choices=sorted(permission.value for permission in Permission),
        metavar="SCOPE",
        help="Permissions the key grants, e.g. clients:read billing:read.",
    )
    recurring = command(
        "run-recurring",
        run_recurring,
        "Issue and send the recurring invoices due today, once per period.",
    )
    recurring.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="The business day to run for (YYYY-MM-DD); default: each account's.",
    )
    daily = command(
        "run-daily",
        run_daily,
        "The daily round: recurring invoices, overdue invoices and hold rules, "
        "expired estimates, reminders (serve and worker run it hourly).",
    )
    daily.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="The business day to run for (YYYY-MM-DD); default: each account's.",
    )
    command("migrate", migrate, "Upgrade the database schema to the latest revision.")
    aging = command(
        "age-invoices",
        age_invoices,
        "Mark overdue invoices and apply the automatic hold rules.",
    )
    aging.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="The business day to age to (YYYY-MM-DD); default: each account's "
        "own today.",
    )
    aging.add_argument("--account", help="Only this account's slug.")
    seeding = command("seed", seed, "Load the demo account, or --scale N clients.")
    seeding.add_argument("--scale", type=int, default=0, metavar="N")
    seeding.add_argument("--seed", type=int, default=1, help="Random seed.")
    seeding.add_argument(
        "--today",
        type=date.fromisoformat,
        default=date.today(),
        help="The date history is generated around (YYYY-MM-DD).",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    arguments = build_parser().parse_args(argv)
    logging.basicConfig(
        level=arguments.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    arguments.handler(arguments)

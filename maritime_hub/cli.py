"""The `mh` command line (Typer): database, server, demo data, users, tokens, audit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from maritime_hub.errors import MaritimeHubError

app = typer.Typer(help="maritime-hub: sea and fishery dispute platform (海上枫桥)", no_args_is_help=True)
db_app = typer.Typer(
    help="The database: embedded PostgreSQL + PostGIS cluster in var/pg, or MH_DATABASE_URL.", no_args_is_help=True
)
demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)
users_app = typer.Typer(help="User accounts.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
files_app = typer.Typer(help="The file store (uploaded documents and evidence, by SHA-256).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(audit_app, name="audit")
app.add_typer(files_app, name="files")


@app.callback()
def _start() -> None:
    """Runs before every command: the cross-domain hooks (the worker and the demo loader dispatch cases)."""
    from maritime_hub import wiring

    wiring.install()


console = Console()
# soft_wrap: a path or a SHA-256 stays on one line, for a reader and for grep.
err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 1) -> None:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


def embedded() -> bool:
    from maritime_hub.config import get_settings

    return not get_settings().database_url


def ensure_db() -> None:
    """Start the embedded cluster when it is the database in use (cheap when already running)."""
    if embedded():
        from maritime_hub.db.cluster import default_cluster

        try:
            default_cluster().up()
        except MaritimeHubError as exc:
            fail(exc.message)


# -- db ----------------------------------------------------------------------
@db_app.command("up")
def db_up() -> None:
    """Start the embedded cluster (initialising var/pg on first use)."""
    if not embedded():
        fail("MH_DATABASE_URL is set: the embedded cluster is not used")
    from maritime_hub.db.cluster import default_cluster

    c = default_cluster()
    try:
        started = c.up()
    except MaritimeHubError as exc:
        fail(exc.message)
    console.print(("started" if started else "already running") + f": {c.libpq_url()}")


@db_app.command("down")
def db_down() -> None:
    """Stop the embedded cluster."""
    from maritime_hub.db.cluster import default_cluster

    console.print("stopped" if default_cluster().down() else "not running")


@db_app.command("status")
def db_status() -> None:
    """Say whether the database is running and where."""
    if not embedded():
        from sqlalchemy import text

        from maritime_hub.db.session import get_engine

        try:
            with get_engine().connect() as conn:
                conn.execute(text("SELECT 1"))
            console.print("external database (MH_DATABASE_URL): reachable")
        except Exception as exc:  # noqa: BLE001
            fail(f"external database (MH_DATABASE_URL) not reachable: {exc}")
        return
    from maritime_hub.db.cluster import default_cluster

    st = default_cluster().status()
    console.print(f"root: {st['root']}\ninitialised: {st['initialised']}\nrunning: {st['running']}\nurl: {st['url']}")
    if not st["running"]:
        raise typer.Exit(3)


@db_app.command("url")
def db_url() -> None:
    """Print a libpq connection URL (psql "$(mh db url)")."""
    from maritime_hub.db.cluster import database_url

    print(database_url().replace("postgresql+psycopg://", "postgresql://"))


@db_app.command("migrate")
def db_migrate() -> None:
    """Apply all migrations (Alembic upgrade head)."""
    ensure_db()
    from maritime_hub.db.migrate import upgrade

    upgrade()
    console.print("database is at the latest migration")


@db_app.command("backup")
def db_backup(file: Annotated[Path, typer.Argument(help="the tar to write (database dump and file store)")]) -> None:
    """Back up the database (pg_dump, custom format) and the file store into one tar (docs/deployment.md)."""
    from maritime_hub.backup import backup
    from maritime_hub.config import get_settings
    from maritime_hub.db.cluster import database_url

    ensure_db()
    try:
        done = backup(database_url(), get_settings().storage_dir, file)
    except MaritimeHubError as exc:
        fail(exc.message)
    console.print(
        f"backup written to {file}: database {done['database_bytes']} bytes, {done['files']} files ({done['files_bytes']} bytes)"
    )


@db_app.command("restore")
def db_restore(
    file: Annotated[Path, typer.Argument(help="a tar written by `mh db backup`")],
    replace: Annotated[
        bool, typer.Option("--replace", help="embedded cluster: drop the database and restore in its place")
    ] = False,
) -> None:
    """Restore a backup: the database into an empty database (or, with --replace, in place of the
    embedded cluster's), the files into the file store. Then run `mh audit verify` and `mh files verify`."""
    from maritime_hub.backup import restore
    from maritime_hub.config import get_settings
    from maritime_hub.db.cluster import database_url, default_cluster

    if replace and not embedded():
        fail("--replace only replaces the embedded cluster's database; restore into an empty MH_DATABASE_URL")
    ensure_db()
    try:
        done = restore(
            file,
            database_url(),
            get_settings().storage_dir,
            recreate=default_cluster().recreate_database if replace else None,
        )
    except MaritimeHubError as exc:
        fail(exc.message, 2)
    console.print(f"restored the database and {done['files']} files from {file} (backup of {done['created_at']})")
    if done["files_damaged"]:
        fail(
            f"{len(done['files_damaged'])} files in the backup do not match their SHA-256 and were not restored: "
            + ", ".join(done["files_damaged"])
        )


# -- serve -------------------------------------------------------------------
@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[int, typer.Option(help="worker processes")] = 1,
    reload: Annotated[bool, typer.Option(help="reload on code change (development)")] = False,
) -> None:
    """Serve the web UI and the API."""
    import uvicorn

    from maritime_hub.config import get_settings

    ensure_db()
    console.print(f"maritime-hub on http://{host}:{port}  (API docs: /docs)")
    uvicorn.run(
        "maritime_hub.asgi:app", host=host, port=port, workers=workers, reload=reload, **uvicorn_options(get_settings())
    )


def uvicorn_options(settings) -> dict:
    """uvicorn's options for `mh serve` (tests load the same into a uvicorn.Config).

    - Forwarded headers: believed only from MH_TRUSTED_PROXIES (uvicorn's own default trusts
      127.0.0.1, so anything on the host, or a client through a proxy that does not overwrite
      X-Forwarded-For, could pick its address and walk past the login rate limit).
    - No permessage-deflate: it compresses every frame again for every client. Live AIS frames
      are compressed once per viewport by the hub instead (/ws/ais?encoding=deflate).
    - SIGTERM: stop accepting, give open requests and live-map websockets a few seconds, exit.
    """
    trusted = settings.trusted_proxies.strip()
    return {
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or None,
        "ws_per_message_deflate": False,
        "timeout_graceful_shutdown": settings.server.shutdown_timeout_seconds,
    }


@app.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="run the jobs that are due, then exit (cron, tests)")] = False,
    supervise: Annotated[
        bool, typer.Option("--supervise", help="run the worker as a child process and start it again if it dies")
    ] = False,
) -> None:
    """Run background jobs: automatic reassignment after 3 working days (ODR Rules 12), and
    the reminders and escalations as they arrive. Survives database outages (it connects again)."""
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if supervise:
        from maritime_hub.jobs.supervisor import supervise as run_supervised

        raise typer.Exit(run_supervised([sys.executable, "-m", "maritime_hub.cli", "worker"]))
    from maritime_hub.config import get_settings
    from maritime_hub.jobs.app import open_app
    from maritime_hub.jobs.runner import run_forever

    ensure_db()
    console.print("worker running (Ctrl-C to stop)" if not once else "running due jobs")
    run_forever(open_app, once=once, heartbeat_seconds=get_settings().worker.heartbeat_seconds)


# -- demo --------------------------------------------------------------------
@demo_app.command("load")
def demo_load() -> None:
    """Load the demo data set (idempotent): organisations, vessels, crew, a user per role."""
    ensure_db()
    from maritime_hub.db.session import transaction
    from maritime_hub.demo import load

    with transaction() as session:
        summary = load(session)
    from maritime_hub import demo_ais
    from maritime_hub.config import get_settings
    from maritime_hub.db.cluster import database_url

    # After the registry is committed: AIS ingest runs on its own connections.
    with transaction() as session:
        summary["AIS positions stored"] = demo_ais.load(session, get_settings().var_dir, database_url())
    for key, value in summary.items():
        console.print(f"{key}: {value}")


# -- users / tokens ------------------------------------------------------------
@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Option(help="login name")],
    role: Annotated[
        list[str],
        typer.Option(
            help="role (repeat for several): admin, coordinator, mediator, fishery_auditor, court_clerk, judge, party"
        ),
    ],
    org: Annotated[str | None, typer.Option(help="organisation name or id")] = None,
    display_name: Annotated[str | None, typer.Option(help="name shown in the UI")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
    locale: Annotated[str, typer.Option(help="zh_CN or en")] = "zh_CN",
) -> None:
    """Create a user. The password is read from stdin (never from the command line)."""
    from pydantic import ValidationError

    from maritime_hub.audit.service import SYSTEM
    from maritime_hub.auth.schemas import UserCreate
    from maritime_hub.auth.service import create_user
    from maritime_hub.db.session import transaction
    from maritime_hub.orgs.models import Organisation

    if not password_stdin:
        fail("give the password on standard input with --password-stdin")
    password = sys.stdin.readline().rstrip("\r\n")
    ensure_db()
    try:
        with transaction() as session:
            org_id = None
            if org:
                from sqlalchemy import select

                found = (
                    session.get(Organisation, int(org))
                    if org.isdigit()
                    else session.scalar(select(Organisation).where(Organisation.name == org))
                )
                if found is None:
                    fail(f"organisation '{org}' not found")
                org_id = found.id
            data = UserCreate(
                username=username,
                display_name=display_name,
                password=password,
                roles=role,
                organisation_id=org_id,
                locale=locale,
            )
            user = create_user(session, SYSTEM, data)
            console.print(f"created user {user.username} (id {user.id}) with roles {', '.join(user.roles)}")
    except ValidationError as exc:
        first = exc.errors()[0]
        fail(f"{'.'.join(str(x) for x in first['loc'])}: {first['msg']}", 2)
    except MaritimeHubError as exc:
        fail(exc.message, 2)


@tokens_app.command("create")
def tokens_create(
    username: Annotated[str, typer.Option(help="the token acts as this user")],
    name: Annotated[str, typer.Option(help="a label for the token")] = "cli",
) -> None:
    """Create an API token and print it once (only its SHA-256 is stored)."""
    from maritime_hub.audit.service import SYSTEM
    from maritime_hub.auth.service import create_token, get_user_by_name
    from maritime_hub.db.session import transaction

    ensure_db()
    try:
        with transaction() as session:
            raw = create_token(session, SYSTEM, get_user_by_name(session, username), name)
    except MaritimeHubError as exc:
        fail(exc.message, 2)
    print(raw)


@audit_app.command("verify")
def audit_verify() -> None:
    """Walk the audit hash chain: exit 0 with the count when intact, 1 with the first broken row."""
    from maritime_hub.audit.service import verify
    from maritime_hub.db.session import transaction

    ensure_db()
    with transaction() as session:
        result = verify(session)
    if result.ok:
        console.print(f"audit chain intact: {result.count} events")
        return
    err.print(
        f"[red]audit chain broken at event id {result.first_broken_id}[/red]: {result.reason} ({result.count} events verified before it)"
    )
    raise typer.Exit(1)


@files_app.command("verify")
def files_verify() -> None:
    """Re-hash every stored file: exit 0 when each still matches the SHA-256 it is stored under,
    1 listing those that do not."""
    from sqlalchemy import select, union

    from crew.models import WorkAgreement
    from maritime_hub.db.session import transaction
    from maritime_hub.files import path_for, store_root, verify
    from mediation.cases.models import CaseEvidence

    checked, damaged = verify()
    # Every file a record names must be there too: a lost file is as bad as a changed one.
    ensure_db()
    with transaction() as session:
        named = session.scalars(
            union(
                *(select(col).where(col.is_not(None)) for col in (CaseEvidence.file_sha256, WorkAgreement.file_sha256))
            )
        ).all()
    missing = sorted(h for h in named if not path_for(h).is_file())
    if not damaged and not missing:
        console.print(
            f"file store intact: {checked} files in {store_root()}, all {len(named)} named by records present"
        )
        return
    for d in damaged:
        err.print(f"[red]damaged[/red]: {d.path} (stored as {d.path.name}, content now hashes to {d.actual})")
    for h in missing:
        err.print(f"[red]missing[/red]: {path_for(h)} (named by a case evidence or work agreement record)")
    if damaged:
        err.print(f"[red]{len(damaged)} of {checked} files no longer match their SHA-256[/red]")
    if missing:
        err.print(f"[red]{len(missing)} of {len(named)} files named by records are missing[/red]")
    raise typer.Exit(1)


def _mount_domain_clis() -> None:
    from vessels.ais.cli import app as ais_app
    from vessels.ais.cli_db import register

    register(ais_app, ensure_db)
    app.add_typer(ais_app, name="ais")


_mount_domain_clis()

if __name__ == "__main__":
    app()

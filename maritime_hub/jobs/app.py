"""Background jobs and schedules in PostgreSQL itself (procrastinate; no Redis).

Domains declare their tasks on `blueprint` in their own tasks.py; `open_app()` builds the App
for the configured database with every domain's tasks, and `mh worker` runs it. Jobs take ids,
reload rows, and do nothing if the row is gone or has moved on.
"""

from __future__ import annotations

import importlib

from procrastinate import App, Blueprint, PsycopgConnector, SyncPsycopgConnector

from maritime_hub.db.cluster import database_url

blueprint = Blueprint()
TASK_MODULES = ("mediation.dispatch.tasks", "mediation.cases.tasks")


def _conninfo() -> str:

    return database_url().replace("postgresql+psycopg://", "postgresql://")


def open_app(conninfo: str | None = None, *, sync: bool = False) -> App:
    """An App on the configured database (or `conninfo`) with every domain's tasks.
    The worker uses the async connector; synchronous code that defers jobs uses `sync=True`."""
    for name in TASK_MODULES:
        importlib.import_module(name)
    connector = SyncPsycopgConnector if sync else PsycopgConnector
    app = App(connector=connector(conninfo=conninfo or _conninfo()))
    app.add_tasks_from(blueprint, namespace="mh")
    return app

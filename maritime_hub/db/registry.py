"""Imports every model module so Base.metadata is complete (Alembic, tests).

The kernel must not import domains at module import time; this function does it lazily
and is only called by the composition root (migrations env, app, cli).
"""

from __future__ import annotations

import importlib

MODEL_MODULES = (
    "maritime_hub.auth.models",
    "maritime_hub.audit.models",
    "maritime_hub.notify.models",
    "vessels.models",
    "crew.models",
    "vessels.ais.models",
    "mediation.cases.models",
    "mediation.dispatch.models",
    "mediation.followup.models",
    "mediation.cases.ledger",
)


def load_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)

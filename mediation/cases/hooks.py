"""Extension points of the case lifecycle that other mediation packages fill in.

mediation.dispatch imports mediation.cases, never the reverse; so the dispatch rules a 派单 must
obey (conflicts of interest, availability, load, the attempt record) are registered here by
``maritime_hub.wiring.install()``, which the app, the CLI (the worker and the demo loader among its
commands) and the test suite call at start-up — never as a side effect of an import, so they cannot
depend on which module happened to be imported first. states.py runs them on every path to
DISPATCHING — ``POST /cases/{id}/dispatch`` and the generic ``POST /cases/{id}/transitions`` alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DispatchHook:
    name: str
    # Precondition: None when the chosen mediator may take the case, else the reason (or raise a 409).
    check: Callable[[Any, Any], str | None]
    # Effect: record the dispatch (runs after the case is assigned, in the same transaction).
    record: Callable[[Any, Any], None]


_DISPATCH: dict[str, DispatchHook] = {}


def on_dispatch(hook: DispatchHook) -> DispatchHook:
    """Register (or replace, by name) a dispatch hook."""
    _DISPATCH[hook.name] = hook
    return hook


def dispatch_hooks() -> tuple[DispatchHook, ...]:
    return tuple(_DISPATCH.values())


@dataclass(frozen=True)
class FollowUpHooks:
    """What the lifecycle asks of mediation.followup (which imports mediation.cases): the obligations
    of a signed agreement (PML 31) and whether any still block closing the file."""

    # Effect of 签订协议: itemise the agreement's obligations (session, principal, case, obligations, effective_at).
    agreement_recorded: Callable[..., object]
    # Check of 结案存档: None when nothing owed blocks closing, else the reason (session, case_id, payload).
    closing_blocker: Callable[..., Any]


_FOLLOWUP: list[FollowUpHooks] = []


def on_followup(hooks: FollowUpHooks) -> None:
    """Register (or replace) the follow-up hooks."""
    _FOLLOWUP[:] = [hooks]


def followup() -> FollowUpHooks:
    if not _FOLLOWUP:
        # Never skipped quietly: closing a file without the check of PML 31 would be a wrong answer.
        raise RuntimeError("the follow-up hooks are not installed: call maritime_hub.wiring.install() at start-up")
    return _FOLLOWUP[0]

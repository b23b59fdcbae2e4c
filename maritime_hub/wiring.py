"""Cross-domain hooks, installed explicitly (docs/architecture.md "Wiring is explicit").

The app (`create_app`), the CLI (every `mh` command, the worker and the demo loader among them) and
the test suite call `install()` at start-up. It is idempotent: hooks are registered by name.
"""

from __future__ import annotations

from mediation.cases import hooks
from mediation.dispatch import service as dispatch
from mediation.followup import service as followup


def install() -> None:
    dispatch.install()
    followup.install()


def installed() -> list[str]:
    """The names of the hooks in place (health checks, tests)."""
    return [h.name for h in hooks.dispatch_hooks()] + (["followup"] if hooks._FOLLOWUP else [])

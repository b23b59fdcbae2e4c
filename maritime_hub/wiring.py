"""Cross-domain hooks, installed explicitly (docs/architecture.md "Wiring is explicit").

The app (`create_app`), the CLI (every `mh` command, the worker and the demo loader among them) and
the test suite call `install()` at start-up. It is idempotent: hooks are registered by name.
"""

from __future__ import annotations


def install() -> None:
    from mediation.dispatch import service as dispatch

    dispatch.install()


def installed() -> list[str]:
    """The names of the hooks in place (health checks, tests)."""
    from mediation.cases import hooks

    return [h.name for h in hooks.dispatch_hooks()]

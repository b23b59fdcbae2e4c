"""The follow-up domain's errors, each with a stable ``code``."""

from __future__ import annotations

from maritime_hub.errors import Conflict


class NoAgreementYet(Conflict):
    """409: follow-up starts when the case has an agreement in effect."""

    code = "no_agreement"


class ObligationClosed(Conflict):
    """409: the obligation is waived or fully paid, or the agreement no longer stands."""

    code = "obligation_closed"

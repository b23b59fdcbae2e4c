"""The cases domain's errors, each with a stable ``code`` an API client can branch on (the
message is for people and may change; the code does not)."""

from __future__ import annotations

from maritime_hub.errors import AlreadyRecorded, Conflict, Forbidden, ValidationFailed
from maritime_hub.messages import Msg


class IllegalTransition(Conflict):
    """409: the lifecycle has no step from the case's state to the one asked for."""

    code = "illegal_transition"


class StepRefused(Conflict):
    """409: the step exists, but a rule refuses it now (``details.reasons`` and ``details.reason_codes``)."""

    code = "step_refused"


class DeadlinePassed(StepRefused):
    """409: a statutory period for the step has run out (e.g. CPL 205's 30 days for judicial confirmation)."""

    code = "deadline_passed"


class CaseArchived(Conflict):
    """409: the case is closed and archived (PML 27); nothing more is recorded on it."""

    code = "case_archived"


class CaseSettled(Conflict):
    """409: parties, vessels and crew are fixed once the agreement is signed."""

    code = "case_settled"


class AlreadyLinked(AlreadyRecorded):
    """409: the vessel, person or evidence is already on the case."""

    code = "already_linked"


class LastApplicant(Conflict):
    """409: a case keeps at least one applicant (someone asks for the mediation)."""

    code = "last_applicant"


class NotCaseStaff(Forbidden):
    """403: the caller may see the case but is not one of the people who change it."""

    code = "not_case_staff"


class RegistryLinkByStaff(ValidationFailed):
    """422: a party filing online named a registry record; linking the registries is staff work."""

    code = "registry_link_by_staff"


def coded(code: str, reason: Msg) -> Msg:
    """A rule's refusal with its code (``StepRefused.code`` unless given): a deadline's rule returns
    ``coded(DeadlinePassed.code, Msg(...))`` and the step is refused with that code."""
    reason.code = code
    return reason


def reason_code(reason: object) -> str:
    return getattr(reason, "code", StepRefused.code)

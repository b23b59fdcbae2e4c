"""The dispatch domain's errors, each with a stable ``code``."""

from __future__ import annotations

from maritime_hub.errors import AlreadyRecorded, Conflict, Forbidden


class MediatorNotEligible(Conflict):
    """409: the mediator is excluded for this case (a conflict of interest, a language, the load)."""

    code = "mediator_not_eligible"


class ChoiceClosed(Conflict):
    """409: the case has moved on; the parties can no longer choose its mediator."""

    code = "choice_closed"


class NoOpenDispatch(Conflict):
    """409: there is no dispatch waiting for an answer (accept, decline) or no mediator to rate yet."""

    code = "no_open_dispatch"


class ProfileExists(AlreadyRecorded):
    """409: the user already has a mediator profile."""

    code = "profile_exists"


class AlreadyRated(AlreadyRecorded):
    """409: the party has already rated this case's mediator."""

    code = "already_rated"


class NotOwnMediator(Forbidden):
    """403: a coordinator changing the profile or conflicts of another organisation's mediator."""

    code = "not_own_mediator"

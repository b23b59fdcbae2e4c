"""Who may call this domain's endpoints and pages: one alias per access rule, used by both
(the role groups are in maritime_hub/auth/roles.py; docs/security.md has the table)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from maritime_hub.auth.dependencies import require
from maritime_hub.auth.roles import (
    CHOICE_READ,
    DISPATCH_ANSWER,
    DISPATCH_ASSIGN,
    DISPATCH_READ,
    MEDIATOR_CHOOSE,
    MEDIATOR_RATE,
    MEDIATOR_READ,
    MEDIATOR_WRITE,
    SUBSIDY_READ,
)
from maritime_hub.auth.service import Principal

MediatorReader = Annotated[Principal, Depends(require(*MEDIATOR_READ))]
MediatorWriter = Annotated[Principal, Depends(require(*MEDIATOR_WRITE))]
DispatchReader = Annotated[Principal, Depends(require(*DISPATCH_READ))]
DispatchAssigner = Annotated[Principal, Depends(require(*DISPATCH_ASSIGN))]
DispatchAnswerer = Annotated[Principal, Depends(require(*DISPATCH_ANSWER))]
MediatorRater = Annotated[Principal, Depends(require(*MEDIATOR_RATE))]
MediatorChooser = Annotated[Principal, Depends(require(*MEDIATOR_CHOOSE))]
ChoiceReader = Annotated[Principal, Depends(require(*CHOICE_READ))]
SubsidyReader = Annotated[Principal, Depends(require(*SUBSIDY_READ))]
MediatorOnly = Annotated[Principal, Depends(require("mediator"))]
CoordinatorOnly = Annotated[Principal, Depends(require("coordinator"))]

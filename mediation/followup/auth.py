"""Who may call this domain's endpoints and pages: one alias per access rule, used by both
(the role groups are in maritime_hub/auth/roles.py; docs/security.md has the table)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from maritime_hub.auth.dependencies import require
from maritime_hub.auth.roles import FOLLOWUP_WRITE
from maritime_hub.auth.service import Principal
from mediation.cases.auth import CaseReader  # noqa: F401 - follow-up is read as its case is

FollowUpWriter = Annotated[Principal, Depends(require(*FOLLOWUP_WRITE))]

"""Who may call this domain's endpoints and pages: one alias per access rule, used by both
(the role groups are in maritime_hub/auth/roles.py; docs/security.md has the table)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from maritime_hub.auth.dependencies import require
from maritime_hub.auth.roles import CASE_ACT, CASE_EVIDENCE_WRITE, CASE_FILE_WRITE, CASE_INTAKE, CASE_READ
from maritime_hub.auth.service import Principal

CaseReader = Annotated[Principal, Depends(require(*CASE_READ))]
CaseIntake = Annotated[Principal, Depends(require(*CASE_INTAKE))]
CaseActor = Annotated[Principal, Depends(require(*CASE_ACT))]
CaseFileWriter = Annotated[Principal, Depends(require(*CASE_FILE_WRITE))]
CaseEvidenceWriter = Annotated[Principal, Depends(require(*CASE_EVIDENCE_WRITE))]

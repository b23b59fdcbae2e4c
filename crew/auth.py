"""Who may call this domain's endpoints and pages: one alias per access rule, used by both
(the role groups are in maritime_hub/auth/roles.py; docs/security.md has the table)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from maritime_hub.auth.dependencies import require
from maritime_hub.auth.roles import REGISTRY_READ, REGISTRY_WRITE
from maritime_hub.auth.service import Principal

RegistryReader = Annotated[Principal, Depends(require(*REGISTRY_READ))]
RegistryWriter = Annotated[Principal, Depends(require(*REGISTRY_WRITE))]

"""Who may call this domain's endpoints and pages: one alias per access rule, used by both
(the role groups are in maritime_hub/auth/roles.py; docs/security.md has the table)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from maritime_hub.auth.dependencies import require
from maritime_hub.auth.roles import STATS_READ
from maritime_hub.auth.service import Principal

StatsReader = Annotated[Principal, Depends(require(*STATS_READ))]

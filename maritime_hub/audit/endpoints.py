from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from maritime_hub.audit import repository, schemas, service
from maritime_hub.auth.dependencies import require
from maritime_hub.auth.roles import AUDIT_READ
from maritime_hub.db.deps import DbSession
from maritime_hub.types import BigId

router = APIRouter(prefix="/audit", tags=["audit"], dependencies=[Depends(require(*AUDIT_READ))])


@router.get("/events", response_model=list[schemas.AuditEvent])
def list_events(
    session: DbSession,
    object_type: str | None = None,
    object_id: str | None = None,
    before_id: BigId | None = None,
    limit: int = Query(100, ge=1, le=1000),
):
    """Audit events, newest first (admin)."""
    return repository.history(session, object_type, object_id, limit, before_id)


@router.get("/verify", response_model=schemas.VerifyResult)
def verify_chain(session: DbSession):
    """Walk the hash chain and report the first broken row, if any (admin)."""
    r = service.verify(session)
    return schemas.VerifyResult(ok=r.ok, count=r.count, first_broken_id=r.first_broken_id, reason=r.reason)

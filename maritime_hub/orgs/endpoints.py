from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from maritime_hub.auth.dependencies import authenticated, require
from maritime_hub.auth.roles import ADMIN
from maritime_hub.auth.service import Principal
from maritime_hub.db.deps import DbSession
from maritime_hub.orgs import schemas, service
from maritime_hub.orgs.models import OrgKind
from maritime_hub.orgs.repository import OrganisationRepository

router = APIRouter(prefix="/organisations", tags=["organisations"])


@router.get("", response_model=list[schemas.Organisation], dependencies=[Depends(authenticated)])
def list_organisations(session: DbSession, kind: OrgKind | None = None):
    """Organisations (committees, bureaus, courts, companies, agencies); any signed-in user."""
    return OrganisationRepository(session).list(kind)


@router.post("", response_model=schemas.Organisation, status_code=201)
def create_organisation(
    body: schemas.OrganisationCreate, session: DbSession, principal: Annotated[Principal, Depends(require(*ADMIN))]
):
    """Register an organisation (admin)."""
    return service.create(session, principal, body)

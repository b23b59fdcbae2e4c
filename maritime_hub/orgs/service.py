from __future__ import annotations

from sqlalchemy.orm import Session

from maritime_hub.audit.service import Actor, record, snapshot
from maritime_hub.errors import DuplicateIdentifier, ValidationFailed
from maritime_hub.messages import N_
from maritime_hub.orgs.models import Organisation
from maritime_hub.orgs.repository import OrganisationRepository
from maritime_hub.orgs.schemas import OrganisationCreate


def create(session: Session, actor: Actor, data: OrganisationCreate) -> Organisation:
    repo = OrganisationRepository(session)
    other = repo.by_name(data.name)
    if other is not None:
        raise DuplicateIdentifier(
            N_("organisation '{name}' already exists (id {org_id})"), name=data.name, org_id=other.id, field="name"
        )
    if data.parent_id is not None and repo.get(data.parent_id) is None:
        raise ValidationFailed(
            N_("parent organisation {org_id} does not exist"), org_id=data.parent_id, field="parent_id"
        )
    org = repo.add(Organisation(**data.model_dump()))
    record(session, actor, "organisation.create", "organisation", org.id, after=snapshot(org))
    return org

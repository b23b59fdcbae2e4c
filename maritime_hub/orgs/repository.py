from __future__ import annotations

from sqlalchemy import select

from maritime_hub.db.repository import RepositoryBase
from maritime_hub.orgs.models import Organisation, OrgKind


class OrganisationRepository(RepositoryBase[Organisation]):
    model = Organisation
    label = "organisation"

    def by_name(self, name: str) -> Organisation | None:
        return self.session.scalar(select(Organisation).where(Organisation.name == name))

    def by_name_order(self, kind: OrgKind | None = None) -> list[Organisation]:
        """Every organisation (of `kind`) in name order, as pick lists show them."""
        stmt = select(Organisation).order_by(Organisation.name)
        if kind is not None:
            stmt = stmt.where(Organisation.kind == kind)
        return list(self.session.scalars(stmt))

    def list(self, kind: OrgKind | None = None) -> list[Organisation]:
        stmt = select(Organisation).order_by(Organisation.kind, Organisation.name)
        if kind is not None:
            stmt = stmt.where(Organisation.kind == kind)
        return list(self.session.scalars(stmt))

"""Vessel queries: identifier lookups and fuzzy name search (pg_trgm)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Select, column, func, or_, select, table

from maritime_hub.db.repository import Page, RepositoryBase
from vessels.models import Vessel, VesselStatus, VesselType

# Crew tables by name: vessels may not import the crew domain (docs/architecture.md), yet the auditor's
# filters ask "which vessels have crew aboard now, and whose certificates run out".
_boarding = table(
    "boarding",
    column("person_id"),
    column("vessel_id"),
    column("embark_date", Date),
    column("disembark_date", Date),
)
_certificate = table("certificate", column("person_id"), column("expiry_date", Date))


def _aboard_on(on: date):
    return select(_boarding.c.vessel_id, _boarding.c.person_id).where(
        _boarding.c.embark_date <= on, or_(_boarding.c.disembark_date.is_(None), _boarding.c.disembark_date >= on)
    )


class VesselRepository(RepositoryBase[Vessel]):
    model = Vessel
    label = "vessel"

    def active_with(self, column: str, value: str, exclude_id: int | None = None) -> Vessel | None:
        col = getattr(Vessel, column)
        stmt = select(Vessel).where(col == value, Vessel.status == VesselStatus.active)
        if exclude_id is not None:
            stmt = stmt.where(Vessel.id != exclude_id)
        return self.session.scalar(stmt.limit(1))

    def by_mmsi(self, mmsi: str) -> Vessel | None:
        """The active vessel with this MMSI, else the most recent one."""
        stmt = (
            select(Vessel)
            .where(Vessel.mmsi == mmsi)
            .order_by((Vessel.status == VesselStatus.active).desc(), Vessel.updated_at.desc())
            .limit(1)
        )
        return self.session.scalar(stmt)

    def search_stmt(
        self,
        q: str | None = None,
        *,
        owner_id: int | None = None,
        vessel_type: VesselType | None = None,
        port: str | None = None,
        distant_water: bool | None = None,
        status: VesselStatus | None = None,
        registered: bool | None = None,
        company_id: int | None = None,
        crew_aboard: bool | None = None,
        crew_certificates_until: date | None = None,
        on: date | None = None,
    ) -> Select:
        stmt = select(Vessel)
        on = on or date.today()
        if owner_id is not None:
            stmt = stmt.where(Vessel.owner_id == owner_id)
        if company_id is not None:
            stmt = stmt.where(or_(Vessel.owner_id == company_id, Vessel.operator_id == company_id))
        if crew_aboard is not None:
            aboard = Vessel.id.in_(_aboard_on(on).with_only_columns(_boarding.c.vessel_id))
            stmt = stmt.where(aboard if crew_aboard else ~aboard)
        if crew_certificates_until is not None:
            # Vessels with someone aboard on `on` whose certificate has expired or expires by then.
            aboard = _aboard_on(on).subquery()
            expiring = (
                select(aboard.c.vessel_id)
                .join(_certificate, _certificate.c.person_id == aboard.c.person_id)
                .where(_certificate.c.expiry_date <= crew_certificates_until)
            )
            stmt = stmt.where(Vessel.id.in_(expiring))
        if vessel_type is not None:
            stmt = stmt.where(Vessel.vessel_type == vessel_type)
        if port:
            stmt = stmt.where(Vessel.port_of_registry.ilike(f"%{port}%"))
        if distant_water is not None:
            stmt = stmt.where(Vessel.distant_water.is_(distant_water))
        if status is not None:
            stmt = stmt.where(Vessel.status == status)
        if registered is not None:
            stmt = stmt.where(Vessel.registered.is_(registered))
        q = (q or "").strip()
        if not q:
            return stmt.order_by(Vessel.name_zh.collate("zh-Hans-x-icu").asc().nulls_last(), Vessel.id)
        like = f"%{q}%"
        ident = q.upper().replace(" ", "")
        names = func.greatest(
            func.coalesce(func.word_similarity(q, Vessel.name_zh), 0),
            func.coalesce(func.word_similarity(q, Vessel.name_en), 0),
            func.coalesce(func.word_similarity(q, Vessel.ais_name), 0),
        )
        # coalesce: a NULL identifier must rank as "no", not sort first.
        exact = func.coalesce(
            or_(
                Vessel.mmsi == ident,
                Vessel.imo == ident.removeprefix("IMO"),
                func.upper(Vessel.call_sign) == ident,
                func.upper(Vessel.registration_number) == ident,
                func.upper(Vessel.fishing_licence_number) == ident,
            ),
            False,
        )
        in_name = func.coalesce(
            or_(Vessel.name_zh.ilike(like), Vessel.name_en.ilike(like), Vessel.ais_name.ilike(like)), False
        )
        stmt = stmt.where(
            or_(
                exact,
                Vessel.mmsi.startswith(ident),
                Vessel.imo.startswith(ident),
                Vessel.name_zh.ilike(like),
                Vessel.name_en.ilike(like),
                Vessel.ais_name.ilike(like),
                Vessel.call_sign.ilike(like),
                Vessel.registration_number.ilike(like),
                Vessel.fishing_licence_number.ilike(like),
                names > 0.4,
            )
        )
        # Exact identifier hits first, then names containing the text, then fuzzy matches.
        return stmt.order_by(exact.desc(), in_name.desc(), names.desc(), Vessel.name_zh, Vessel.id)

    def search(self, q: str | None, page: int, page_size: int, **filters) -> Page[Vessel]:
        return self.paginate(self.search_stmt(q, **filters), page, page_size)

    def names(self, ids: set[int]) -> dict[int, str]:
        """Display names by id, for pages that list vessels by reference (crew boardings)."""
        if not ids:
            return {}
        return {v.id: v.display_name for v in self.session.scalars(select(Vessel).where(Vessel.id.in_(ids)))}

"""Vessel queries: identifier lookups and fuzzy name search (pg_trgm)."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select

from maritime_hub.db.repository import Page, RepositoryBase
from vessels.models import Vessel, VesselStatus, VesselType


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
    ) -> Select:
        stmt = select(Vessel)
        if owner_id is not None:
            stmt = stmt.where(Vessel.owner_id == owner_id)
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

from __future__ import annotations

from fastapi import APIRouter, Query

from maritime_hub.db.deps import DbSession
from maritime_hub.orgs.models import Organisation
from maritime_hub.types import Id, PageNo
from vessels import schemas, service
from vessels.ais import service as ais_service
from vessels.auth import RegistryReader, RegistryWriter
from vessels.models import Vessel, VesselStatus, VesselType
from vessels.repository import VesselRepository

router = APIRouter(prefix="/vessels", tags=["vessels"])


def detail(session, vessel: Vessel) -> schemas.VesselDetail:

    out = schemas.VesselDetail.model_validate(vessel)
    for field in ("owner", "operator"):
        org_id = getattr(vessel, f"{field}_id")
        if org_id:
            org = session.get(Organisation, org_id)
            setattr(out, f"{field}_name", org.name if org else None)
    out.ais_differences = service.ais_differences(vessel)
    last = ais_service.last_position(session, vessel.mmsi)
    out.ais_last_position_at = last["ts"] if last else None
    return out


@router.get("", response_model=schemas.VesselPage)
def search_vessels(
    session: DbSession,
    _: RegistryReader,
    q: str | None = Query(None, description="MMSI, IMO, call sign, registration or licence number, or a name (fuzzy)"),
    owner_id: Id | None = None,
    vessel_type: VesselType | None = None,
    port: str | None = None,
    distant_water: bool | None = None,
    status: VesselStatus | None = None,
    registered: bool | None = None,
    page: PageNo = 1,
    page_size: int = Query(25, ge=1, le=200),
):
    """Search the vessel registry by any identifier or by name, with filters and pagination."""
    p = VesselRepository(session).search(
        q,
        page,
        page_size,
        owner_id=owner_id,
        vessel_type=vessel_type,
        port=port,
        distant_water=distant_water,
        status=status,
        registered=registered,
    )
    return schemas.VesselPage(items=p.items, total=p.total, page=p.page, page_size=p.page_size)


@router.post("", response_model=schemas.VesselDetail, status_code=201)
def create_vessel(body: schemas.VesselCreate, session: DbSession, principal: RegistryWriter):
    """Register a vessel. 409 when an active vessel already has the MMSI or IMO number."""
    return detail(session, service.create(session, principal, body))


@router.get("/{vessel_id}", response_model=schemas.VesselDetail)
def get_vessel(vessel_id: Id, session: DbSession, _: RegistryReader):
    """One vessel, with where AIS and the registry disagree."""
    return detail(session, VesselRepository(session).get_or_404(vessel_id))


@router.patch("/{vessel_id}", response_model=schemas.VesselDetail)
def update_vessel(vessel_id: Id, body: schemas.VesselUpdate, session: DbSession, principal: RegistryWriter):
    """Change registry fields (only those sent)."""
    return detail(session, service.update(session, principal, vessel_id, body))

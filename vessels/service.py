"""Vessel registry rules. Every write records an audit event in the same transaction."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from maritime_hub.audit.service import Actor, changes, record, snapshot
from maritime_hub.errors import DuplicateIdentifier, ValidationFailed
from maritime_hub.messages import N_
from maritime_hub.orgs.models import Organisation
from vessels.models import Vessel, VesselStatus
from vessels.repository import VesselRepository
from vessels.schemas import AisDifference, VesselCreate, VesselUpdate
from vessels.validation import mid_mismatch

UNIQUE_AMONG_ACTIVE = ("mmsi", "imo")


def _check_orgs(session: Session, data: dict) -> None:
    for field in ("owner_id", "operator_id"):
        if data.get(field) is not None and session.get(Organisation, data[field]) is None:
            raise ValidationFailed(N_("organisation {org_id} does not exist"), org_id=data[field], field=field)


def _check_unique(repo: VesselRepository, values: dict, exclude_id: int | None) -> None:
    if values.get("status", VesselStatus.active) != VesselStatus.active:
        return
    for field in UNIQUE_AMONG_ACTIVE:
        value = values.get(field)
        if not value:
            continue
        other = repo.active_with(field, value, exclude_id)
        if other is not None:
            raise DuplicateIdentifier(
                N_(
                    "{kind} {value} already belongs to active vessel {name} (id {vessel_id}); mark that vessel laid up or "
                    "scrapped first, or correct the number"
                ),
                kind=field.upper(),
                value=value,
                name=other.display_name,
                vessel_id=other.id,
                field=field,
                details={"other_vessel_id": other.id, "other_vessel_name": other.display_name},
            )


def _check_mid(mmsi: str | None, flag_state: str | None) -> None:
    """ITU-R M.585: an MMSI's first three digits (the MID) are the flag state's."""
    problem = mid_mismatch(mmsi, flag_state)
    if problem is not None:
        raise ValidationFailed(problem, field="mmsi")


def create(session: Session, actor: Actor, data: VesselCreate) -> Vessel:
    repo = VesselRepository(session)
    values = data.model_dump()
    _check_mid(values.get("mmsi"), values["flag_state"])
    _check_orgs(session, values)
    _check_unique(repo, values, None)
    vessel = repo.add(Vessel(**values, registered=True))
    record(session, actor, "vessel.create", "vessel", vessel.id, after=snapshot(vessel))
    return vessel


def update(session: Session, actor: Actor, vessel_id: int, data: VesselUpdate) -> Vessel:
    repo = VesselRepository(session)
    vessel = repo.get_or_404(vessel_id)
    before = snapshot(vessel)
    patch = data.model_dump(exclude_unset=True)
    for field in ("flag_state", "vessel_type", "distant_water", "status"):
        if field in patch and patch[field] is None:
            raise ValidationFailed(N_("{field_name} cannot be empty"), field_name=field, field=field)
    if "mmsi" in patch or "flag_state" in patch:
        _check_mid(patch.get("mmsi", vessel.mmsi), patch.get("flag_state", vessel.flag_state))
    _check_orgs(session, patch)
    merged = {f: getattr(vessel, f) for f in ("mmsi", "imo", "status")} | {
        k: v for k, v in patch.items() if k in ("mmsi", "imo", "status")
    }
    _check_unique(repo, merged, vessel.id)
    for key, value in patch.items():
        setattr(vessel, key, value)
    if patch:
        # Editing a vessel through the registry makes it a registry-verified record.
        vessel.registered = True
    session.flush()
    b, a = changes(before, snapshot(vessel))
    if a:
        record(session, actor, "vessel.update", "vessel", vessel.id, before=b, after=a)
    return vessel


def _norm(v: object) -> str | None:
    if v is None:
        return None
    s = " ".join(str(v).upper().split())
    return s or None


def _norm_ais_text(v: object) -> str | None:
    """A name or call sign as AIS can carry it: 6-bit upper case, often without spaces, padded
    with '@'. So "ZHE PU YU 40216" and "ZHEPUYU40216@@@@" are the same name."""
    if v is None:
        return None
    s = "".join(str(v).replace("@", " ").upper().split())
    return s or None


# How each field is compared: names and call signs as AIS text, the IMO number as written.
_COMPARE = {"name": _norm_ais_text, "call_sign": _norm_ais_text, "imo": _norm}


def _across(a: int | None, b: int | None) -> int | None:
    """The sum of two AIS reference-point distances (whole metres); None when either or both are not given."""
    return None if a is None or b is None else (a + b) or None


def ais_length(vessel: Vessel) -> int | None:
    """Length from the AIS reference-point distances: bow + stern."""
    return _across(vessel.ais_to_bow, vessel.ais_to_stern)


def ais_beam(vessel: Vessel) -> int | None:
    """Beam from the AIS reference-point distances: port + starboard."""
    return _across(vessel.ais_to_port, vessel.ais_to_starboard)


def ais_differences(vessel: Vessel) -> list[AisDifference]:
    """Where AIS reports something other than the registry (shown on the vessel page)."""
    out = []
    for field, reg, ais in (
        ("name", vessel.name_en, vessel.ais_name),
        ("call_sign", vessel.call_sign, vessel.ais_call_sign),
        ("imo", vessel.imo, vessel.ais_imo),
    ):
        if ais is None or reg is None:
            continue
        norm = _COMPARE[field]
        if norm(ais) is not None and norm(reg) != norm(ais):
            out.append(AisDifference(field=field, registry=str(reg), ais=str(ais)))
    ais_len = ais_length(vessel)
    # AIS dimensions are whole metres: flag only differences over 2 m.
    if vessel.length_overall_m is not None and ais_len and abs(float(vessel.length_overall_m) - ais_len) > 2:
        # 50.00 in the registry reads "50", 86.50 "86.5".
        registry = format(Decimal(str(vessel.length_overall_m)).normalize(), "f")
        out.append(AisDifference(field="length_m", registry=registry, ais=str(ais_len)))
    return out

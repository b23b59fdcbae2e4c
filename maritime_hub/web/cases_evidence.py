"""Evidence on the case page: upload a file (the case's parties, coordinator and mediators — the
rules of mediation/cases/evidence.py), and, for staff, link frozen AIS evidence: a recent record,
or a new one frozen here for a vessel involved and a time window (track, CPA between two vessels
involved, AIS gaps; vessels/ais/evidence.py). AIS items show their SVG map through a case-scoped
route, so a party of the case sees the map without AIS registry rights."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from maritime_hub.config import get_settings
from maritime_hub.db.deps import DbSession
from maritime_hub.errors import NotFound, ValidationFailed
from maritime_hub.messages import N_
from maritime_hub.types import Id
from maritime_hub.web import case_page
from maritime_hub.web.forms import PostedForm
from maritime_hub.web.render import locale_for
from mediation.cases import access, evidence, schemas
from mediation.cases.auth import CaseEvidenceWriter, CaseFileWriter, CaseReader
from mediation.cases.repository import CaseRepository
from vessels.ais import evidence as ais_evidence
from vessels.repository import VesselRepository

router = APIRouter(prefix="/cases", include_in_schema=False)
AIS_KINDS = ("track", "cpa", "gaps")


def _local_time(value: str, field: str) -> datetime:
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(N_("give a date and time, e.g. 2026-11-20T08:00"), field=field) from None
    return dt if dt.tzinfo else dt.replace(tzinfo=ZoneInfo(get_settings().timezone))  # China Standard Time


@router.post("/{case_id:int}/evidence")
def upload(request: Request, form: PostedForm, case_id: Id, session: DbSession, principal: CaseEvidenceWriter):
    upload_file = form.get("file")
    description = str(form.get("description", "")).strip() or None
    if upload_file is None or isinstance(upload_file, str) or not upload_file.filename:
        return case_page.act(
            request,
            session,
            principal,
            case_id,
            case_page.refuse(case_page.page_text(request, "choose the file to upload"), "file"),
        )
    return case_page.act(
        request,
        session,
        principal,
        case_id,
        lambda: evidence.add_file(
            session,
            principal,
            case_id,
            upload_file.filename or "",
            upload_file.content_type,
            upload_file.file,
            description,
        ),
    )


@router.post("/{case_id:int}/evidence/ais")
def link_ais(request: Request, form: PostedForm, case_id: Id, session: DbSession, principal: CaseFileWriter):
    aid = case_page.to_int(str(form.get("ais_evidence_id", "")))
    if aid is None:
        return case_page.act(
            request,
            session,
            principal,
            case_id,
            case_page.refuse(case_page.page_text(request, "choose the AIS evidence to link"), "ais_evidence_id"),
        )
    body = schemas.AisEvidenceLink(ais_evidence_id=aid, description=str(form.get("description", "")).strip() or None)
    return case_page.act(
        request, session, principal, case_id, lambda: evidence.link_ais(session, principal, case_id, body)
    )


@router.post("/{case_id:int}/evidence/ais/new")
def freeze_and_link(request: Request, form: PostedForm, case_id: Id, session: DbSession, principal: CaseFileWriter):
    """Freeze a track / CPA / gap analysis of vessels involved in the case and link it."""
    values = {
        k: str(form.get(k, "")).strip() for k in ("kind", "vessel_id", "other_vessel_id", "start", "end", "description")
    }

    def action() -> None:
        case = CaseRepository(session).load(case_id, full=True)
        access.require_write(principal, case)  # checked before anything is frozen
        kind = values["kind"] if values["kind"] in AIS_KINDS else "track"
        mmsis = [_mmsi(session, case, values["vessel_id"], "vessel_id")]
        if kind == "cpa":
            mmsis.append(_mmsi(session, case, values["other_vessel_id"], "other_vessel_id"))
        start, end = _local_time(values["start"], "start"), _local_time(values["end"], "end")
        frozen = ais_evidence.freeze(session, principal, kind, mmsis, start, end)  # type: ignore[arg-type]
        evidence.link_ais(
            session,
            principal,
            case_id,
            schemas.AisEvidenceLink(ais_evidence_id=frozen.id, description=values["description"] or None),
        )

    return case_page.act(request, session, principal, case_id, action)


def _mmsi(session: Session, case: Any, vessel_id: str, field: str) -> int:
    vid = case_page.to_int(vessel_id)
    if vid is None or vid not in {v.vessel_id for v in case.vessels}:
        raise ValidationFailed(N_("choose a vessel involved in the case"), field=field)
    vessel = VesselRepository(session).get(vid)
    mmsi = vessel.mmsi if vessel else None
    if not mmsi or not mmsi.isdigit():
        raise ValidationFailed(N_("this vessel has no MMSI in the registry: no AIS track can be found"), field=field)
    return int(mmsi)


@router.get("/{case_id:int}/evidence/{evidence_id:int}/map.svg")
def ais_map(case_id: Id, evidence_id: Id, request: Request, session: DbSession, principal: CaseReader):
    """The SVG map of AIS evidence linked to this case, for whoever may read the case."""
    case = CaseRepository(session).load(case_id)
    access.require_read(principal, case)
    ev = CaseRepository(session).evidence(evidence_id)
    if ev is None or ev.case_id != case.id or ev.ais_evidence_id is None:
        raise NotFound(N_("case {case_id} has no AIS evidence {evidence_id}"), case_id=case_id, evidence_id=evidence_id)
    # Drawn afresh from the frozen record in the page's language (the record itself never changes).
    locale = locale_for(request)
    svg = ais_evidence.map_svg(session, ev.ais_evidence_id, locale)
    return Response(
        svg,
        media_type="image/svg+xml",
        headers={
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
            "Cache-Control": "private, max-age=3600",
            "Vary": "Cookie, Accept-Language",
            "Content-Language": "zh-CN" if locale == "zh_CN" else "en",
        },
    )

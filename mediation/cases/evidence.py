"""Evidence in a case: uploaded files kept under their SHA-256 (maritime_hub/files.py), and links to
frozen AIS evidence (ais_evidence). Parties may upload to their own cases; staff may also link AIS
evidence. Nothing is added once the case is archived."""

from __future__ import annotations

from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from maritime_hub import files
from maritime_hub.audit.service import record, snapshot
from maritime_hub.auth.service import Principal
from maritime_hub.errors import NotFound, ValidationFailed
from maritime_hub.messages import N_
from mediation.cases import access, errors, schemas
from mediation.cases.enums import EvidenceKind
from mediation.cases.models import Case, CaseEvidence
from mediation.cases.repository import CaseRepository
from mediation.cases.service import caller_party
from mediation.cases.states import State
from vessels.ais.models import AisEvidence


def _open_case(session: Session, principal: Principal, case_id: int, *, staff: bool) -> Case:
    """The case, if the caller may add evidence to it: staff (access.require_write) or, for files,
    a party of the case; 409 once it is archived."""
    case = CaseRepository(session).load(case_id, full=True)
    if staff or caller_party(case, principal) is None:
        access.require_write(principal, case)
    if case.state == State.CLOSED:
        raise errors.CaseArchived(
            N_("case {number} is closed and archived (PML 27): no evidence can be added"), number=case.number
        )
    return case


def add_file(
    session: Session,
    principal: Principal,
    case_id: int,
    filename: str,
    content_type: str | None,
    stream: BinaryIO,
    description: str | None,
) -> CaseEvidence:
    case = _open_case(session, principal, case_id, staff=False)
    party = caller_party(case, principal)
    stored = files.put(stream)
    if stored.size == 0:
        raise ValidationFailed(N_("the uploaded file is empty"), field="file")
    ev = CaseEvidence(
        case_id=case.id,
        kind=EvidenceKind.file,
        file_sha256=stored.sha256,
        file_name=(filename or "evidence")[:200],
        file_size=stored.size,
        file_content_type=(content_type or "application/octet-stream")[:100],
        description=description,
        party_id=party.id if party else None,
        added_by_id=principal.user_id,
    )
    session.add(ev)
    session.flush()
    record(session, principal, "case.evidence.add", "mediation_case", case.id, after=snapshot(ev))
    return ev


def link_ais(session: Session, principal: Principal, case_id: int, data: schemas.AisEvidenceLink) -> CaseEvidence:
    case = _open_case(session, principal, case_id, staff=True)
    if session.get(AisEvidence, data.ais_evidence_id) is None:
        raise ValidationFailed(
            N_("AIS evidence {evidence_id} does not exist"), evidence_id=data.ais_evidence_id, field="ais_evidence_id"
        )
    if session.scalar(
        select(CaseEvidence.id).where(
            CaseEvidence.case_id == case.id, CaseEvidence.ais_evidence_id == data.ais_evidence_id
        )
    ):
        raise errors.AlreadyLinked(
            N_("AIS evidence {evidence_id} is already in case {number}"),
            evidence_id=data.ais_evidence_id,
            number=case.number,
            field="ais_evidence_id",
        )
    ev = CaseEvidence(
        case_id=case.id,
        kind=EvidenceKind.ais,
        ais_evidence_id=data.ais_evidence_id,
        description=data.description,
        added_by_id=principal.user_id,
    )
    session.add(ev)
    session.flush()
    record(session, principal, "case.evidence.add", "mediation_case", case.id, after=snapshot(ev))
    return ev


def file_of(session: Session, principal: Principal, case_id: int, evidence_id: int) -> tuple[CaseEvidence, str]:
    case = CaseRepository(session).load(case_id)
    access.require_read(principal, case)
    ev = session.get(CaseEvidence, evidence_id)
    if ev is None or ev.case_id != case.id or not ev.file_sha256:
        raise NotFound(
            N_("case {case_id} has no evidence file {evidence_id}"), case_id=case_id, evidence_id=evidence_id
        )
    return ev, str(files.path_for(ev.file_sha256))

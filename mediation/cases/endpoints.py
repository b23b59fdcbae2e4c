"""Dispute case API: intake, lists, the case page, state transitions, parties, vessels, crew,
panel members and evidence. Role gates here; which case a caller may touch is checked per case."""

from __future__ import annotations

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import FileResponse

from maritime_hub.db.deps import DbSession
from maritime_hub.files import download
from maritime_hub.types import Id, PageNo
from mediation.cases import access, detail, evidence, schemas, service, unlink, workflow
from mediation.cases.auth import CaseActor, CaseEvidenceWriter, CaseFileWriter, CaseIntake, CaseReader
from mediation.cases.enums import DisputeType, Grade
from mediation.cases.repository import CaseRepository
from mediation.cases.states import State

router = APIRouter(prefix="/cases", tags=["cases"])


@router.get("/lifecycle", response_model=schemas.Lifecycle)
def lifecycle(_: CaseReader):
    """Every state (with its Chinese label) and every transition: who may take it, its payload, its
    preconditions and effects, and its legal basis."""
    return workflow.lifecycle()


@router.get("", response_model=schemas.CasePage)
def list_cases(
    session: DbSession,
    principal: CaseReader,
    state: State | None = None,
    dispute_type: DisputeType | None = None,
    grade: Grade | None = None,
    vessel_id: Id | None = None,
    organisation_id: Id | None = None,
    page: PageNo = 1,
    page_size: int = Query(25, ge=1, le=200),
):
    """The cases the caller may see (a party: only their own), newest first, with filters."""
    p = CaseRepository(session).search(
        access.visible(principal),
        page,
        page_size,
        state=state,
        dispute_type=dispute_type,
        grade=grade,
        vessel_id=vessel_id,
        organisation_id=organisation_id,
    )
    return schemas.CasePage(
        items=[detail.summary(c) for c in p.items], total=p.total, page=p.page, page_size=p.page_size
    )


@router.post("", response_model=schemas.CaseDetail, status_code=201)
def create_case(body: schemas.CaseCreate, session: DbSession, principal: CaseIntake):
    """Register a dispute (受理登记): numbered per organisation and year. Possible duplicates (same vessel
    or person, incident within 7 days) come back in suggested_links; nothing is merged."""
    case = service.create_case(session, principal, body)
    return detail.present(session, principal, case.id)


@router.get("/{case_id:int}", response_model=schemas.CaseDetail)
def get_case(case_id: Id, session: DbSession, principal: CaseReader):
    """The case with parties, vessels, crew, evidence, timeline, live deadlines and the caller's next steps."""
    return detail.present(session, principal, case_id)


@router.post("/{case_id:int}/transitions", response_model=schemas.CaseDetail)
def transition(case_id: Id, body: schemas.TransitionRequest, session: DbSession, principal: CaseActor):
    """Move the case: ``{"to": "<STATE>", ...payload}``. 409 when the step is not possible from the
    current state or a precondition fails, with the reason and what to do instead."""
    workflow.transition(session, principal, case_id, body)
    return detail.present(session, principal, case_id)


@router.post("/{case_id:int}/parties", response_model=schemas.CaseDetail, status_code=201)
def add_party(case_id: Id, body: schemas.PartyCreate, session: DbSession, principal: CaseFileWriter):
    """Add an applicant or respondent: a registry person, an organisation or a free-text person."""
    service.add_party(session, principal, case_id, body)
    return detail.present(session, principal, case_id)


@router.patch("/{case_id:int}/parties/{party_id}", response_model=schemas.CaseDetail)
def update_party(case_id: Id, party_id: Id, body: schemas.PartyUpdate, session: DbSession, principal: CaseFileWriter):
    """Link a party's platform account, or record their agent (only the fields sent)."""
    service.update_party(session, principal, case_id, party_id, body)
    return detail.present(session, principal, case_id)


@router.delete("/{case_id:int}/parties/{party_id}", response_model=schemas.CaseDetail)
def remove_party(case_id: Id, party_id: Id, session: DbSession, principal: CaseFileWriter):
    """Take a party off the case (before an agreement is signed; a case keeps one applicant)."""
    unlink.remove_party(session, principal, case_id, party_id)
    return detail.present(session, principal, case_id)


@router.post("/{case_id:int}/vessels", response_model=schemas.CaseDetail, status_code=201)
def add_vessel(case_id: Id, body: schemas.CaseVesselCreate, session: DbSession, principal: CaseFileWriter):
    """Link a vessel involved in the dispute."""
    service.add_vessel(session, principal, case_id, body)
    return detail.present(session, principal, case_id)


@router.delete("/{case_id:int}/vessels/{vessel_id}", response_model=schemas.CaseDetail)
def remove_vessel(case_id: Id, vessel_id: Id, session: DbSession, principal: CaseFileWriter):
    """Unlink a vessel (by its registry id) from the case, before an agreement is signed."""
    unlink.remove_vessel(session, principal, case_id, vessel_id)
    return detail.present(session, principal, case_id)


@router.post("/{case_id:int}/crew", response_model=schemas.CaseDetail, status_code=201)
def add_crew(case_id: Id, body: schemas.CaseCrewCreate, session: DbSession, principal: CaseFileWriter):
    """Link a crew member involved (optionally the boarding concerned)."""
    service.add_crew(session, principal, case_id, body)
    return detail.present(session, principal, case_id)


@router.delete("/{case_id:int}/crew/{person_id}", response_model=schemas.CaseDetail)
def remove_crew(case_id: Id, person_id: Id, session: DbSession, principal: CaseFileWriter):
    """Unlink a crew member (by their registry id) from the case, before an agreement is signed."""
    unlink.remove_crew(session, principal, case_id, person_id)
    return detail.present(session, principal, case_id)


@router.post("/{case_id:int}/members", response_model=schemas.CaseDetail, status_code=201)
def add_member(case_id: Id, body: schemas.MemberCreate, session: DbSession, principal: CaseFileWriter):
    """Add a joint-panel member (3+X: judge, chief mediator, legal-aid lawyer, departments) or an expert."""
    service.add_member(session, principal, case_id, body)
    return detail.present(session, principal, case_id)


@router.post("/{case_id:int}/evidence", response_model=schemas.Evidence, status_code=201)
def upload_evidence(
    case_id: Id,
    session: DbSession,
    principal: CaseEvidenceWriter,
    file: UploadFile = File(...),
    description: str | None = Form(None, max_length=4000),
):
    """Upload an evidence file (stored by SHA-256)."""
    return evidence.add_file(
        session, principal, case_id, file.filename or "", file.content_type, file.file, description
    )


@router.post("/{case_id:int}/evidence/ais", response_model=schemas.Evidence, status_code=201)
def link_ais_evidence(case_id: Id, body: schemas.AisEvidenceLink, session: DbSession, principal: CaseFileWriter):
    """Link frozen AIS evidence (track, CPA, gaps) to the case."""
    return evidence.link_ais(session, principal, case_id, body)


@router.get("/{case_id:int}/evidence/{evidence_id}/file", response_class=FileResponse)
def download_evidence(case_id: Id, evidence_id: Id, session: DbSession, principal: CaseReader):
    """Download an evidence file."""
    ev, path = evidence.file_of(session, principal, case_id, evidence_id)
    return download(path, ev.file_name, ev.file_content_type)

from __future__ import annotations

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import FileResponse

from crew import schemas, service
from crew.auth import RegistryReader, RegistryWriter
from crew.repository import PersonRepository
from maritime_hub.db.deps import DbSession
from maritime_hub.files import download
from maritime_hub.types import Day, Id, PageNo

router = APIRouter(prefix="/crew", tags=["crew"])


@router.get("", response_model=schemas.PersonPage)
def search_crew(
    session: DbSession,
    _: RegistryReader,
    q: str | None = Query(None, description="name (fuzzy, Chinese or Latin), document number or phone"),
    nationality: str | None = Query(None, pattern=r"^[A-Za-z]{2}$"),
    vessel_id: Id | None = None,
    on: Day | None = Query(None, description="with vessel_id: aboard on this date"),
    page: PageNo = 1,
    page_size: int = Query(25, ge=1, le=200),
):
    """Search crew by name, identity document or phone; filter by nationality or vessel."""
    p = PersonRepository(session).search(q, page, page_size, nationality=nationality, vessel_id=vessel_id, on=on)
    warnings = service.list_warnings(session, p.items)
    items = [service.person_out(x).model_copy(update={"warnings": warnings[x.id]}) for x in p.items]
    return schemas.PersonPage(items=items, total=p.total, page=p.page, page_size=p.page_size)


@router.get("/on-board", response_model=list[schemas.OnBoard])
def on_board(session: DbSession, _: RegistryReader, vessel_id: Id, on: Day):
    """Who was on vessel X on date D."""
    rows = PersonRepository(session).on_board(vessel_id, on)
    return [
        schemas.OnBoard(person=service.person_out(p, on=on), boarding=schemas.Boarding.model_validate(b))
        for p, b in rows
    ]


@router.get("/certificates/expiring", response_model=list[schemas.Certificate])
def expiring_certificates(session: DbSession, _: RegistryReader, days: int = Query(30, ge=0, le=365)):
    """Certificates expired or expiring within the given days."""
    return service.expiring(session, days)


@router.post("", response_model=schemas.PersonDetail, status_code=201)
def create_person(body: schemas.PersonCreate, session: DbSession, principal: RegistryWriter):
    """Register a person (crew member or party), with identity documents."""
    return service.person_out(service.create_person(session, principal, body), detail=True)


@router.get("/{person_id:int}", response_model=schemas.PersonDetail)
def get_person(person_id: Id, session: DbSession, _: RegistryReader):
    """One person with documents, certificates (expiry flagged), agreements and boardings."""
    return service.person_out(PersonRepository(session).detail(person_id), detail=True)


@router.patch("/{person_id:int}", response_model=schemas.PersonDetail)
def update_person(person_id: Id, body: schemas.PersonUpdate, session: DbSession, principal: RegistryWriter):
    """Change a person's fields (only those sent)."""
    service.update_person(session, principal, person_id, body)
    return service.person_out(PersonRepository(session).detail(person_id), detail=True)


@router.post("/{person_id:int}/documents", response_model=schemas.IdentityDocument, status_code=201)
def add_document(person_id: Id, body: schemas.IdentityDocumentCreate, session: DbSession, principal: RegistryWriter):
    """Add an identity document (resident ID checked per GB 11643, passport, 海员证)."""
    return service.add_document(session, principal, person_id, body)


@router.post("/{person_id:int}/certificates", response_model=schemas.Certificate, status_code=201)
def add_certificate(person_id: Id, body: schemas.CertificateCreate, session: DbSession, principal: RegistryWriter):
    """Add a certificate; its status says valid, expiring (30 days) or expired."""
    return service.add_certificate(session, principal, person_id, body)


@router.put("/certificates/{certificate_id}", response_model=schemas.Certificate)
def update_certificate(
    certificate_id: Id, body: schemas.CertificateCreate, session: DbSession, principal: RegistryWriter
):
    """Correct or renew a certificate: every field is replaced by the body's."""
    return service.update_certificate(session, principal, certificate_id, body)


@router.post("/{person_id:int}/agreements", response_model=schemas.WorkAgreement, status_code=201)
def add_agreement(person_id: Id, body: schemas.WorkAgreementCreate, session: DbSession, principal: RegistryWriter):
    """Record a work agreement (employer, vessel, position, wage terms)."""
    return service.add_agreement(session, principal, person_id, body)


@router.put("/agreements/{agreement_id}", response_model=schemas.WorkAgreement)
def update_agreement(
    agreement_id: Id, body: schemas.WorkAgreementCreate, session: DbSession, principal: RegistryWriter
):
    """Correct an agreement's terms: every field is replaced by the body's (the signed file stays)."""
    return service.update_agreement(session, principal, agreement_id, body)


@router.put("/agreements/{agreement_id}/file", response_model=schemas.WorkAgreement)
def upload_agreement_file(
    agreement_id: Id, session: DbSession, principal: RegistryWriter, file: UploadFile = File(...)
):
    """Upload the signed agreement (stored by SHA-256)."""
    return service.attach_agreement_file(
        session, principal, agreement_id, file.filename or "", file.content_type, file.file
    )


@router.get("/agreements/{agreement_id}/file", response_class=FileResponse)
def download_agreement_file(agreement_id: Id, session: DbSession, _: RegistryReader):
    """Download the signed agreement file."""
    agreement, path = service.agreement_file(session, agreement_id)
    return download(path, agreement.file_name, agreement.file_content_type)


@router.post("/{person_id:int}/boardings", response_model=schemas.Boarding, status_code=201)
def add_boarding(person_id: Id, body: schemas.BoardingCreate, session: DbSession, principal: RegistryWriter):
    """Record an embarkation (and disembarkation when known)."""
    boarding, _warnings = service.add_boarding(session, principal, person_id, body)
    return boarding


@router.patch("/boardings/{boarding_id}", response_model=schemas.Boarding)
def update_boarding(boarding_id: Id, body: schemas.BoardingUpdate, session: DbSession, principal: RegistryWriter):
    """Record a disembarkation or correct a boarding."""
    return service.update_boarding(session, principal, boarding_id, body)

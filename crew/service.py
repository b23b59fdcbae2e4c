"""Crew registry rules. Every write records an audit event in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from crew import schemas
from crew.errors import BoardingOverlap
from crew.models import Boarding, Certificate, IdentityDocument, Person, WorkAgreement
from crew.repository import PersonRepository
from crew.validation import age_on, certificate_age_problem, check_document
from maritime_hub import files
from maritime_hub.audit.service import Actor, changes, record, snapshot
from maritime_hub.errors import DuplicateIdentifier, NotFound, ValidationFailed
from maritime_hub.messages import N_, Label
from maritime_hub.orgs.models import Organisation

EXPIRY_WARNING_DAYS = 30


def today() -> date:
    return date.today()


# -- warnings ------------------------------------------------------------------
def age_warnings(dob: date | None, on: date) -> list[schemas.Warning]:
    """AGE-01 (C188 Art 9): minimum age 16; under 18 only for non-hazardous work. Warnings, not errors:
    the registry must hold the record so an auditor can act on it."""
    if dob is None:
        return []
    age = age_on(dob, on)
    if age < 16:
        return [
            schemas.Warning(
                code="AGE-01",
                severity="C",
                message=f"fisher is {age}, under the minimum age of 16 (C188 Art 9)",
                params={"age": age},
            )
        ]
    if age < 18:
        return [
            schemas.Warning(
                code="AGE-01",
                severity="H",
                message=f"fisher is {age}, under 18: no hazardous work or night duty (C188 Art 9)",
                params={"age": age},
            )
        ]
    return []


def certificate_status(cert: Certificate, on: date) -> str:
    if cert.expiry_date is None:
        return "no_expiry"
    if cert.expiry_date < on:
        return "expired"
    if cert.expiry_date <= on + timedelta(days=EXPIRY_WARNING_DAYS):
        return "expiring"
    return "valid"


def cert_warning(c: Certificate, status: str) -> schemas.Warning:
    return schemas.Warning(
        code="CERT",
        severity="H" if status == "expired" else "M",
        message=f"{c.cert_type.value} certificate {c.number or ''} {status} ({c.expiry_date})",
        params={"cert_type": c.cert_type.value, "status": status, "expiry": str(c.expiry_date)},
    )


def list_warnings(session: Session, people: list[Person], on: date | None = None) -> dict[int, list[schemas.Warning]]:
    """Warnings for a page of people in two queries (age from the row, certificates batched)."""
    on = on or today()
    out = {p.id: age_warnings(p.date_of_birth, on) for p in people}
    certs = session.scalars(
        select(Certificate).where(
            Certificate.person_id.in_(list(out)), Certificate.expiry_date <= on + timedelta(days=EXPIRY_WARNING_DAYS)
        )
    )
    for c in certs:
        out[c.person_id].append(cert_warning(c, certificate_status(c, on)))
    return out


def person_out(person: Person, *, detail: bool = False, on: date | None = None) -> schemas.Person:
    on = on or today()
    cls = schemas.PersonDetail if detail else schemas.Person
    base = schemas.Person.model_validate(person).model_dump()
    out = cls(**base)
    out.warnings = age_warnings(person.date_of_birth, on)
    if detail:
        assert isinstance(out, schemas.PersonDetail)
        out.documents = [schemas.IdentityDocument.model_validate(d) for d in person.documents]
        certs = []
        for c in person.certificates:
            co = schemas.Certificate.model_validate(c)
            co.status = certificate_status(c, on)
            certs.append(co)
            if co.status in ("expired", "expiring"):
                out.warnings.append(cert_warning(c, co.status))
        out.certificates = certs
        out.agreements = [schemas.WorkAgreement.model_validate(a) for a in person.agreements]
        out.boardings = [schemas.Boarding.model_validate(b) for b in person.boardings]
    return out


# -- people --------------------------------------------------------------------
def _add_document(
    session: Session, repo: PersonRepository, person: Person, data: schemas.IdentityDocumentCreate
) -> IdentityDocument:
    try:
        number = check_document(data.doc_type, data.number, person.date_of_birth)
    except ValueError as exc:  # the check's message: a msgid, or a Msg with its parameters
        raise ValidationFailed(exc.args[0], field="documents.number") from None
    other = repo.document(data.doc_type, data.issuing_country, number)
    if other is not None:
        raise DuplicateIdentifier(
            N_("{doc_type} {number} is already registered to person {person_id}; open that record instead"),
            doc_type=data.doc_type.value,
            number=number,
            person_id=other.person_id,
            field="documents.number",
            details={"other_person_id": other.person_id},
        )
    doc = IdentityDocument(person_id=person.id, **(data.model_dump() | {"number": number}))
    session.add(doc)
    session.flush()
    return doc


def create_person(session: Session, actor: Actor, data: schemas.PersonCreate) -> Person:
    repo = PersonRepository(session)
    values = data.model_dump(exclude={"documents"})
    person = repo.add(Person(**values))
    docs = [_add_document(session, repo, person, d) for d in data.documents]
    record(
        session,
        actor,
        "person.create",
        "person",
        person.id,
        after=snapshot(person) | {"documents": [snapshot(d) for d in docs]},
    )
    return repo.detail(person.id)


def update_person(session: Session, actor: Actor, person_id: int, data: schemas.PersonUpdate) -> Person:
    repo = PersonRepository(session)
    person = repo.detail(person_id)
    before = snapshot(person)
    patch = data.model_dump(exclude_unset=True)
    for field in ("name", "nationality"):
        if field in patch and patch[field] is None:
            raise ValidationFailed(N_("{field_name} cannot be empty"), field_name=field, field=field)
    if "date_of_birth" in patch:
        for d in person.documents:
            try:
                check_document(d.doc_type, d.number, patch["date_of_birth"])
            except ValueError as exc:
                raise ValidationFailed(exc.args[0], field="date_of_birth") from None
        for c in person.certificates:
            _check_certificate_age(patch["date_of_birth"], c.issue_date, field="date_of_birth")
    if patch.get("languages") is None:
        patch.pop("languages", None)
    for k, v in patch.items():
        setattr(person, k, v)
    session.flush()
    b, a = changes(before, snapshot(person))
    if a:
        record(session, actor, "person.update", "person", person.id, before=b, after=a)
    return person


def add_document(
    session: Session, actor: Actor, person_id: int, data: schemas.IdentityDocumentCreate
) -> IdentityDocument:
    repo = PersonRepository(session)
    person = repo.get_or_404(person_id)
    doc = _add_document(session, repo, person, data)
    record(session, actor, "person.document.add", "person", person.id, after=snapshot(doc))
    return doc


def _check_certificate_age(dob: date | None, issued: date | None, field: str = "issue_date") -> None:
    problem = certificate_age_problem(dob, issued)
    if problem is not None:
        raise ValidationFailed(problem, field=field)


def _certificate_out(cert: Certificate) -> schemas.Certificate:
    out = schemas.Certificate.model_validate(cert)
    out.status = certificate_status(cert, today())
    return out


def add_certificate(
    session: Session, actor: Actor, person_id: int, data: schemas.CertificateCreate
) -> schemas.Certificate:
    person = PersonRepository(session).get_or_404(person_id)
    _check_certificate_age(person.date_of_birth, data.issue_date)
    cert = Certificate(person_id=person_id, **data.model_dump())
    session.add(cert)
    session.flush()
    record(session, actor, "person.certificate.add", "person", person_id, after=snapshot(cert))
    return _certificate_out(cert)


def update_certificate(
    session: Session, actor: Actor, certificate_id: int, data: schemas.CertificateCreate
) -> schemas.Certificate:
    """Replace a certificate's fields (a correction, or the renewed certificate's number and dates)."""
    cert = session.get(Certificate, certificate_id)
    if cert is None:
        raise NotFound(N_("certificate {certificate_id} not found"), certificate_id=certificate_id)
    person = PersonRepository(session).get_or_404(cert.person_id)
    _check_certificate_age(person.date_of_birth, data.issue_date)
    before = snapshot(cert)
    for k, v in data.model_dump().items():
        setattr(cert, k, v)
    session.flush()
    b, a = changes(before, snapshot(cert))
    if a:
        record(session, actor, "person.certificate.update", "person", cert.person_id, before=b, after=a)
    return _certificate_out(cert)


def _check_refs(session: Session, employer_id: int | None = None, vessel_id: int | None = None) -> None:
    from sqlalchemy import text

    if employer_id is not None and session.get(Organisation, employer_id) is None:
        raise ValidationFailed(N_("organisation {org_id} does not exist"), org_id=employer_id, field="employer_id")
    # crew may not import vessels' models (architecture: domains import only the kernel).
    if (
        vessel_id is not None
        and session.execute(text("SELECT 1 FROM vessel WHERE id = :id"), {"id": vessel_id}).first() is None
    ):
        raise ValidationFailed(
            N_("{label} {id} does not exist"), label=Label(N_("vessel")), id=vessel_id, field="vessel_id"
        )


def add_agreement(session: Session, actor: Actor, person_id: int, data: schemas.WorkAgreementCreate) -> WorkAgreement:
    PersonRepository(session).get_or_404(person_id)
    _check_refs(session, data.employer_id, data.vessel_id)
    agreement = WorkAgreement(person_id=person_id, **data.model_dump())
    session.add(agreement)
    session.flush()
    record(session, actor, "person.agreement.add", "work_agreement", agreement.id, after=snapshot(agreement))
    return agreement


def update_agreement(
    session: Session, actor: Actor, agreement_id: int, data: schemas.WorkAgreementCreate
) -> WorkAgreement:
    """Replace an agreement's terms (the signed file, if any, stays attached)."""
    agreement = session.get(WorkAgreement, agreement_id)
    if agreement is None:
        raise NotFound(N_("work agreement {agreement_id} not found"), agreement_id=agreement_id)
    _check_refs(session, data.employer_id, data.vessel_id)
    before = snapshot(agreement)
    for k, v in data.model_dump().items():
        setattr(agreement, k, v)
    session.flush()
    b, a = changes(before, snapshot(agreement))
    if a:
        record(session, actor, "person.agreement.update", "work_agreement", agreement.id, before=b, after=a)
    return agreement


def attach_agreement_file(
    session: Session, actor: Actor, agreement_id: int, filename: str, content_type: str | None, stream: BinaryIO
) -> WorkAgreement:
    agreement = session.get(WorkAgreement, agreement_id)
    if agreement is None:
        raise NotFound(N_("work agreement {agreement_id} not found"), agreement_id=agreement_id)
    stored = files.put(stream)
    if stored.size == 0:
        raise ValidationFailed(N_("the uploaded file is empty"), field="file")
    before = snapshot(agreement)
    agreement.file_sha256 = stored.sha256
    agreement.file_name = (filename or "agreement")[:200]
    agreement.file_size = stored.size
    agreement.file_content_type = (content_type or "application/octet-stream")[:100]
    session.flush()
    b, a = changes(before, snapshot(agreement))
    record(session, actor, "person.agreement.file", "work_agreement", agreement.id, before=b, after=a)
    return agreement


def agreement_file(session: Session, agreement_id: int) -> tuple[WorkAgreement, str]:
    agreement = session.get(WorkAgreement, agreement_id)
    if agreement is None or not agreement.file_sha256:
        raise NotFound(N_("work agreement {agreement_id} has no file"), agreement_id=agreement_id)
    return agreement, str(files.path_for(agreement.file_sha256))


def _check_overlap(
    session: Session, person: Person, embark: date, disembark: date | None, exclude_id: int | None = None
) -> None:
    overlap = PersonRepository(session).overlapping_boarding(person.id, embark, disembark, exclude_id)
    if overlap is not None:
        raise BoardingOverlap(
            N_(
                "{name} is already recorded aboard vessel {vessel_id} from {embark} to {disembark}; record the "
                "disembarkation first"
            ),
            name=person.name,
            vessel_id=overlap.vessel_id,
            embark=overlap.embark_date,
            disembark=overlap.disembark_date or Label(N_("now")),
            field="embark_date",
            details={"boarding_id": overlap.id},
        )


def add_boarding(
    session: Session, actor: Actor, person_id: int, data: schemas.BoardingCreate
) -> tuple[Boarding, list[schemas.Warning]]:
    person = PersonRepository(session).get_or_404(person_id)
    _check_refs(session, vessel_id=data.vessel_id)
    _check_overlap(session, person, data.embark_date, data.disembark_date)
    boarding = Boarding(person_id=person_id, **data.model_dump())
    session.add(boarding)
    session.flush()
    record(session, actor, "person.boarding.add", "boarding", boarding.id, after=snapshot(boarding))
    return boarding, age_warnings(person.date_of_birth, data.embark_date)


def update_boarding(session: Session, actor: Actor, boarding_id: int, data: schemas.BoardingUpdate) -> Boarding:
    boarding = session.get(Boarding, boarding_id)
    if boarding is None:
        raise NotFound(N_("boarding {boarding_id} not found"), boarding_id=boarding_id)
    patch = data.model_dump(exclude_unset=True)
    for field in ("vessel_id", "embark_date"):
        if field in patch and patch[field] is None:
            raise ValidationFailed(N_("{field_name} cannot be empty"), field_name=field, field=field)
    embark = patch.get("embark_date", boarding.embark_date)
    disembark = patch.get("disembark_date", boarding.disembark_date)
    if disembark and disembark < embark:
        raise ValidationFailed(N_("disembark_date is before embark_date"), field="disembark_date")
    if "vessel_id" in patch:
        _check_refs(session, vessel_id=patch["vessel_id"])
    if "embark_date" in patch or "disembark_date" in patch:
        person = PersonRepository(session).get_or_404(boarding.person_id)
        _check_overlap(session, person, embark, disembark, exclude_id=boarding.id)
    before = snapshot(boarding)
    for k, v in patch.items():
        setattr(boarding, k, v)
    session.flush()
    b, a = changes(before, snapshot(boarding))
    if a:
        record(session, actor, "person.boarding.update", "boarding", boarding.id, before=b, after=a)
    return boarding


def expiring(session: Session, days: int) -> list[schemas.Certificate]:
    on = today()
    out = []
    for cert, _person in PersonRepository(session).expiring_certificates(on + timedelta(days=days)):
        co = schemas.Certificate.model_validate(cert)
        co.status = certificate_status(cert, on)
        out.append(co)
    return out


@dataclass
class ExpiringRow:
    """One line of the auditor's expiring-certificates list: the certificate, its holder, and where
    the holder is aboard today (None ashore)."""

    certificate: schemas.Certificate
    person: Person
    boarding: Boarding | None
    days_left: int


def expiring_report(session: Session, days: int, *, aboard_only: bool = False) -> list[ExpiringRow]:
    """Certificates expired or expiring within ``days``, soonest first, in three queries."""
    on = today()
    repo = PersonRepository(session)
    rows = repo.expiring_certificates(on + timedelta(days=days))
    boardings = repo.current_boardings(list({p.id for _c, p in rows}), on) if rows else {}
    out = []
    for cert, person in rows:
        boarding = boardings.get(person.id)
        if (aboard_only and boarding is None) or cert.expiry_date is None:  # the query selects dated ones only
            continue
        co = schemas.Certificate.model_validate(cert)
        co.status = certificate_status(cert, on)
        out.append(ExpiringRow(co, person, boarding, (cert.expiry_date - on).days))
    return out

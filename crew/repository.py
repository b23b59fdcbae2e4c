"""Crew queries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Select, column, func, or_, select, table
from sqlalchemy.orm import selectinload

from crew.models import Boarding, Certificate, IdentityDocument, Person, WorkAgreement
from maritime_hub.db.repository import Page, RepositoryBase
from maritime_hub.errors import NotFound
from maritime_hub.messages import N_, Label

DETAIL = (
    selectinload(Person.documents),
    selectinload(Person.certificates),
    selectinload(Person.agreements),
    selectinload(Person.boardings),
)


# The vessel table by name: crew may not import the vessels domain (docs/architecture.md).
_vessel = table("vessel", column("id"), column("owner_id"), column("operator_id"), column("distant_water", Boolean))

RECORD_LABELS = {Certificate: N_("certificate"), WorkAgreement: N_("work agreement"), Boarding: N_("boarding")}


def _aboard_on(on: date) -> tuple:
    return Boarding.embark_date <= on, or_(Boarding.disembark_date.is_(None), Boarding.disembark_date >= on)


class PersonRepository(RepositoryBase[Person]):
    model = Person
    label = "person"

    def detail(self, person_id: int) -> Person:
        # populate_existing: the person may already be in the session without its collections.
        person = self.session.scalar(
            select(Person).where(Person.id == person_id).options(*DETAIL).execution_options(populate_existing=True)
        )
        if person is None:
            raise NotFound(N_("person {person_id} not found"), person_id=person_id)
        return person

    def record(self, model: type[Certificate | WorkAgreement | Boarding], record_id: int):
        """One of a person's certificates, agreements or boardings (the pages edit them by id)."""
        row = self.session.get(model, record_id)
        if row is None:
            raise NotFound(N_("{label} {id} does not exist"), label=Label(RECORD_LABELS[model]), id=record_id)
        return row

    def search_stmt(
        self,
        q: str | None,
        nationality: str | None = None,
        vessel_id: int | None = None,
        on: date | None = None,
        *,
        company_id: int | None = None,
        distant_water: bool | None = None,
        certificates_until: date | None = None,
    ) -> Select:
        """``vessel_id`` (aboard on ``on`` when given), ``company_id`` (employer on a work agreement, or
        owner/operator of a vessel the person is aboard on ``on``, default today), ``distant_water``
        (aboard a distant-water vessel on that day, or not), ``certificates_until`` (a certificate
        expired or expiring by that date)."""
        stmt = select(Person)
        if nationality:
            stmt = stmt.where(Person.nationality == nationality.upper())
        if vessel_id is not None:
            aboard = select(Boarding.person_id).where(Boarding.vessel_id == vessel_id)
            if on is not None:
                aboard = aboard.where(*_aboard_on(on))
            stmt = stmt.where(Person.id.in_(aboard))
        day = on or date.today()
        if company_id is not None:
            employed = select(WorkAgreement.person_id).where(WorkAgreement.employer_id == company_id)
            on_their_vessel = (
                select(Boarding.person_id)
                .join(_vessel, _vessel.c.id == Boarding.vessel_id)
                .where(*_aboard_on(day), or_(_vessel.c.owner_id == company_id, _vessel.c.operator_id == company_id))
            )
            stmt = stmt.where(or_(Person.id.in_(employed), Person.id.in_(on_their_vessel)))
        if distant_water is not None:
            far = (
                select(Boarding.person_id)
                .join(_vessel, _vessel.c.id == Boarding.vessel_id)
                .where(*_aboard_on(day), _vessel.c.distant_water.is_(True))
            )
            stmt = stmt.where(Person.id.in_(far) if distant_water else Person.id.not_in(far))
        if certificates_until is not None:
            due = select(Certificate.person_id).where(Certificate.expiry_date <= certificates_until)
            stmt = stmt.where(Person.id.in_(due))
        q = (q or "").strip()
        if not q:
            # Chinese names in pinyin order (ICU), as a clerk expects.
            return stmt.order_by(Person.name.collate("zh-Hans-x-icu"), Person.id)
        like = f"%{q}%"
        by_doc = select(IdentityDocument.person_id).where(IdentityDocument.number == q.upper())
        score = func.greatest(
            func.coalesce(func.word_similarity(q, Person.name), 0),
            func.coalesce(func.word_similarity(q, Person.name_latin), 0),
        )
        stmt = stmt.where(
            or_(
                Person.id.in_(by_doc),
                Person.name.ilike(like),
                Person.name_latin.ilike(like),
                Person.phone == q,
                score > 0.4,
            )
        )
        contains = func.coalesce(or_(Person.name.ilike(like), Person.name_latin.ilike(like)), False)
        return stmt.order_by(contains.desc(), score.desc(), Person.name, Person.id)

    def search(self, q: str | None, page: int, page_size: int, **filters) -> Page[Person]:
        return self.paginate(self.search_stmt(q, **filters), page, page_size)

    def document(self, doc_type, country: str, number: str) -> IdentityDocument | None:
        return self.session.scalar(
            select(IdentityDocument).where(
                IdentityDocument.doc_type == doc_type,
                IdentityDocument.issuing_country == country,
                IdentityDocument.number == number,
            )
        )

    def overlapping_boarding(
        self, person_id: int, embark: date, disembark: date | None, exclude_id: int | None = None
    ) -> Boarding | None:
        """A boarding of this person that overlaps [embark, disembark] (open-ended when None)."""
        stmt = select(Boarding).where(
            Boarding.person_id == person_id,
            Boarding.embark_date <= (disembark or date.max),
            or_(Boarding.disembark_date.is_(None), Boarding.disembark_date >= embark),
        )
        if exclude_id is not None:
            stmt = stmt.where(Boarding.id != exclude_id)
        return self.session.scalar(stmt.limit(1))

    def boardings_on(
        self, vessel_ids: set[int], person_ids: set[int] | None = None, limit: int = 200
    ) -> list[Boarding]:
        """Boardings on these vessels (of these people, when given), latest embarkation first: who was
        aboard the vessels of a dispute."""
        if not vessel_ids:
            return []
        stmt = select(Boarding).where(Boarding.vessel_id.in_(vessel_ids))
        if person_ids is not None:
            stmt = stmt.where(Boarding.person_id.in_(person_ids))
        return list(self.session.scalars(stmt.order_by(Boarding.embark_date.desc(), Boarding.id).limit(limit)))

    def current_boardings(self, person_ids: list[int], on: date) -> dict[int, Boarding]:
        """Each person's boarding on `on` (the latest embarkation when several)."""
        stmt = (
            select(Boarding)
            .where(
                Boarding.person_id.in_(person_ids),
                Boarding.embark_date <= on,
                (Boarding.disembark_date.is_(None)) | (Boarding.disembark_date >= on),
            )
            .order_by(Boarding.embark_date)
        )
        return {b.person_id: b for b in self.session.scalars(stmt)}

    def on_board(self, vessel_id: int, on: date) -> list[tuple[Person, Boarding]]:
        """Who was on vessel X on date D: one query."""
        stmt = (
            select(Person, Boarding)
            .join(Boarding, Boarding.person_id == Person.id)
            .where(Boarding.vessel_id == vessel_id, Boarding.embark_date <= on)
            .where(or_(Boarding.disembark_date.is_(None), Boarding.disembark_date >= on))
            .order_by(Person.name)
        )
        return [(p, b) for p, b in self.session.execute(stmt)]

    def expiring_certificates(self, until: date) -> list[tuple[Certificate, Person]]:
        stmt = (
            select(Certificate, Person)
            .join(Person, Person.id == Certificate.person_id)
            .where(Certificate.expiry_date.is_not(None), Certificate.expiry_date <= until)
            .order_by(Certificate.expiry_date)
        )
        return [(c, p) for c, p in self.session.execute(stmt)]

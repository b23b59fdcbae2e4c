"""Taking a party, vessel or crew member off a case file (added by mistake, or the wrong record
linked at intake). The same rules as adding (service.py): the case's staff, while the file is still
open (before an agreement is signed); every removal is audited with what was removed, and the
foreign-element flag is recomputed after triage."""

from __future__ import annotations

from sqlalchemy.orm import Session

from maritime_hub.audit.service import record, snapshot
from maritime_hub.auth.service import Principal
from maritime_hub.errors import NotFound
from maritime_hub.messages import N_, Label
from mediation.cases import errors
from mediation.cases.enums import PartySide
from mediation.cases.service import _editable, _refresh_foreign

NOUNS = (N_("party"), N_("vessel"), N_("person"))  # the labels of _not_on_case


def _not_on_case(what: str, id_: int, number: str) -> NotFound:
    return NotFound(N_("{what} {id} is not on case {number}"), what=Label(what), id=id_, number=number)


def remove_party(session: Session, principal: Principal, case_id: int, party_id: int) -> None:
    case = _editable(session, principal, case_id)
    party = next((p for p in case.parties if p.id == party_id), None)
    if party is None:
        raise _not_on_case("party", party_id, case.number)
    if party.side == PartySide.applicant and not any(
        p.side == PartySide.applicant and p.id != party.id for p in case.parties
    ):
        raise errors.LastApplicant(
            N_("{name} is the only applicant of case {number}: add the right applicant first, then remove this one"),
            name=party.name,
            number=case.number,
            field="party_id",
        )
    before = snapshot(party) | {"contacts": [snapshot(c) for c in party.contacts]}
    for contact in party.contacts:
        session.delete(contact)
    session.delete(party)
    session.flush()
    record(session, principal, "case.party.remove", "mediation_case", case.id, before=before)
    _refresh_foreign(session, case)


def remove_vessel(session: Session, principal: Principal, case_id: int, vessel_id: int) -> None:
    """``vessel_id`` is the registry vessel's id (a vessel is on a case once)."""
    case = _editable(session, principal, case_id)
    link = next((v for v in case.vessels if v.vessel_id == vessel_id), None)
    if link is None:
        raise _not_on_case("vessel", vessel_id, case.number)
    before = snapshot(link)
    session.delete(link)
    session.flush()
    record(session, principal, "case.vessel.remove", "mediation_case", case.id, before=before)
    _refresh_foreign(session, case)


def remove_crew(session: Session, principal: Principal, case_id: int, person_id: int) -> None:
    """``person_id`` is the crew registry person's id (a person is on a case once)."""
    case = _editable(session, principal, case_id)
    link = next((c for c in case.crew if c.person_id == person_id), None)
    if link is None:
        raise _not_on_case("person", person_id, case.number)
    before = snapshot(link)
    session.delete(link)
    session.flush()
    record(session, principal, "case.crew.remove", "mediation_case", case.id, before=before)
    _refresh_foreign(session, case)

"""Triage flags computed when a case reaches TRIAGED (事项研判): foreign element, the route a failed
mediation would take (maritime court or labour arbitration), and the maritime-lien clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from crew.models import Person
from maritime_hub.orgs.models import Organisation
from mediation.cases.enums import CREW_LABOUR_TYPES, LIEN_TYPES, CrewClaimBasis, DisputeType, PartyKind, Route
from vessels.models import Vessel

if TYPE_CHECKING:  # the models import this module's package
    from mediation.cases.models import Case

HOME = "CN"

# MC-Scope items for the case types that go to a maritime court whatever the facts.
_MARITIME_COURT_ITEMS = {
    DisputeType.collision: "MC-Scope item 1",
    DisputeType.gear_damage: "MC-Scope item 5",
    DisputeType.personal_injury_at_sea: "MC-Scope item 7",
    DisputeType.fishery_contract: "MC-Scope item 58",
}


def route_for(dispute_type: DisputeType, basis: CrewClaimBasis | None) -> tuple[Route | None, str | None]:
    """Where the dispute goes if mediation fails.

    Crew-Prov 1: crew claims arising from boarding, on-board service or repatriation belong to the
    maritime court (MC-Scope item 24); other crew labour claims go to labour arbitration first
    (Crew-Prov 1, 5; 劳动争议调解仲裁法 27, one-year limit). Fishing-ground conflicts and "other"
    have no fixed route and are decided case by case (None).
    """
    if dispute_type in CREW_LABOUR_TYPES:
        if basis is None:
            return None, None
        if basis == CrewClaimBasis.other_labour:
            return Route.labour_arbitration, "Crew-Prov 1, 5; 劳动争议调解仲裁法 27"
        return Route.maritime_court, "Crew-Prov 1; MC-Scope item 24"
    item = _MARITIME_COURT_ITEMS.get(dispute_type)
    return (Route.maritime_court, item) if item else (None, None)


def lien_applies(dispute_type: DisputeType) -> bool:
    # 海商法 22(1) wages, repatriation, social insurance; 22(2) personal injury.
    return dispute_type in LIEN_TYPES


def foreign_reasons(session: Session, case: Case) -> list[str]:
    """Why the case has a foreign element: any party, vessel or crew member not Chinese. Matters for
    translation (CPL 273), service abroad (CPL 283) and applicable law (Crew-Prov 17)."""
    reasons: list[str] = []
    person_ids = {p.person_id for p in case.parties if p.person_id} | {c.person_id for c in case.crew}
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(person_ids)))} if person_ids else {}
    org_ids = {p.organisation_id for p in case.parties if p.organisation_id}
    orgs = (
        {o.id: o for o in session.scalars(select(Organisation).where(Organisation.id.in_(org_ids)))} if org_ids else {}
    )
    for party in case.parties:  # the kind follows the link the party was made with (cases.service)
        if party.kind == PartyKind.person and party.person_id is not None:
            country = people[party.person_id].nationality
        elif party.kind == PartyKind.organisation and party.organisation_id is not None:
            country = orgs[party.organisation_id].country
        else:
            country = party.nationality or HOME
        if country != HOME:
            reasons.append(f"party {party.name} ({country})")
    vessel_ids = [v.vessel_id for v in case.vessels]
    for vessel in (
        session.scalars(select(Vessel).where(Vessel.id.in_(vessel_ids)).order_by(Vessel.id)) if vessel_ids else []
    ):
        if vessel.flag_state != HOME:
            reasons.append(f"vessel {vessel.display_name} (flag {vessel.flag_state})")
    for member in case.crew:
        person = people[member.person_id]
        if person.nationality != HOME:
            reasons.append(f"crew {person.name} ({person.nationality})")
    return reasons

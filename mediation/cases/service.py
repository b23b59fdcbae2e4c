"""Case file rules: intake (numbering, references, the first timeline row) and the parties, vessels,
crew and joint-panel members of a case. Every write records an audit event in the same transaction;
state changes are in workflow.py, evidence in evidence.py."""

from __future__ import annotations

from geoalchemy2 import WKTElement
from sqlalchemy.orm import Session

from crew.models import Boarding, Person
from maritime_hub.audit.service import changes, record, snapshot
from maritime_hub.auth.models import Role, User
from maritime_hub.auth.service import Principal
from maritime_hub.db.base import utcnow
from maritime_hub.db.repository import by_ids
from maritime_hub.errors import Forbidden, ValidationFailed
from maritime_hub.messages import N_, Label
from maritime_hub.orgs.models import Organisation, OrgKind
from mediation.cases import access, errors, messages, schemas, triage
from mediation.cases.enums import (
    FilerKind,
    IntakeChannel,
    PartyKind,
    PartySide,
    ReferralKind,
)
from mediation.cases.models import (
    Case,
    CaseContact,
    CaseCrew,
    CaseMember,
    CaseParty,
    CaseTimeline,
    CaseVessel,
)
from mediation.cases.repository import CaseRepository
from mediation.cases.states import State
from mediation.deadlines import local_date
from vessels.models import Vessel

MEDIATION_ORGS = (OrgKind.mediation_committee, OrgKind.mediation_centre)
# The file's parties, vessels and crew are settled once an agreement is signed.
EDITABLE = frozenset(
    {
        State.REGISTERED,
        State.TRIAGED,
        State.PLANNED,
        State.DISPATCHING,
        State.ACCEPTED,
        State.INVESTIGATING,
        State.MEDIATING,
    }
)


def format_number(year: int, code: str, seq: int) -> str:
    """（2026）舟普海调字第0001号: the organisation's abbreviation, the year, a 4-digit sequence."""
    return f"（{year}）{code}字第{seq:04d}号"


# -- reference checks (422 naming the field) ----------------------------------------------------------


NOUNS = (N_("user"), N_("person"), N_("organisation"), N_("vessel"), N_("boarding"))  # the labels of _exists


def _exists(session: Session, model: type, id_: int | None, field: str, label: str):
    if id_ is None:
        return None
    obj = session.get(model, id_)
    if obj is None:
        raise ValidationFailed(N_("{label} {id} does not exist"), label=Label(label), id=id_, field=field)
    return obj


def _party_account(session: Session, user_id: int | None, field: str) -> None:
    user = _exists(session, User, user_id, field, "user")
    if user is not None and Role.party.value not in user.roles:
        raise ValidationFailed(N_("user {user_id} does not have the party role"), user_id=user_id, field=field)


def _new_party(session: Session, case_id: int, data: schemas.PartyCreate, at: str) -> CaseParty:
    person = _exists(session, Person, data.person_id, f"{at}.person_id", "person")
    org = _exists(session, Organisation, data.organisation_id, f"{at}.organisation_id", "organisation")
    _party_account(session, data.user_id, f"{at}.user_id")
    for i, c in enumerate(data.contacts):
        _exists(session, Vessel, c.vessel_id, f"{at}.contacts.{i}.vessel_id", "vessel")
    kind = PartyKind.person if person else PartyKind.organisation if org else PartyKind.new_person
    name = person.name if person else org.name if org else data.name
    party = CaseParty(
        case_id=case_id,
        side=data.side,
        kind=kind,
        person_id=data.person_id,
        organisation_id=data.organisation_id,
        name=name,
        nationality=(data.nationality or "CN") if kind == PartyKind.new_person else None,
        id_number=data.id_number,
        agent_name=data.agent_name,
        agent_authority=data.agent_authority,
        agent_phone=data.agent_phone,
        user_id=data.user_id,
    )
    session.add(party)
    session.flush()
    for c in data.contacts:
        session.add(CaseContact(party_id=party.id, **c.model_dump()))
    return party


def _new_vessel(session: Session, case_id: int, data: schemas.CaseVesselCreate, at: str) -> CaseVessel:
    _exists(session, Vessel, data.vessel_id, f"{at}.vessel_id", "vessel")
    link = CaseVessel(case_id=case_id, **data.model_dump())
    session.add(link)
    return link


def _new_crew(session: Session, case_id: int, data: schemas.CaseCrewCreate, at: str) -> CaseCrew:
    _exists(session, Person, data.person_id, f"{at}.person_id", "person")
    boarding = _exists(session, Boarding, data.boarding_id, f"{at}.boarding_id", "boarding")
    if boarding is not None and boarding.person_id != data.person_id:
        raise ValidationFailed(
            N_("boarding {boarding_id} is not person {person_id}'s"),
            boarding_id=data.boarding_id,
            person_id=data.person_id,
            field=f"{at}.boarding_id",
        )
    link = CaseCrew(case_id=case_id, **data.model_dump())
    session.add(link)
    return link


def _check_intake(data: schemas.CaseCreate) -> None:
    """Combinations of intake fields; each refusal names the field to fix."""
    court = {
        "referral_kind": data.referral_kind,
        "referring_court_id": data.referring_court_id,
        "court_case_number": data.court_case_number,
    }
    if data.intake_channel == IntakeChannel.court_referral:
        for field, value in court.items():
            if value is None:
                raise ValidationFailed(
                    N_(
                        "a court referral needs {field_name} (referral_kind: 委派 pre_filing_referral or "
                        "委托 post_filing_referral; the referring court; its case number)"
                    ),
                    field_name=field,
                    field=field,
                )
    else:
        for field, value in court.items():
            if value is not None:
                raise ValidationFailed(
                    N_("{field_name} is for intake_channel court_referral only"), field_name=field, field=field
                )
    if data.court_procedure is not None and data.referral_kind != ReferralKind.post_filing_referral:
        raise ValidationFailed(
            N_("court_procedure applies to post-filing (委托) referrals only"), field="court_procedure"
        )
    if data.filer_kind in (FilerKind.relative, FilerKind.captain) and not data.filer_name:
        raise ValidationFailed(N_("filing on a party's behalf: give filer_name"), field="filer_name")
    if not any(p.side == PartySide.applicant for p in data.parties):
        raise ValidationFailed(N_("at least one party must be an applicant"), field="parties")


def _registry_links(data: schemas.CaseCreate):
    """The fields of an application that point at registry records or accounts (what a party may not fill)."""
    for i, p in enumerate(data.parties):
        if p.person_id is not None:
            yield f"parties.{i}.person_id"
        if p.user_id is not None:
            yield f"parties.{i}.user_id"
        for j, c in enumerate(p.contacts):
            if c.vessel_id is not None:
                yield f"parties.{i}.contacts.{j}.vessel_id"
    for i, _v in enumerate(data.vessels):
        yield f"vessels.{i}.vessel_id"
    for i, _c in enumerate(data.crew):
        yield f"crew.{i}.person_id"


def _no_registry_links(data: schemas.CaseCreate) -> None:
    """A party files with names in words (their own, the other side's; vessels in the description):
    the crew and vessel registries are not theirs to read, so a registry id is refused before anything
    is looked up — the answer is the same whether the record exists or not."""
    field = next(_registry_links(data), None)
    if field is not None:
        raise errors.RegistryLinkByStaff(
            N_(
                "{field_name}: an online application names people and vessels in words (name, and the vessel in the "
                "description); the mediation organisation links registry records and accounts after intake"
            ),
            field_name=field,
            field=field,
        )


def _court_referral(principal: Principal, data: schemas.CaseCreate) -> int:
    """A court's clerk refers a case (委派 before filing, 委托 after; Invited-Med 19-20) from their own
    court to a mediation organisation; like a party, they name people and vessels in words, and the
    organisation links the registries after intake."""
    if data.intake_channel != IntakeChannel.court_referral:
        raise ValidationFailed(
            N_("a court's clerk refers cases (intake_channel court_referral)"), field="intake_channel"
        )
    if principal.organisation_id is None or data.referring_court_id != principal.organisation_id:
        raise Forbidden(N_("a court's clerk refers cases from their own court only"))
    if data.organisation_id is None:
        raise ValidationFailed(N_("choose the mediation organisation (organisation_id)"), field="organisation_id")
    _no_registry_links(data)
    return data.organisation_id


def _intake_org(session: Session, principal: Principal, data: schemas.CaseCreate) -> Organisation:
    org_id: int | None
    if principal.has("court_clerk") and not principal.has("coordinator"):
        org_id = _court_referral(principal, data)
    elif principal.has("coordinator"):
        org_id = data.organisation_id or principal.organisation_id
        if org_id is None:
            raise ValidationFailed(N_("you belong to no organisation: give organisation_id"), field="organisation_id")
        if org_id != principal.organisation_id:
            raise Forbidden(N_("a coordinator registers cases for their own mediation organisation"))
    else:
        # A party files online, choosing the mediation organisation.
        if data.intake_channel != IntakeChannel.online_form:
            raise ValidationFailed(
                N_("a party files through the online form (intake_channel online_form)"), field="intake_channel"
            )
        if data.organisation_id is None:
            raise ValidationFailed(N_("choose the mediation organisation (organisation_id)"), field="organisation_id")
        _no_registry_links(data)
        org_id = data.organisation_id
    org = _exists(session, Organisation, org_id, "organisation_id", "organisation")
    if org.kind not in MEDIATION_ORGS:
        raise ValidationFailed(N_("{name} is not a mediation organisation"), name=org.name, field="organisation_id")
    if not org.code:
        raise ValidationFailed(
            N_("{name} has no case-number code (e.g. 舟普海调); an administrator sets it"),
            name=org.name,
            field="organisation_id",
        )
    return org


def create_case(session: Session, principal: Principal, data: schemas.CaseCreate) -> Case:
    _check_intake(data)
    org = _intake_org(session, principal, data)
    _exists(session, Organisation, data.referring_court_id, "referring_court_id", "organisation")
    values = data.model_dump(exclude={"parties", "vessels", "crew", "incident_position", "organisation_id"})
    if data.intake_channel == IntakeChannel.online_form and data.filer_kind is None:
        values["filer_kind"] = FilerKind.party
    position = data.incident_position
    now = utcnow()  # a replayed clock when loading demo history (maritime_hub.db.base.replay_clock)
    year = local_date(now).year
    seq = CaseRepository(session).next_seq(org.id, year)
    case = Case(
        **values,
        organisation_id=org.id,
        year=year,
        seq=seq,
        number=format_number(year, org.code or "", seq),  # never empty: _intake_org refuses an org without one
        state=State.REGISTERED,
        state_entered_at=now,
        created_by_id=principal.user_id,
        incident_position=WKTElement(f"POINT({position.lon} {position.lat})", srid=4326) if position else None,
    )
    session.add(case)
    session.flush()
    parties = [_new_party(session, case.id, p, f"parties.{i}") for i, p in enumerate(data.parties)]
    if principal.has("party") and not principal.has("coordinator"):
        # The filer's account follows the case (on behalf of a relative at sea: through that party).
        first_applicant = next(i for i, p in enumerate(data.parties) if p.side == PartySide.applicant)
        parties[first_applicant].user_id = principal.user_id
    for i, v in enumerate(data.vessels):
        _new_vessel(session, case.id, v, f"vessels.{i}")
    for i, c in enumerate(data.crew):
        _new_crew(session, case.id, c, f"crew.{i}")
    session.add(
        CaseTimeline(
            case_id=case.id,
            from_state=None,
            to_state=State.REGISTERED,
            at=now,
            actor_user_id=principal.user_id,
            actor_name=principal.display_name or principal.username,
            payload={"intake_channel": data.intake_channel.value},
        )
    )
    session.flush()
    record(
        session,
        principal,
        "case.create",
        "mediation_case",
        case.id,
        after=snapshot(case)
        | {
            "parties": [snapshot(p) for p in parties],
            "vessels": [v.vessel_id for v in data.vessels],
            "crew": [c.person_id for c in data.crew],
        },
    )
    return case


# -- changing the file ------------------------------------------------------------------------------


def _editable(session: Session, principal: Principal, case_id: int, *, states: frozenset[State] = EDITABLE) -> Case:
    case = CaseRepository(session).load(case_id, full=True, lock=True)
    access.require_write(principal, case)
    if case.state not in states:
        raise errors.CaseSettled(
            N_(
                "case {number} is {state}: its parties, vessels and crew are settled once an agreement is "
                "signed or the case has ended"
            ),
            number=case.number,
            state=messages.state(case.state),
        )
    return case


def _refresh_foreign(session: Session, case: Case) -> None:
    # After triage, a new party, vessel or crew member can change the foreign-element flag.
    if case.triaged_at is not None:
        session.flush()
        case = CaseRepository(session).load(case.id, full=True)  # populate_existing: sees the new rows
        reasons = list(dict.fromkeys(triage.foreign_reasons(session, case)))
        case.foreign_element, case.foreign_reasons = bool(reasons), reasons


def add_party(session: Session, principal: Principal, case_id: int, data: schemas.PartyCreate) -> CaseParty:
    case = _editable(session, principal, case_id)
    party = _new_party(session, case.id, data, "party")
    session.flush()
    record(session, principal, "case.party.add", "mediation_case", case.id, after=snapshot(party))
    _refresh_foreign(session, case)
    return party


def update_party(
    session: Session, principal: Principal, case_id: int, party_id: int, data: schemas.PartyUpdate
) -> CaseParty:
    case = _editable(session, principal, case_id, states=frozenset(State) - {State.CLOSED})
    party = next((p for p in case.parties if p.id == party_id), None)
    if party is None:
        raise ValidationFailed(
            N_("party {party_id} is not a party to case {number}"),
            party_id=party_id,
            number=case.number,
            field="party_id",
        )
    patch = data.model_dump(exclude_unset=True)
    if "user_id" in patch:
        _party_account(session, patch["user_id"], "user_id")
    before = snapshot(party)
    for key, value in patch.items():
        setattr(party, key, value)
    session.flush()
    b, a = changes(before, snapshot(party))
    if a:
        record(
            session,
            principal,
            "case.party.update",
            "mediation_case",
            case.id,
            before=b,
            after=a | {"party_id": party.id},
        )
    return party


def add_vessel(session: Session, principal: Principal, case_id: int, data: schemas.CaseVesselCreate) -> CaseVessel:
    case = _editable(session, principal, case_id)
    if any(v.vessel_id == data.vessel_id for v in case.vessels):
        raise errors.AlreadyLinked(
            N_("vessel {vessel_id} is already linked to case {number}"),
            vessel_id=data.vessel_id,
            number=case.number,
            field="vessel_id",
        )
    link = _new_vessel(session, case.id, data, "vessel")
    session.flush()
    record(session, principal, "case.vessel.add", "mediation_case", case.id, after=snapshot(link))
    _refresh_foreign(session, case)
    return link


def add_crew(session: Session, principal: Principal, case_id: int, data: schemas.CaseCrewCreate) -> CaseCrew:
    case = _editable(session, principal, case_id)
    if any(c.person_id == data.person_id for c in case.crew):
        raise errors.AlreadyLinked(
            N_("person {person_id} is already linked to case {number}"),
            person_id=data.person_id,
            number=case.number,
            field="person_id",
        )
    link = _new_crew(session, case.id, data, "crew")
    session.flush()
    record(session, principal, "case.crew.add", "mediation_case", case.id, after=snapshot(link))
    _refresh_foreign(session, case)
    return link


def add_member(session: Session, principal: Principal, case_id: int, data: schemas.MemberCreate) -> CaseMember:
    """A joint-panel member or expert; a major case needs judge, chief mediator, legal-aid lawyer and
    at least one department before dispatch (states.py)."""
    case = _editable(session, principal, case_id, states=frozenset(State) - {State.CLOSED})
    _exists(session, User, data.user_id, "user_id", "user")
    _exists(session, Organisation, data.organisation_id, "organisation_id", "organisation")
    member = CaseMember(case_id=case.id, **data.model_dump())
    session.add(member)
    session.flush()
    record(session, principal, "case.member.add", "mediation_case", case.id, after=snapshot(member))
    return member


def caller_party(case: Case, principal: Principal) -> CaseParty | None:
    """The caller's own party record (``case`` may be the page's CaseDetail, whose other parties are
    OtherParty without an account link)."""
    if not principal.has("party") or principal.user_id is None:
        return None
    return next((p for p in case.parties if getattr(p, "user_id", None) == principal.user_id), None)


def people_and_vessels(session: Session, case: Case) -> tuple[dict[int, Person], dict[int, Vessel]]:
    pids = {c.person_id for c in case.crew} | {p.person_id for p in case.parties if p.person_id}
    vids = {v.vessel_id for v in case.vessels}
    return by_ids(session, Person, pids), by_ids(session, Vessel, vids)

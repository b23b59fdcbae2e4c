"""The demo data passes the registry's own checks and reads as a registrar would believe it: birth
dates, build years and MMSIs (MID of the flag state) valid; no certificate issued before 16 (18 for
adults in the demo); officers from 21; nobody aboard under 16, nor before their certificate."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from crew.models import Boarding, Certificate, CertificateType, IdentityDocument, Person, WorkAgreement
from crew.schemas import CertificateCreate, PersonUpdate, WorkAgreementCreate
from crew.validation import age_on, certificate_age_problem, check_document
from maritime_hub.demo import OFFICERS, TODAY
from tests.conftest import copy_database, drop_database
from vessels.models import Vessel
from vessels.schemas import VesselUpdate
from vessels.validation import mid_mismatch


@pytest.fixture(scope="module")
def demo(cluster, demo_template):
    name = f"mh_demo_checks_{uuid.uuid4().hex[:6]}"
    engine = create_engine(copy_database(cluster, demo_template.name, name))
    with Session(engine) as session:
        yield session
    engine.dispose()
    drop_database(cluster, name)


def test_demo_vessels_pass_the_vessel_checks(demo):
    vessels = demo.scalars(select(Vessel).where(Vessel.registered.is_(True))).all()
    assert vessels
    for v in vessels:
        VesselUpdate.model_validate(
            {
                "mmsi": v.mmsi,
                "imo": v.imo,
                "call_sign": v.call_sign,
                "flag_state": v.flag_state,
                "build_year": v.build_year,
            }
        )
        assert mid_mismatch(v.mmsi, v.flag_state) is None, v.display_name


def test_demo_people_and_certificates_pass_the_crew_checks(demo):
    people = {p.id: p for p in demo.scalars(select(Person))}
    assert len(people) > 100
    for p in people.values():
        PersonUpdate.model_validate({"date_of_birth": p.date_of_birth, "nationality": p.nationality})
    for d in demo.scalars(select(IdentityDocument)):
        check_document(d.doc_type, d.number, people[d.person_id].date_of_birth)
    for c in demo.scalars(select(Certificate)):
        dob = people[c.person_id].date_of_birth
        CertificateCreate.model_validate(
            {"cert_type": c.cert_type, "issue_date": c.issue_date, "expiry_date": c.expiry_date}
        )
        assert certificate_age_problem(dob, c.issue_date) is None, people[c.person_id].name
        # Adults' certificates were issued at 18 or later; a minor's (the AGE-01 case) from 16.
        floor = 18 if age_on(dob, TODAY) >= 18 else 16
        assert age_on(dob, c.issue_date) >= floor, (people[c.person_id].name, c.cert_type, c.issue_date)
        assert c.issue_date <= TODAY


def test_demo_ranks_and_boardings_are_believable(demo):
    people = {p.id: p for p in demo.scalars(select(Person))}
    certs: dict[int, list[Certificate]] = {}
    for c in demo.scalars(select(Certificate)):
        certs.setdefault(c.person_id, []).append(c)
    for a in demo.scalars(select(WorkAgreement)):
        WorkAgreementCreate.model_validate(
            {
                "start_date": a.start_date,
                "end_date": a.end_date,
                "wage_period": a.wage_period,
                "share_percent": a.share_percent,
            }
        )
        p = people[a.person_id]
        age = age_on(p.date_of_birth, a.start_date)
        if a.position in OFFICERS:
            assert age >= 21, (p.name, a.position, age)
            assert any(c.cert_type == CertificateType.fisher_officer for c in certs[p.id]), p.name
        if age < 18:
            assert a.position == "普通船员", (p.name, a.position, age)
    for b in demo.scalars(select(Boarding)):
        p = people[b.person_id]
        assert age_on(p.date_of_birth, b.embark_date) >= 16, (p.name, b.embark_date)
        assert b.embark_date <= TODAY
        fisher = [
            c for c in certs[p.id] if c.cert_type in (CertificateType.fisher_general, CertificateType.fisher_officer)
        ]
        assert any(c.issue_date <= b.embark_date for c in fisher), (p.name, b.embark_date)


def test_the_age_warning_case_is_still_in_the_demo(demo):
    minor = demo.scalar(select(Person).where(Person.name == "陈小海"))
    assert age_on(minor.date_of_birth, TODAY) == 17
    positions = {a.position for a in demo.scalars(select(WorkAgreement).where(WorkAgreement.person_id == minor.id))}
    assert positions == {"普通船员"}

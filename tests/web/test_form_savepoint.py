"""A form the service refuses keeps nothing (web/forms.submit runs the call in a savepoint) and
shows again what was typed, with the message beside its field."""

from __future__ import annotations

from sqlalchemy import func, select

from crew.models import Person
from maritime_hub.audit.models import AuditEvent


def test_refused_crew_form_keeps_no_person_and_no_audit_event(client, db, login, make_person):
    owner = make_person(
        name="林海生", documents=[{"doc_type": "passport", "number": "E87654321", "issuing_country": "CN"}]
    )
    writer = login("coordinator")
    people, events = (
        db.scalar(select(func.count()).select_from(Person)),
        db.scalar(select(func.count()).select_from(AuditEvent)),
    )

    r = client.post(
        "/crew/new",
        headers=writer.headers | {"Accept": "text/html"},
        follow_redirects=False,
        data={
            "name": "陈半途",
            "nationality": "CN",
            "phone": "13900001111",
            "address": "舟山市普陀区沈家门",
            "doc_type": "passport",
            "doc_number": "E87654321",
            "doc_country": "CN",
        },
    )

    assert r.status_code == 409
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Person)) == people
    assert db.scalar(select(Person).where(Person.name == "陈半途")) is None
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == events
    # What was typed is there again, and the refusal stands beside the document number.
    for typed in ("陈半途", "13900001111", "舟山市普陀区沈家门", "E87654321"):
        assert f'value="{typed}"' in r.text
    assert f"{owner.id}" in r.text.split('name="doc_number"', 1)[1].split("</label>", 1)[0]


def test_accepted_crew_form_saves_person_and_audit_event(client, db, login):
    writer = login("coordinator")
    r = client.post(
        "/crew/new",
        headers=writer.headers | {"Accept": "text/html"},
        follow_redirects=False,
        data={
            "name": "陈全程",
            "nationality": "CN",
            "doc_type": "passport",
            "doc_number": "E11223344",
            "doc_country": "CN",
        },
    )
    assert r.status_code == 303
    person = db.scalar(select(Person).where(Person.name == "陈全程"))
    assert person is not None
    assert (
        db.scalar(
            select(AuditEvent).where(AuditEvent.action == "person.create", AuditEvent.object_id == str(person.id))
        )
        is not None
    )


def test_submit_turns_a_lost_unique_race_into_a_409_on_the_form_and_keeps_nothing(db, make_org):
    """Two clerks saving the same record at once: the unique index refuses the second; its form
    comes back with a message, and nothing it flushed before the refusal stays."""
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse

    from maritime_hub.orgs.models import Organisation, OrgKind
    from maritime_hub.web.forms import submit

    make_org(name="舟山同名渔业公司")
    request = Request(
        {"type": "http", "method": "POST", "path": "/", "headers": [(b"accept-language", b"en")], "query_string": b""}
    )

    def action():
        db.add(Organisation(name="先写入的一行", kind=OrgKind.company))
        db.flush()
        db.add(Organisation(name="舟山同名渔业公司", kind=OrgKind.company))  # bypasses the service's check: the race
        db.flush()

    seen = {}
    r = submit(
        request,
        db,
        action,
        done=lambda _: PlainTextResponse("saved"),
        refused=lambda errors, exc: (
            seen.update(errors=errors, status=exc.status_code) or PlainTextResponse("again", exc.status_code)
        ),
    )
    assert r.status_code == 409 and seen["status"] == 409
    assert "conflicting record" in seen["errors"]["form"]
    assert db.scalar(select(Organisation).where(Organisation.name == "先写入的一行")) is None
    assert db.scalar(select(func.count()).select_from(Organisation).where(Organisation.name == "舟山同名渔业公司")) == 1

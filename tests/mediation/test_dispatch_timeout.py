"""ODR 12: no answer within 3 working days → automatic reassignment, counted with the calendar
across 国庆 2026 (assigned 09-30 → due 10-10, the adjusted working Saturday)."""

from __future__ import annotations

from datetime import UTC, datetime

from maritime_hub.audit.service import SYSTEM
from maritime_hub.auth.service import Principal
from mediation.cases.repository import CaseRepository
from mediation.dispatch import schemas, service
from mediation.dispatch.models import DispatchAttempt


def local_noon(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 4, 0, tzinfo=UTC)  # 12:00 in Zhoushan


def attempts(db, case_id: int) -> list[tuple[int, str | None, bool]]:
    rows = db.query(DispatchAttempt).filter_by(case_id=case_id).order_by(DispatchAttempt.id).all()
    return [(a.mediator_user_id, a.outcome.value if a.outcome else None, a.needs_coordinator) for a in rows]


def test_timeout_across_national_day_reassigns_once_then_flags_the_coordinator(world):
    db = world.db
    first, second = world.assigned_mediator.user_id, world.org_mediator.user_id
    for name in ("assigned_mediator", "org_mediator"):
        service.create_profile(
            db,
            SYSTEM,
            schemas.ProfileCreate(
                user_id=world.users[name].user_id,
                kind="sea_elder",
                specialties=["wage_dispute"] if name == "assigned_mediator" else [],
            ),
        )
    case_id = world.case_in("PLANNED")
    coordinator: Principal = world.principal("coordinator")
    service.assign(db, coordinator, case_id, first, now=datetime(2026, 9, 30, 2, 0, tzinfo=UTC))

    assert service.reassign_overdue(db, local_noon(2026, 10, 9)) == []
    assert service.reassign_overdue(db, local_noon(2026, 10, 10)) == []  # the due day itself (adjusted workday)
    assert attempts(db, case_id) == [(first, None, False)]

    out = service.reassign_overdue(db, local_noon(2026, 10, 11))
    assert [a.mediator_user_id for a in out] == [first]
    assert attempts(db, case_id) == [(first, "timed_out", False), (second, None, False)]
    case = CaseRepository(db).load(case_id)
    assert case.state.value == "DISPATCHING" and case.assigned_mediator_id == second

    # Idempotent: the same day again, and the new attempt's own window (10-11 → due 10-14).
    assert service.reassign_overdue(db, local_noon(2026, 10, 11)) == []
    assert service.reassign_overdue(db, local_noon(2026, 10, 14)) == []
    assert len(attempts(db, case_id)) == 2

    # Nobody left: the attempt is flagged for the coordinator and the case waits for a 派单.
    out = service.reassign_overdue(db, local_noon(2026, 10, 15))
    assert [a.mediator_user_id for a in out] == [second]
    assert attempts(db, case_id) == [(first, "timed_out", False), (second, "timed_out", True)]
    assert CaseRepository(db).load(case_id).assigned_mediator_id is None
    assert service.reassign_overdue(db, local_noon(2026, 10, 20)) == []
    assert len(attempts(db, case_id)) == 2


def test_an_accepted_dispatch_never_times_out(world):
    db = world.db
    case_id = world.case_in("ACCEPTED")
    assert service.reassign_overdue(db, local_noon(2027, 1, 31)) == []
    assert CaseRepository(db).load(case_id).state.value == "ACCEPTED"

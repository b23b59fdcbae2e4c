"""Background jobs for dispatch (run by `mh worker`)."""

from __future__ import annotations

from datetime import UTC, datetime

from maritime_hub.db.session import transaction
from maritime_hub.jobs.app import blueprint
from mediation.dispatch.service import reassign_overdue


@blueprint.periodic(cron="*/10 * * * *", periodic_id="reassign-overdue-dispatches")
@blueprint.task(name="mediation.reassign_overdue_dispatches", queue="dispatch")
def reassign_overdue_dispatches(timestamp: int) -> int:
    """ODR Rules 12: every 10 minutes, cases whose mediator has not answered within 3 working
    days go to the next candidate. Idempotent: a case that has moved on is left alone."""

    with transaction() as session:
        done = reassign_overdue(session, datetime.fromtimestamp(timestamp, UTC))
    return len(done) if isinstance(done, (list, tuple)) else int(done or 0)

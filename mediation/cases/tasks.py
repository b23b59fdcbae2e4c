"""Background jobs for cases (run by `mh worker`)."""

from __future__ import annotations

from datetime import UTC, datetime

from maritime_hub.db.session import transaction
from maritime_hub.jobs.app import blueprint
from mediation.cases.reminders import sweep


@blueprint.periodic(cron="*/15 * * * *", periodic_id="case-reminders")
@blueprint.task(name="mediation.case_reminders", queue="reminders")
def case_reminders(timestamp: int) -> int:
    """定时催办 / 超时督办 every 15 minutes: reminders before a deadline, escalations of overdue
    duties (mediation/cases/reminders.py). Each fires once; a case that moved on is left alone."""

    with transaction() as session:
        return len(sweep(session, datetime.fromtimestamp(timestamp, UTC)))

"""Role groups used by endpoint declarations; one place to read who may do what.

The full matrix is in docs/security.md and proven by tests/test_role_matrix.py.
"""

from maritime_hub.auth.models import Role
from maritime_hub.messages import N_, Label

# What people call each role: in messages (RoleName) and on the pages (maritime_hub/web/labels.py).
ROLE_NAMES = {
    "admin": N_("Administrator"),
    "coordinator": N_("Coordinator"),
    "mediator": N_("Mediator"),
    "fishery_auditor": N_("Fishery auditor"),
    "court_clerk": N_("Court clerk"),
    "judge": N_("Judge"),
    "party": N_("Party"),
}


class RoleName(Label):
    """A role inside a message: its code in English (what API clients and `mh users` use), its
    name elsewhere — a clerk reads 书记员, not court_clerk."""

    def localised(self, locale: str | None) -> str:
        if locale is not None and locale.startswith("en"):
            return str(self)
        return Label(ROLE_NAMES.get(str(self), str(self))).localised(locale)


ADMIN = (Role.admin,)
# Staff who work with registry data: the people a dispute links to.
REGISTRY_READ = (Role.admin, Role.coordinator, Role.mediator, Role.fishery_auditor, Role.court_clerk, Role.judge)
REGISTRY_WRITE = (Role.admin, Role.coordinator, Role.fishery_auditor)
AUDIT_READ = (Role.admin,)
# Who may freeze AIS evidence into the record (mediation staff and the bureau).
EVIDENCE_WRITE = (Role.admin, Role.coordinator, Role.mediator, Role.fishery_auditor)
# Dispute cases. Every role may call the read endpoints; which cases each sees is decided per case
# (mediation/cases/access.py). Admin and fishery_auditor only read.
CASE_READ = (
    Role.admin,
    Role.coordinator,
    Role.mediator,
    Role.fishery_auditor,
    Role.court_clerk,
    Role.judge,
    Role.party,
)
CASE_INTAKE = (Role.coordinator, Role.party, Role.court_clerk)  # the clerk: court referrals only
# Who may ask for a state change; the step's own relation to the case is checked in mediation/cases/states.py.
CASE_ACT = (Role.coordinator, Role.mediator, Role.court_clerk, Role.judge, Role.party)
CASE_FILE_WRITE = (Role.coordinator, Role.mediator)
CASE_EVIDENCE_WRITE = (Role.coordinator, Role.mediator, Role.party)
# Mediator dispatch (mediation/dispatch): profiles and conflicts are kept by coordinators and admin;
# 选单/派单 by the coordinator (admin may look); 接单/拒单 by the mediator; parties rate their mediator.
MEDIATOR_READ = (Role.admin, Role.coordinator, Role.mediator, Role.fishery_auditor)
MEDIATOR_WRITE = (Role.admin, Role.coordinator)
DISPATCH_READ = (Role.admin, Role.coordinator)
DISPATCH_ASSIGN = (Role.coordinator,)
DISPATCH_ANSWER = (Role.mediator,)
MEDIATOR_RATE = (Role.party,)
# A party's own choice of mediator (ODR Rules 12); the coordinator and admin see the choices.
MEDIATOR_CHOOSE = (Role.party,)
CHOICE_READ = (Role.admin, Role.coordinator, Role.party)
SUBSIDY_READ = (Role.admin, Role.coordinator, Role.fishery_auditor)
# Statistics (mediation/stats): coordinators for their own organisation; admin and fishery auditors for all.
# Courts, mediators and parties get no aggregate view (a mediator's own load is on the roster).
STATS_READ = (Role.admin, Role.coordinator, Role.fishery_auditor)
# Agreement follow-up (mediation/followup): obligations, payments, waivers and 回访 visits are written
# by the case's coordinator or mediators (checked per case); reads follow CASE_READ and case access.
FOLLOWUP_WRITE = (Role.coordinator, Role.mediator)

"""Role groups used by endpoint declarations; one place to read who may do what.

The full matrix is in docs/security.md and proven by tests/test_role_matrix.py.
"""

from maritime_hub.auth.models import Role

ADMIN = (Role.admin,)
# Staff who work with registry data: the people a dispute links to.
REGISTRY_READ = (Role.admin, Role.coordinator, Role.mediator, Role.fishery_auditor, Role.court_clerk, Role.judge)
REGISTRY_WRITE = (Role.admin, Role.coordinator, Role.fishery_auditor)
AUDIT_READ = (Role.admin,)
# Who may freeze AIS evidence into the record (mediation staff and the bureau).
EVIDENCE_WRITE = (Role.admin, Role.coordinator, Role.mediator, Role.fishery_auditor)

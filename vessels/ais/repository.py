from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Row, select

from maritime_hub.db.repository import RepositoryBase
from vessels.ais.models import AisEvidence

# A record without its drawn map and frozen positions: what a list of evidence shows.
SUMMARY = (AisEvidence.id, AisEvidence.kind, AisEvidence.sha256, AisEvidence.params, AisEvidence.created_at)


class AisEvidenceRepository(RepositoryBase[AisEvidence]):
    model = AisEvidence
    label = "AIS evidence"

    def summaries(self, ids: Collection[int]) -> list[Row]:
        if not ids:
            return []
        return list(self.session.execute(select(*SUMMARY).where(AisEvidence.id.in_(ids))))

    def recent(self, excluding: Collection[int], limit: int) -> list[Row]:
        """The newest records not in `excluding`, newest first."""
        stmt = select(*SUMMARY).order_by(AisEvidence.id.desc()).limit(limit)
        if excluding:
            stmt = stmt.where(AisEvidence.id.not_in(excluding))
        return list(self.session.execute(stmt))

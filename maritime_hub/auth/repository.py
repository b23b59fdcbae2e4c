from __future__ import annotations

from sqlalchemy import any_, select

from maritime_hub.auth.models import User
from maritime_hub.db.repository import RepositoryBase


class UserRepository(RepositoryBase[User]):
    model = User
    label = "user"

    def active_with_role(self, role: str) -> list[User]:
        """Active users holding `role`, by display name (pick lists such as the board's mediators)."""
        return list(
            self.session.scalars(
                select(User).where(any_(User.roles) == role, User.active.is_(True)).order_by(User.display_name)
            )
        )

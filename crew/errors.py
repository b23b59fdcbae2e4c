"""The crew registry's errors, each with a stable ``code``."""

from __future__ import annotations

from maritime_hub.errors import Conflict


class BoardingOverlap(Conflict):
    """409: the person is already recorded aboard a vessel for part of that period."""

    code = "boarding_overlap"

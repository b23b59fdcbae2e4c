"""Values inside translatable messages (maritime_hub.messages.Msg): a state or a labelled enum value
renders as the English code in English and as its Chinese label in Chinese (docs/architecture.md
"i18n/errors"). Imports states.py lazily: states imports rules, which uses these."""

from __future__ import annotations

from enum import Enum
from typing import Any

from maritime_hub.messages import ByLocale


def state(s: Any) -> ByLocale:
    """ "AGREED (签订协议)" in English, "“签订协议”" in Chinese."""
    from mediation.cases.states import STATE_LABELS_ZH, State

    s = State(getattr(s, "value", s))
    return ByLocale(f"{s.value} ({STATE_LABELS_ZH[s]})", zh_CN=f"“{STATE_LABELS_ZH[s]}”")


def label(kind: str, value: Enum | str) -> ByLocale:
    """An enum value (``label("side", "applicant")``): the code in English, states.LABELS_ZH in Chinese."""
    from mediation.cases.states import LABELS_ZH

    v = str(getattr(value, "value", value))
    return ByLocale(v, zh_CN=LABELS_ZH.get(kind, {}).get(v, v))

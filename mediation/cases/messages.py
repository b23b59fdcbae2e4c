"""Values inside translatable messages (maritime_hub.messages.Msg): a state or a labelled enum value
renders as the English code in English and as its Chinese label in Chinese (docs/architecture.md
"i18n/errors"). The labels come from labels.py and enums.py, which import nothing of the lifecycle."""

from __future__ import annotations

from enum import Enum
from typing import Any

from maritime_hub.messages import ByLocale
from mediation.cases.enums import State
from mediation.cases.labels import LABELS_ZH, STATE_LABELS_ZH


def state(s: Any) -> ByLocale:
    """ "AGREED (签订协议)" in English, "“签订协议”" in Chinese."""

    s = State(getattr(s, "value", s))
    return ByLocale(f"{s.value} ({STATE_LABELS_ZH[s]})", zh_CN=f"“{STATE_LABELS_ZH[s]}”")


def label(kind: str, value: Enum | str) -> ByLocale:
    """An enum value (``label("side", "applicant")``): the code in English, states.LABELS_ZH in Chinese."""

    v = str(getattr(value, "value", value))
    return ByLocale(v, zh_CN=LABELS_ZH.get(kind, {}).get(v, v))

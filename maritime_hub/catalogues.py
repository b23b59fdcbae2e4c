"""Babel catalogues (zh_CN primary, en second), compiled in memory from the .po files.

Kernel module: the web layer (web/i18n.py) adds the per-request locale on top; background code
(notifications, jobs) translates for a given recipient with ``gettext_for``.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = ("zh_CN", "en")
DEFAULT = "zh_CN"
I18N_DIR = Path(__file__).resolve().parent / "i18n"


@lru_cache
def translations(locale: str) -> Translations:
    po = I18N_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return Translations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(fp=buf)


def normalise(locale: str | None) -> str:
    """A supported locale: the user's own, or the primary one (zh_CN)."""
    return locale if locale in LOCALES else DEFAULT


def from_accept_language(header: str | None) -> str | None:
    """zh_CN or en, whichever an Accept-Language header prefers (equal weights: the first listed
    wins); None when it names neither."""
    best, best_q = None, 0.0
    for i, part in enumerate((header or "").split(",")):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        tag = tag.strip().lower()
        if tag.startswith(("zh", "en")) and weight > best_q:
            best, best_q = tag, weight - i * 1e-6
    return None if best is None else "zh_CN" if best.startswith("zh") else "en"


def gettext_for(locale: str | None, message: str) -> str:
    """``message`` in ``locale`` (e.g. a notification in its recipient's language)."""
    return translations(normalise(locale)).ugettext(message)

"""Babel catalogues (zh_CN primary, en second) for templates and messages.

The .po files are the source of truth; they are compiled in memory at start-up, so a
fresh clone needs no separate compile step.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = ("zh_CN", "en")
DEFAULT = "zh_CN"
I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT)


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


def gettext(message: str) -> str:
    return translations(current_locale.get()).ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_locale.get()).ungettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a string for extraction; translated where it is shown."""
    return message


def pick_locale(cookie: str | None, user_locale: str | None, accept_language: str | None) -> str:
    for cand in (cookie, user_locale):
        if cand in LOCALES:
            return cand  # type: ignore[return-value]
    if accept_language and accept_language.lower().startswith("en"):
        return "en"
    return DEFAULT

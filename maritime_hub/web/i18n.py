"""Babel catalogues (zh_CN primary, en second) for templates and messages.

The .po files are the source of truth; they are compiled in memory at start-up (kernel module
maritime_hub/catalogues.py, shared with notifications), so a fresh clone needs no separate
compile step. This module adds the per-request locale.
"""

from __future__ import annotations

from contextvars import ContextVar

from maritime_hub.catalogues import DEFAULT, I18N_DIR, LOCALES, translations

__all__ = [
    "DEFAULT",
    "I18N_DIR",
    "LOCALES",
    "N_",
    "current_locale",
    "gettext",
    "ngettext",
    "pick_locale",
    "translations",
]

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT)


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

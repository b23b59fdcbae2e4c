"""Template rendering: locale per request, Asia/Shanghai display times, the CSRF token in every form."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse

from maritime_hub.auth import roles
from maritime_hub.config import get_settings
from maritime_hub.coords import format_position
from maritime_hub.errors import MaritimeHubError
from maritime_hub.messages import localise
from maritime_hub.web import i18n
from maritime_hub.web.assets import asset_url
from maritime_hub.web.labels import LABELS
from mediation.followup.schemas import LABELS as FOLLOWUP_LABELS

TEMPLATES = Path(__file__).resolve().parent / "templates"
LANG_COOKIE = "mh_lang"

env = Environment(
    loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(), extensions=["jinja2.ext.i18n"]
)
templates = Jinja2Templates(env=env)
env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]


def _local(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(get_settings().timezone)).strftime(fmt)


def _iso_local(value: str | None) -> str:
    """An ISO timestamp kept in a JSON record, in local time (the ``local`` filter's format)."""
    try:
        return _local(datetime.fromisoformat(str(value))) if value else ""
    except ValueError:
        return str(value)


def _label(value: Any) -> str:
    key = getattr(value, "value", value)
    msg = LABELS.get(str(key))
    return i18n.gettext(msg) if msg else str(key)


def _followup_label(value: Any, kind: str) -> str:
    """A follow-up value (status, payment method, visit channel) in the page's language."""
    key = str(getattr(value, "value", value))
    msg = FOLLOWUP_LABELS.get(kind, {}).get(key)
    return i18n.gettext(msg) if msg else key


def _num(value: Decimal | float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, (Decimal, float)) else str(value)


def _country(code: str | None) -> str:
    if not code:
        return ""
    if code == "ZZ":
        return i18n.gettext("Unknown")
    from babel import Locale

    return Locale.parse(i18n.current_locale.get()).territories.get(code, code)


def _language(code: str | None) -> str:
    from babel import Locale

    return Locale.parse(i18n.current_locale.get()).languages.get(code or "", code or "")


def _warning(w) -> str:
    """A registry warning in the reader's language (the API keeps the English text)."""
    p = getattr(w, "params", None) or {}
    if w.code == "AGE-01" and "age" in p:
        if p["age"] < 16:
            return i18n.gettext("Fisher is %(age)s, under the minimum age of 16 (C188 Art 9).") % p
        return i18n.gettext("Fisher is %(age)s, under 18: no hazardous work or night duty (C188 Art 9).") % p
    if w.code == "CERT" and "cert_type" in p:
        msg = (
            i18n.gettext("%(cert)s expired on %(date)s.")
            if p.get("status") == "expired"
            else i18n.gettext("%(cert)s expires on %(date)s.")
        )
        return msg % {"cert": _label(p["cert_type"]), "date": p.get("expiry", "")}
    return w.message


def _position(p: Any) -> str:
    """A position (an object or a mapping with lat and lon) with its hemispheres (maritime_hub/coords.py)."""
    if p is None:
        return ""
    lat, lon = (p["lat"], p["lon"]) if isinstance(p, dict) else (p.lat, p.lon)
    return format_position(lat, lon)


def _message(value: Any) -> str:
    """An error (MaritimeHubError) or a message (messages.Msg) in the page's locale; plain text as is."""
    return localise(value, i18n.current_locale.get())


env.filters["message"] = _message
env.filters["local"] = _local
env.filters["iso_local"] = _iso_local
env.filters["country"] = _country
env.filters["language"] = _language
env.filters["warning"] = _warning
env.filters["label"] = _label
env.filters["followup_label"] = _followup_label
env.filters["num"] = _num
env.filters["position"] = _position
env.globals["today"] = date.today
env.globals["asset_url"] = asset_url


def locale_for(request: Request) -> str:
    principal = getattr(request.state, "principal", None)
    return i18n.pick_locale(
        request.cookies.get(LANG_COOKIE), getattr(principal, "locale", None), request.headers.get("accept-language")
    )


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    locale = locale_for(request)
    token = i18n.current_locale.set(locale)
    try:
        principal = getattr(request.state, "principal", None)
        ctx = {
            "principal": principal,
            "csrf_token": getattr(principal, "csrf_token", None) or getattr(request.state, "login_csrf", ""),
            "locale": locale,
            "lang": "zh-CN" if locale == "zh_CN" else "en",
            "demo": get_settings().demo,
            "path": request.url.path,
        }
        ctx.update(context or {})
        if isinstance(ctx.get("errors"), dict):  # field errors: messages (messages.Msg) in the page's language
            ctx["errors"] = {k: localise(v, locale) for k, v in ctx["errors"].items()}
        return templates.TemplateResponse(request, name, ctx, status_code=status_code)
    finally:
        i18n.current_locale.reset(token)


def error_page(request: Request, exc: MaritimeHubError) -> HTMLResponse:
    return render(request, "error.html", {"error": exc}, status_code=exc.status_code)


def _role_groups() -> None:

    env.globals["REGISTRY_READ"] = [r.value for r in roles.REGISTRY_READ]
    env.globals["REGISTRY_WRITE"] = [r.value for r in roles.REGISTRY_WRITE]
    env.globals["CASE_READ"] = [r.value for r in roles.CASE_READ]
    env.globals["MEDIATOR_READ"] = [r.value for r in roles.MEDIATOR_READ]
    env.globals["CASE_INTAKE"] = [r.value for r in roles.CASE_INTAKE]


_role_groups()

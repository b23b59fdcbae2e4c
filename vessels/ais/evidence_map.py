"""The map of a frozen AIS analysis, drawn from the frozen record alone (its GeoJSON, figures and
parameters), in the reader's language and the display time zone. Rendering is not part of the
evidence: the SHA-256 covers the record, and the same record and locale always give the same SVG,
so a map can be redrawn (better, or in English) without touching what was frozen."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from maritime_hub.catalogues import DEFAULT, from_accept_language, gettext_for, normalise
from maritime_hub.config import get_settings
from maritime_hub.messages import N_
from vessels.ais import mapsvg
from vessels.ais.analytics import NM
from vessels.models import Vessel, VesselStatus

TITLES = {"track": N_("AIS track"), "cpa": N_("Closest point of approach (CPA)"), "gaps": N_("AIS signal gaps")}
WINDOW = N_("{start} to {end} ({zone})")
BEIJING = N_("Beijing time, UTC+8")
EVIDENCE = N_("Evidence #{id} · SHA-256 {sha256}")
GAP = N_("gap {hours} h")
CPA = N_("CPA {metres} m ({nm} nm)")
NO_GAPS = N_("No AIS gap of {hours} h or more in this window")
WORDS = {
    "start": N_("track start"),
    "end": N_("track end"),
    "gap": N_("AIS gap (no positions received)"),
    "gap_ends": N_("last position before / first position after the gap"),
    "cpa": N_("Closest point of approach (CPA)"),
    "land": N_("Land (Natural Earth 1:{scale})"),
    "nm": N_("{nm} nm"),
    "footer": N_("Equirectangular projection scaled by the cosine of latitude; land: Natural Earth (public domain)."),
}


def locale_for(lang: str | None, accept_language: str | None, user_locale: str | None = None) -> str:
    """The map's language: a map is a document for a Chinese case file, so Chinese unless ``?lang=en``,
    an Accept-Language preferring English, or the user's own setting asks for English."""
    if lang:
        return "en" if lang.lower().startswith("en") else DEFAULT
    return from_accept_language(accept_language) or normalise(user_locale)


def names(session: Session, mmsis: list[int], locale: str) -> dict[int, str]:
    """Registry names of active vessels with these MMSIs (shown, not frozen: a renamed vessel's map shows the new name)."""
    rows = session.execute(
        select(Vessel.mmsi, Vessel.name_zh, Vessel.name_en, Vessel.ais_name).where(
            Vessel.mmsi.in_([str(m) for m in mmsis]), Vessel.status == VesselStatus.active
        )
    ).all()
    order = (1, 2, 3) if locale == "zh_CN" else (2, 3, 1)
    # r[0] is never None (selected by MMSI); the test only tells the type checker so.
    return {int(r[0]): name for r in rows if r[0] is not None and (name := next((r[i] for i in order if r[i]), None))}


def draw(
    kind: str,
    params: dict,
    result: dict,
    *,
    sha256: str = "",
    evidence_id: int | None = None,
    vessel_names: dict[int, str] | None = None,
    locale: str = DEFAULT,
) -> str:
    locale = normalise(locale)
    vessel_names = vessel_names or {}

    def t(message: str, **kw: Any) -> str:
        return gettext_for(locale, message).format(**kw)

    tz_name = get_settings().timezone
    tz = ZoneInfo(tz_name)

    def local(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
        return datetime.fromisoformat(str(value)).astimezone(tz).strftime(fmt) if value else "?"

    def between(props: dict) -> str:
        return f"{local(props.get('start'), '%m-%d %H:%M')} – {local(props.get('end'), '%m-%d %H:%M')}"

    zone = t(BEIJING) if tz_name in ("Asia/Shanghai", "PRC", "Asia/Chongqing") else tz_name
    title = f"{t(TITLES.get(kind, kind))} · {t(WINDOW, start=local(params.get('start')), end=local(params.get('end')), zone=zone)}"
    subtitle = t(EVIDENCE, id=evidence_id, sha256=sha256) if evidence_id is not None else f"SHA-256 {sha256}"
    words = mapsvg.Words(
        title=title,
        subtitle=subtitle,
        **{k: t(v) if k not in ("land", "nm") else gettext_for(locale, v) for k, v in WORDS.items()},
    )
    features = result.get("features", [])
    tracks: dict[int, mapsvg.Track] = {}
    for f in features:
        p, g = f["properties"], f.get("geometry") or {}
        if p.get("kind") != "track" or not g:
            continue
        coords = [tuple(c) for c in g["coordinates"]] if g["type"] == "LineString" else [tuple(g["coordinates"])]
        name = vessel_names.get(p["mmsi"])
        span = between(p)
        tracks[p["mmsi"]] = mapsvg.Track(
            name or str(p["mmsi"]), " · ".join(x for x in (name, f"MMSI {p['mmsi']}", span) if x), coords
        )
    gaps, cpas = [], []
    for f in features:
        p = f["properties"]
        if p.get("kind") != "gap":
            continue
        a, b = (tuple(c) for c in f["geometry"]["coordinates"])
        tr = tracks.get(p.get("mmsi"))
        if tr is not None:  # the track's line must not bridge the gap as if the vessel had been seen
            tr.breaks |= {i for i in range(len(tr.coords) - 1) if _same(tr.coords[i], a) and _same(tr.coords[i + 1], b)}
        gaps.append(mapsvg.Segment(a, b, t(GAP, hours=f"{p['hours']:.1f}"), between(p)))
    if kind == "gaps" and not gaps:
        words.empty = t(NO_GAPS, hours=f"{params.get('min_hours', 6):g}")
    c = (result.get("properties") or {}).get("cpa")
    if kind == "cpa" and c:
        a, b = c["position_a"], c["position_b"]
        cpas.append(
            mapsvg.Segment(
                (a["lon"], a["lat"]),
                (b["lon"], b["lat"]),
                t(CPA, metres=f"{c['distance_m']:.0f}", nm=f"{c['distance_m'] / NM:.2f}"),
                local(c.get("time")),
            )
        )
        order = [c["mmsi_a"], c["mmsi_b"]]  # A's and B's CPA marks take their tracks' colours
        tracks = {m: tracks[m] for m in order if m in tracks} | tracks
    return mapsvg.render(list(tracks.values()), gaps, cpas, words)


def _same(p: tuple, q: tuple) -> bool:
    return abs(p[0] - q[0]) < 1e-9 and abs(p[1] - q[1]) < 1e-9


def render(session: Session, ev: Any, locale: str = DEFAULT) -> str:
    """The map of an AisEvidence row (or anything with its fields) in ``locale``."""
    mmsis = [int(m) for m in (ev.params or {}).get("mmsis", [])]
    return draw(
        ev.kind,
        ev.params,
        ev.result,
        sha256=ev.sha256,
        evidence_id=ev.id,
        vessel_names=names(session, mmsis, normalise(locale)),
        locale=locale,
    )

"""Freezing an AIS analysis into immutable evidence: GeoJSON + parameters + source files +
SHA-256 of the canonical JSON, with an SVG map. Cases attach these by id.

The map is drawn from the frozen record (evidence_map.py) and is not part of what the SHA-256
covers: the stored ``svg`` is the Chinese map as drawn at freezing; readers get one drawn afresh
in their language."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Literal

from sqlalchemy import text
from sqlalchemy.orm import Session

from maritime_hub.audit.service import Actor, canonical, jsonable, record
from maritime_hub.errors import NotFound, ValidationFailed
from maritime_hub.messages import N_
from vessels.ais import analytics, evidence_map
from vessels.ais.formats import track_geojson
from vessels.ais.models import AisEvidence
from vessels.validation import MMSI_MAX

Kind = Literal["track", "cpa", "gaps"]


def _sources(session: Session, mmsis: list[int], start: datetime, end: datetime) -> list[dict]:
    """Which ingested files the positions came from (provenance for the court)."""
    rows = session.execute(
        text("""
        SELECT s.name, p.file_name, p.file_sha256
        FROM (SELECT DISTINCT source_id FROM ais_position WHERE mmsi = ANY(:m) AND ts >= :s AND ts < :e) u
        JOIN ais_source s ON s.id = u.source_id
        LEFT JOIN (SELECT DISTINCT source_id, file_name, file_sha256 FROM ais_ingest_progress) p ON p.source_id = s.id
        ORDER BY s.name, p.file_name
    """),
        {"m": mmsis, "s": start, "e": end},
    )
    return [{"source": r[0], "file_name": r[1], "file_sha256": r[2]} for r in rows]


def digest(kind: str, params: dict, result: dict, sources: list) -> str:
    return hashlib.sha256(
        canonical(jsonable({"kind": kind, "params": params, "result": result, "sources": sources})).encode()
    ).hexdigest()


def freeze(
    session: Session, actor: Actor, kind: Kind, mmsis: list[int], start: datetime, end: datetime, min_hours: float = 6.0
) -> AisEvidence:
    analytics.check_window(start, end)
    if not mmsis or (kind == "cpa" and len(set(mmsis)) != 2):
        raise ValidationFailed(N_("track and gaps need at least one MMSI; cpa needs exactly two"), field="mmsis")
    if len(set(mmsis)) != len(mmsis):
        raise ValidationFailed(N_("give each MMSI once"), field="mmsis")
    if not all(0 < m <= MMSI_MAX for m in mmsis):
        raise ValidationFailed(N_("an MMSI has at most nine digits"), field="mmsis")
    params: dict[str, object] = {"kind": kind, "mmsis": mmsis, "start": start, "end": end}
    tracks = {m: analytics.track(session, m, start, end) for m in mmsis}
    if not any(tracks.values()):
        raise NotFound(N_("no positions for these vessels in the window"), field="mmsis")
    features = [f for m, pts in tracks.items() for f in track_geojson(m, pts)["features"][:1]]
    props: dict[str, object] = {}
    if kind == "cpa":
        c = analytics.cpa(session, mmsis[0], mmsis[1], start, end)
        props = {"cpa": c}
        for side in ("a", "b"):
            p = c[f"position_{side}"]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                    "properties": {"kind": "cpa_position", "mmsi": c[f"mmsi_{side}"], "time": c["time"]},
                }
            )
    elif kind == "gaps":
        params["min_hours"] = min_hours
        found = [g for m in mmsis for g in analytics.gaps(session, m, start, end, min_hours)]
        props = {"gaps": found}
        for g in found:
            a, b = g["start_position"], g["end_position"]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": [[a["lon"], a["lat"]], [b["lon"], b["lat"]]]},
                    "properties": {
                        "kind": "gap",
                        **{k: v for k, v in g.items() if k not in ("start_position", "end_position")},
                    },
                }
            )
    result = jsonable({"type": "FeatureCollection", "features": features, "properties": props})
    sources = _sources(session, mmsis, start, end)
    params_j = jsonable(params)
    sha = digest(kind, params_j, result, sources)
    # The same analysis of the same data twice is the same evidence: return the first.
    existing = session.query(AisEvidence).filter_by(sha256=sha).one_or_none()
    if existing is not None:
        return existing
    svg = evidence_map.draw(
        kind, params_j, result, sha256=sha, vessel_names=evidence_map.names(session, mmsis, "zh_CN")
    )
    ev = AisEvidence(
        kind=kind, params=params_j, result=result, sources=sources, sha256=sha, svg=svg, created_by=actor.user_id
    )
    session.add(ev)
    session.flush()
    record(
        session,
        actor,
        "ais.evidence.freeze",
        "ais_evidence",
        ev.id,
        after={"kind": kind, "sha256": ev.sha256, "params": params_j},
    )
    return ev


def verify(ev: AisEvidence) -> bool:
    return digest(ev.kind, ev.params, ev.result, ev.sources) == ev.sha256


def get(session: Session, evidence_id: int) -> AisEvidence:
    ev = session.get(AisEvidence, evidence_id)
    if ev is None:
        raise NotFound(N_("evidence {evidence_id} not found"), evidence_id=evidence_id)
    return ev


def map_svg(session: Session, evidence_id: int, locale: str) -> str:
    """The evidence's map drawn afresh from the frozen record, in ``locale`` (evidence_map.py)."""
    return evidence_map.render(session, get(session, evidence_id), locale)

"""Track exports: GeoJSON (LineString + points), CSV, KML (simplekml)."""

from __future__ import annotations

import csv
import io
from typing import Any

import simplekml

from vessels.ais.analytics import GAP_HOURS, Point


def track_geojson(mmsi: int, points: list[Point], props: dict | None = None) -> dict:
    coords = [[p.lon, p.lat] for p in points]
    geometry: dict[str, Any] | None = (
        {"type": "LineString", "coordinates": coords}
        if len(coords) >= 2
        else {"type": "Point", "coordinates": coords[0]}
        if coords
        else None
    )
    line = {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "mmsi": mmsi,
            "kind": "track",
            "points": len(points),
            "start": points[0].ts.isoformat() if points else None,
            "end": points[-1].ts.isoformat() if points else None,
            **(props or {}),
        },
    }
    feats = [line] + [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
            "properties": {
                "mmsi": mmsi,
                "kind": "position",
                "ts": p.ts.isoformat(),
                "sog": p.sog,
                "cog": p.cog,
                "heading": p.heading,
                "nav_status": p.nav_status,
                "msg_type": p.msg_type,
            },
        }
        for p in points
    ]
    # The silences of the track (the gaps analysis's definition: consecutive positions more than
    # GAP_HOURS apart), after the positions so the first feature stays the track: a map draws the
    # line broken there and labels the gap.
    for a, b in zip(points, points[1:], strict=False):
        hours = (b.ts - a.ts).total_seconds() / 3600
        if hours > GAP_HOURS:
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": [[a.lon, a.lat], [b.lon, b.lat]]},
                    "properties": {
                        "mmsi": mmsi,
                        "kind": "gap",
                        "start": a.ts.isoformat(),
                        "end": b.ts.isoformat(),
                        "hours": round(hours, 1),
                    },
                }
            )
    return {"type": "FeatureCollection", "features": feats}


def track_csv(mmsi: int, points: list[Point]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["mmsi", "ts_utc", "lon", "lat", "sog_kn", "cog_deg", "heading", "nav_status", "msg_type"])
    for p in points:
        w.writerow([mmsi, p.ts.isoformat(), p.lon, p.lat, p.sog, p.cog, p.heading, p.nav_status, p.msg_type])
    return buf.getvalue()


def track_kml(mmsi: int, points: list[Point], name: str | None = None) -> str:
    kml = simplekml.Kml(name=f"AIS track {name or mmsi}")
    if len(points) >= 2:
        ls = kml.newlinestring(name=name or str(mmsi), coords=[(p.lon, p.lat) for p in points])
        ls.style.linestyle.width = 3
        ls.style.linestyle.color = simplekml.Color.red
    folder = kml.newfolder(name="positions")
    for p in points:
        pt = folder.newpoint(coords=[(p.lon, p.lat)])
        pt.timestamp.when = p.ts.isoformat()
        pt.description = f"SOG {p.sog} kn, COG {p.cog}°"
    return kml.kml()

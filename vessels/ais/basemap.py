"""Natural Earth land (npm `world-atlas`, public domain) for the evidence map, offline.

The live map (/map) draws the same TopoJSON files in the browser with topojson-client; here they
are decoded in Python and clipped to the map's box, so a printed map shows the same shore. When
node_modules is missing (a bare `pip install`), there is no land and the map keeps its graticule.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Polygon

from maritime_hub.config import PROJECT_ROOT

Ring = list[tuple[float, float]]
# 1:10m (3 MB, ~0.5 s to load once per process) only for boxes small enough to need it, as map.js does.
FINE_BELOW_DEG = 6.0


def atlas_dir() -> Path | None:
    for base in (PROJECT_ROOT, Path.cwd()):
        d = base / "node_modules" / "world-atlas"
        if (d / "land-50m.json").exists():
            return d
    return None


@dataclass(frozen=True)
class Atlas:
    scale: str  # "10m" or "50m"
    arcs: list[np.ndarray]  # absolute lon/lat per arc
    polygons: list[list[list[int]]]  # rings as arc indices (~i: arc i reversed); the first is the shell
    boxes: np.ndarray  # per polygon: min lon, min lat, max lon, max lat of its shell


@lru_cache(maxsize=2)
def atlas(scale: str) -> Atlas | None:
    d = atlas_dir()
    if d is None or not (d / f"land-{scale}.json").exists():
        return None
    topo = json.loads((d / f"land-{scale}.json").read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        q = np.cumsum(np.asarray(arc, dtype=np.int64), axis=0)  # TopoJSON arcs are delta-encoded
        arcs.append(np.column_stack((q[:, 0] * sx + tx, q[:, 1] * sy + ty)))
    arc_box = np.array([(a[:, 0].min(), a[:, 1].min(), a[:, 0].max(), a[:, 1].max()) for a in arcs])
    polygons: list[list[list[int]]] = []
    for geom in topo["objects"]["land"]["geometries"]:
        polygons += (
            geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]] if geom["type"] == "Polygon" else []
        )
    boxes = np.array(
        [
            (*b[:, :2].min(axis=0), *b[:, 2:].max(axis=0))
            for b in (arc_box[[i if i >= 0 else ~i for i in rings[0]]] for rings in polygons)
        ]
    )
    return Atlas(scale, arcs, polygons, boxes)


def _ring(a: Atlas, indices: list[int]) -> np.ndarray:
    parts = [a.arcs[i] if i >= 0 else a.arcs[~i][::-1] for i in indices]
    return np.concatenate([parts[0]] + [p[1:] for p in parts[1:]])


def land(west: float, south: float, east: float, north: float) -> tuple[str | None, list[list[Ring]]]:
    """The land polygons (each a list of rings, shell first) clipped to the box, and the Natural
    Earth scale used; (None, []) without the data."""
    scale = "10m" if max(east - west, north - south) < FINE_BELOW_DEG else "50m"
    a = atlas(scale)
    if a is None:
        return None, []
    out: list[list[Ring]] = []
    b = a.boxes
    hits = np.flatnonzero((b[:, 0] <= east) & (b[:, 2] >= west) & (b[:, 1] <= north) & (b[:, 3] >= south))
    for k in hits:
        rings = a.polygons[k]
        # Clip first: making Eurasia valid takes seconds, the piece in the box milliseconds.
        clipped = shapely.clip_by_rect(
            Polygon(_ring(a, rings[0]), [_ring(a, r) for r in rings[1:]]), west, south, east, north
        )
        if not clipped.is_valid:
            clipped = shapely.make_valid(clipped)
        out += [[list(p.exterior.coords)] + [list(r.coords) for r in p.interiors] for p in _polygons(clipped)]
    return scale, out


def _polygons(g):
    if isinstance(g, Polygon):
        if not g.is_empty:
            yield g
    else:
        for part in getattr(g, "geoms", ()):  # multi-polygons, and what make_valid may return
            yield from _polygons(part)


# The live map's first land layer (/static/land/land-50m.json): Natural Earth 1:50m as it is over
# the seas this platform serves, simplified elsewhere, quantised to ~1 km. 545 KB -> ~160 KB of
# TopoJSON, ~55 KB gzipped (issue 14: a map page within 150 KB at 64 kbit/s). Douglas-Peucker runs
# on each arc of the topology, so neighbouring polygons keep their shared borders; an arc is cut
# where it enters or leaves the box, and the cut points are kept.
DETAIL_BOX = (100.0, 0.0, 145.0, 45.0)  # west, south, east, north: the China seas, Japan, the Philippines
DETAIL_TOLERANCE_DEG = 0.01  # about the 1:50m data's own spacing: the coast here stays as drawn
ELSEWHERE_TOLERANCE_DEG = 0.15
QUANTISATION = 30_000  # grid steps per 360° / 180°: 0.012° x 0.006°


def _simplified_arc(c: np.ndarray) -> np.ndarray:
    w, s, e, n = DETAIL_BOX
    inside = (c[:, 0] >= w) & (c[:, 0] <= e) & (c[:, 1] >= s) & (c[:, 1] <= n)
    cuts = [0, *(np.flatnonzero(inside[1:] != inside[:-1]) + 1).tolist(), len(c)]
    parts: list[np.ndarray] = []
    for start, end in zip(cuts[:-1], cuts[1:], strict=True):
        run = c[max(start - 1, 0) : end]  # from the last point of the run before: no gap at the cut
        if len(run) > 2:
            tolerance = DETAIL_TOLERANCE_DEG if inside[start] else ELSEWHERE_TOLERANCE_DEG
            run = np.asarray(shapely.simplify(shapely.LineString(run), tolerance).coords)
        parts.append(run if not parts else run[1:])
    return np.concatenate(parts)


@lru_cache(maxsize=1)
def web_land() -> bytes | None:
    """TopoJSON bytes (the `land` object of world-atlas, for topojson-client), or None without the data."""
    a = atlas("50m")
    d = atlas_dir()
    if a is None or d is None:
        return None
    objects = json.loads((d / "land-50m.json").read_text(encoding="utf-8"))["objects"]
    sx, sy = 360 / (QUANTISATION - 1), 180 / (QUANTISATION - 1)
    arcs = []
    for arc in a.arcs:
        q = np.round((_simplified_arc(arc) - (-180, -90)) / (sx, sy)).astype(np.int64)
        keep = np.ones(len(q), dtype=bool)
        keep[1:] = np.any(q[1:] != q[:-1], axis=1)  # points that fell on the same grid step
        q = q[keep]
        if len(q) < 2:
            q = np.vstack([q, q])
        arcs.append(np.vstack([q[:1], np.diff(q, axis=0)]).tolist())  # delta-encoded, as TopoJSON wants
    topo = {
        "type": "Topology",
        "transform": {"scale": [sx, sy], "translate": [-180, -90]},
        "objects": objects,
        "arcs": arcs,
    }
    return json.dumps(topo, separators=(",", ":")).encode()

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

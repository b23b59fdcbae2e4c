"""A map of tracks, AIS gaps and a CPA as SVG, for the case file and documents.

Written by hand rather than through a drawing library so the text is real text in a declared CJK
font (WenQuanYi Zen Hei, the font the PDFs embed), labels get a white halo, and the same input
gives the same bytes. Equirectangular, scaled by cos(lat) so shapes are right at sea-dispute
scales; Natural Earth land (basemap.py), a graticule with degree/minute labels and a scale bar say
where and how far. The words come translated from the caller (evidence_map.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from vessels.ais import basemap

LonLat = tuple[float, float]
FONT = "'WenQuanYi Zen Hei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"
PALETTE = ("#1d4ed8", "#047857", "#7c3aed", "#0e7490", "#a16207", "#334155")
GAP, CPA, INK, MUTED = "#dc2626", "#111827", "#1f2937", "#6b7280"
SEA, LAND, SHORE, GRID = "#eef5fb", "#ece6d3", "#9c927a", "#b8c4d0"
W, FX, FY, FW, FH = 800, 64, 70, 712, 480  # canvas width; map frame x, y, width, height
GRID_MINUTES = (1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600)


@dataclass
class Track:
    label: str  # next to the end marker: the name, or the MMSI
    legend: str  # name, MMSI and time span
    coords: list[LonLat]
    breaks: set[int] = field(default_factory=set)  # i: no line from coords[i] to coords[i + 1] (an AIS gap)


@dataclass
class Segment:
    """An AIS gap (last position before, first after) or a CPA (vessel A's and B's positions)."""

    a: LonLat
    b: LonLat
    text: str
    note: str = ""


@dataclass
class Words:
    title: str = ""
    subtitle: str = ""
    start: str = "track start"
    end: str = "track end"
    gap: str = "AIS gap"
    gap_ends: str = "last position before / first after the gap"
    cpa: str = "CPA"
    land: str = "Land"
    nm: str = "{nm} nm"
    footer: str = ""
    empty: str = ""  # said on the map when there is nothing to mark (no gap found)


def _n(v: float) -> str:
    s = f"{v:.1f}"
    return "0.0" if s == "-0.0" else s


def text_width(s: str, size: float) -> float:
    return sum(size if ord(c) >= 0x2E80 else 0.56 * size for c in s)


def _text(
    x: float,
    y: float,
    s: str,
    size: float = 11,
    fill: str = INK,
    anchor: str = "start",
    halo: bool = False,
    cls: str = "",
    extra: str = "",
) -> str:
    attrs = f' class="{cls}"' if cls else ""
    if halo:
        attrs += ' stroke="#ffffff" stroke-width="3.5" stroke-linejoin="round" paint-order="stroke"'
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size:g}" fill="{fill}" text-anchor="{anchor}"{attrs}{extra}>'
        f"{escape(s)}</text>"
    )


def _grid_step(span_deg: float, px: float) -> int:
    """Minutes between graticule lines: about one every 90-160 px."""
    for m in GRID_MINUTES:
        if px * m / 60 / max(span_deg, 1e-9) >= 90:
            return m
    return GRID_MINUTES[-1]


def _dms(minutes: int, pos: str, neg: str) -> str:
    d, m = divmod(abs(minutes), 60)
    hemi = "" if minutes == 0 else pos if minutes > 0 else neg
    return f"{d}°{m:02d}′{hemi}" if m else f"{d}°{hemi}"


def _nice(x: float) -> float:
    mag = 10 ** math.floor(math.log10(x))
    return next((m * mag for m in (5, 2, 1) if m * mag <= x), mag)


def _thin(pts: list[tuple[float, float]], keep: AbstractSet[int] = frozenset(), min_px: float = 0.6) -> list[int]:
    """Indices of points at least min_px from the last kept one (and of every point in keep)."""
    out: list[int] = []
    for i, (x, y) in enumerate(pts):
        if not out or i in keep or i == len(pts) - 1 or abs(x - pts[out[-1]][0]) + abs(y - pts[out[-1]][1]) >= min_px:
            out.append(i)
    return out


def _place(
    ax: float, ay: float, w: float, h: float, occupied: np.ndarray, taken: list[tuple[float, float, float, float]]
) -> tuple[float, float]:
    """Top-left corner for a w x h label near (ax, ay): of 8 directions at 3 distances, the box over the
    fewest track points and clear of other labels, inside the frame (ties: the nearest, then the first)."""
    best: tuple[tuple[float, int], tuple[float, float]] = ((math.inf, 0), (ax, ay))  # beaten by the first try
    for dist in (34, 70, 120):
        for dx, dy in ((0, -1), (1, -1), (1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1)):
            cx, cy = ax + dx * (dist + w / 2 * abs(dx)), ay + dy * (dist + h / 2 * abs(dy))
            x = min(max(cx - w / 2, FX + 4), FX + FW - w - 4)
            y = min(max(cy - h / 2, FY + 4), FY + FH - h - 4)
            ox, oy = occupied[:, 0], occupied[:, 1]
            hits = int(np.count_nonzero((ox >= x - 3) & (ox <= x + w + 3) & (oy >= y - 3) & (oy <= y + h + 3)))
            hits += sum(1000 for tx, ty, tw, th in taken if x < tx + tw and tx < x + w and y < ty + th and ty < y + h)
            hits += 1000 * (x - 3 <= ax <= x + w + 3 and y - 3 <= ay <= y + h + 3)
            if (hits, dist) < best[0]:
                best = ((hits, dist), (x, y))
    return best[1]


def _flow(items: list[tuple[str, float]], x0: float, width: float, y0: float, row: float) -> tuple[list[str], float]:
    """Legend items (SVG fragment drawn at 0,0 with its width) laid out left to right in rows."""
    out, x, y = [], x0, y0
    for svg, w in items:
        if x > x0 and x + w > x0 + width:
            x, y = x0, y + row
        out.append(f'<g transform="translate({_n(x)},{_n(y)})">{svg}</g>')
        x += w + 18
    return out, y + row


# Complexity allowed: one SVG drawn layer by layer; each branch is a layer's optional part.
def render(  # noqa: C901
    tracks: list[Track], gaps: Sequence[Segment] = (), cpas: Sequence[Segment] = (), words: Words | None = None
) -> str:
    words = words or Words()
    pts = [p for t in tracks for p in t.coords] + [p for s in [*gaps, *cpas] for p in (s.a, s.b)] or [(0.0, 0.0)]
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    y0, y1 = min(p[1] for p in pts), max(p[1] for p in pts)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    k = max(math.cos(math.radians(cy)), 0.05)
    s = min(FW / (max(x1 - x0, 0.02 / k) * k * 1.3), FH / (max(y1 - y0, 0.02) * 1.25))  # px per degree of latitude
    west, east = cx - FW / 2 / (s * k), cx + FW / 2 / (s * k)
    south, north = cy - FH / 2 / s, cy + FH / 2 / s

    def xy(p: LonLat) -> tuple[float, float]:
        return FX + FW / 2 + (p[0] - cx) * k * s, FY + FH / 2 - (p[1] - cy) * s

    out: list[str] = [
        f'<rect x="{FX}" y="{FY}" width="{FW}" height="{FH}" fill="{SEA}"/>',
        '<g clip-path="url(#frame)">',
    ]
    scale, land = basemap.land(west, south, east, north)
    if land:
        paths = []
        for rings in land:
            d = []
            for ring in rings:
                px = [xy(p) for p in ring]
                d.append("M" + "L".join(f"{_n(px[i][0])} {_n(px[i][1])}" for i in _thin(px)) + "Z")
            paths.append(f'<path d="{"".join(d)}"/>')
        out.append(
            f'<g id="land" fill="{LAND}" stroke="{SHORE}" stroke-width="0.8" fill-rule="evenodd">{"".join(paths)}</g>'
        )
    # Graticule: lines inside the frame, labels and ticks outside it.
    grid, ticks = [], []
    step = _grid_step(north - south, FH)
    for m in range(math.ceil(south * 60 / step) * step, math.floor(north * 60) + 1, step):
        _, y = xy((cx, m / 60))
        grid.append(f'<line x1="{FX}" y1="{_n(y)}" x2="{FX + FW}" y2="{_n(y)}"/>')
        ticks += [
            f'<line x1="{FX - 4}" y1="{_n(y)}" x2="{FX}" y2="{_n(y)}" stroke="{MUTED}"/>',
            _text(FX - 6, y + 3.5, _dms(m, "N", "S"), 10, MUTED, "end", cls="lat"),
        ]
    step = _grid_step((east - west) * k, FW)
    for m in range(math.ceil(west * 60 / step) * step, math.floor(east * 60) + 1, step):
        x, _ = xy((m / 60, cy))
        grid.append(f'<line x1="{_n(x)}" y1="{FY}" x2="{_n(x)}" y2="{FY + FH}"/>')
        ticks += [
            f'<line x1="{_n(x)}" y1="{FY + FH}" x2="{_n(x)}" y2="{FY + FH + 4}" stroke="{MUTED}"/>',
            _text(x, FY + FH + 16, _dms(((m + 10800) % 21600) - 10800, "E", "W"), 10, MUTED, "middle", cls="lon"),
        ]
    out.append(f'<g id="graticule" stroke="{GRID}" stroke-width="0.6">{"".join(grid)}</g>')

    marks, labels, occupied = [], [], []
    for i, t in enumerate(tracks):
        c = PALETTE[i % len(PALETTE)]
        px = [xy(p) for p in t.coords]
        keep = _thin(px, t.breaks | {b + 1 for b in t.breaks})
        occupied += [px[j] for j in keep]
        runs, run = [], []
        for j in keep:
            run.append(j)
            if j in t.breaks:
                runs.append(run)
                run = []
        runs.append(run)
        for r in (r for r in runs if len(r) >= 2):
            out.append(
                f'<polyline class="track" fill="none" stroke="{c}" stroke-width="2.2" stroke-linejoin="round" '
                f'stroke-linecap="round" points="{" ".join(f"{_n(px[j][0])},{_n(px[j][1])}" for j in r)}"/>'
            )
        if px:
            (sx, sy), (ex, ey) = px[0], px[-1]
            marks += [
                f'<circle class="start" cx="{_n(sx)}" cy="{_n(sy)}" r="4.5" fill="#ffffff" stroke="{c}" stroke-width="2"/>',
                f'<circle class="end" cx="{_n(ex)}" cy="{_n(ey)}" r="4.5" fill="{c}" stroke="#ffffff" stroke-width="1.2"/>',
            ]
            left = ex + 12 + text_width(t.label, 12) > FX + FW  # near the right edge: label to the left of the mark
            labels.append(
                _text(
                    ex - 8 if left else ex + 8,
                    max(ey - 8, FY + 14),
                    t.label,
                    12,
                    c,
                    "end" if left else "start",
                    True,
                    "vessel",
                )
            )

    taken: list[tuple[float, float, float, float]] = []
    points = np.asarray(occupied, dtype=float).reshape(-1, 2)

    def callout(ax: float, ay: float, main: str, sub: str, colour: str, cls: str) -> None:
        """A boxed label where the tracks are thinnest near (ax, ay), with a leader line to it."""
        w, h = max(text_width(main, 13), text_width(sub, 10)) + 14, 34 if sub else 22
        x, y = _place(ax, ay, w, h, points, taken)
        taken.append((x, y, w, h))
        labels.append(
            f'<line x1="{_n(ax)}" y1="{_n(ay)}" x2="{_n(x + w / 2)}" y2="{_n(y + h / 2)}" stroke="{colour}" stroke-width="1"/>'
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{h}" rx="3" fill="#ffffff" fill-opacity="0.94" '
            f'stroke="{colour}" stroke-width="1.2"/>'
        )
        labels.append(_text(x + w / 2, y + 16, main, 13, colour, "middle", cls=cls))
        if sub:
            labels.append(_text(x + w / 2, y + 29, sub, 10, colour, "middle", cls=cls + "-note"))

    for g in gaps:
        (ax, ay), (bx, by) = xy(g.a), xy(g.b)
        line = f'x1="{_n(ax)}" y1="{_n(ay)}" x2="{_n(bx)}" y2="{_n(by)}"'
        out += [
            f'<line {line} stroke="#ffffff" stroke-width="6" stroke-linecap="round"/>',
            f'<line class="gap" {line} stroke="{GAP}" stroke-width="2.6" stroke-dasharray="8 5"/>',
        ]
        marks += [
            f'<rect class="gap-start" x="{_n(ax - 4.5)}" y="{_n(ay - 4.5)}" width="9" height="9" fill="#ffffff" stroke="{GAP}" stroke-width="2"/>',
            f'<rect class="gap-end" x="{_n(bx - 4.5)}" y="{_n(by - 4.5)}" width="9" height="9" fill="{GAP}" stroke="#ffffff" stroke-width="1.2"/>',
        ]
        if abs(ax - bx) + abs(ay - by) < 30:  # a vessel that drifted while silent: ring the spot so it is seen
            marks.append(
                f'<circle class="gap-ring" cx="{_n((ax + bx) / 2)}" cy="{_n((ay + by) / 2)}" r="14" fill="none" '
                f'stroke="{GAP}" stroke-width="1.6"/>'
            )
        callout((ax + bx) / 2, (ay + by) / 2, g.text, g.note, GAP, "gap-label")
    for cpa in cpas:
        (ax, ay), (bx, by) = xy(cpa.a), xy(cpa.b)
        out.append(f'<line x1="{_n(ax)}" y1="{_n(ay)}" x2="{_n(bx)}" y2="{_n(by)}" stroke="{CPA}" stroke-width="1.2"/>')
        for (x, y), colour in (((ax, ay), PALETTE[0]), ((bx, by), PALETTE[1 % len(PALETTE)])):
            marks.append(
                f'<path class="cpa" d="M{_n(x)} {_n(y - 7)}L{_n(x + 7)} {_n(y)}L{_n(x)} {_n(y + 7)}L{_n(x - 7)} {_n(y)}Z" '
                f'fill="{colour}" stroke="{CPA}" stroke-width="1.5"/>'
            )
        callout((ax + bx) / 2, (ay + by) / 2, cpa.text, cpa.note, CPA, "cpa-label")
    if words.empty and not gaps and not cpas:
        labels.append(_text(FX + FW / 2, FY + 28, words.empty, 13, GAP, "middle", True, "empty"))
    out += marks + labels

    # Scale bar (bottom left) and north arrow (top right), on white.
    px_per_nm = s / 60
    nm = _nice(FW / 5 / px_per_nm)
    bar, bx, by = nm * px_per_nm, FX + 14, FY + FH - 16
    out += [
        f'<rect x="{_n(bx - 6)}" y="{_n(by - 22)}" width="{_n(bar + 12)}" height="30" fill="#ffffff" fill-opacity="0.85"/>',
        f'<rect id="scale-bar" x="{_n(bx)}" y="{_n(by)}" width="{_n(bar)}" height="4" fill="{INK}"/>',
        f'<rect x="{_n(bx + bar / 2)}" y="{_n(by)}" width="{_n(bar / 2)}" height="4" fill="#ffffff" stroke="{INK}" stroke-width="0.8"/>',
        _text(bx, by - 6, words.nm.format(nm=f"{nm:g}"), 11, INK, cls="scale"),
    ]
    nx, ny = FX + FW - 24, FY + 14
    out += [
        f'<path d="M{nx} {ny}L{nx + 7} {ny + 20}L{nx} {ny + 15}L{nx - 7} {ny + 20}Z" fill="{INK}"/>',
        _text(nx, ny + 34, "N", 12, INK, "middle", True),
    ]
    out.append("</g>")
    out.append(f'<rect x="{FX}" y="{FY}" width="{FW}" height="{FH}" fill="none" stroke="{MUTED}" stroke-width="1"/>')
    out += ticks

    # Legend: one entry per vessel, then the symbols in use.
    sym = {
        "start": f'<circle cx="10" cy="-4" r="4.5" fill="#ffffff" stroke="{INK}" stroke-width="2"/>',
        "end": f'<circle cx="10" cy="-4" r="4.5" fill="{INK}"/>',
        "gap": f'<line x1="0" y1="-4" x2="22" y2="-4" stroke="{GAP}" stroke-width="2.6" stroke-dasharray="6 4"/>',
        "gap_ends": f'<rect x="0" y="-8.5" width="8" height="8" fill="#ffffff" stroke="{GAP}" stroke-width="2"/>'
        f'<rect x="12" y="-8.5" width="8" height="8" fill="{GAP}"/>',
        "cpa": f'<path d="M10 -11L17 -4L10 3L3 -4Z" fill="#ffffff" stroke="{CPA}" stroke-width="1.5"/>',
        "land": f'<rect x="0" y="-10" width="22" height="12" fill="{LAND}" stroke="{SHORE}"/>',
    }
    items = [
        (
            f'<line x1="0" y1="-4" x2="22" y2="-4" stroke="{PALETTE[i % len(PALETTE)]}" stroke-width="3"/>'
            + _text(30, 0, t.legend, 11, cls="legend-vessel"),
            30 + text_width(t.legend, 11),
        )
        for i, t in enumerate(tracks)
    ]
    used = (
        ["start", "end"]
        + (["gap", "gap_ends"] if gaps else [])
        + (["cpa"] if cpas else [])
        + (["land"] if land else [])
    )
    for key in used:
        label = words.land.format(scale=scale) if key == "land" else getattr(words, key)
        items.append((sym[key] + _text(30, 0, label, 11, cls="legend-" + key), 30 + text_width(label, 11)))
    legend, bottom = _flow(items, FX, FW, FY + FH + 44, 22)
    h = bottom + (16 if words.footer else 0)
    head = [_text(FX, 30, words.title, 18, INK, cls="title")]
    if words.subtitle:
        head.append(_text(FX, 52, words.subtitle, 10.5, MUTED, cls="subtitle"))
    foot = [_text(FX, h - 10, words.footer, 9.5, MUTED, cls="footer")] if words.footer else []
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{W}" '
        f'height="{_n(h)}" viewBox="0 0 {W} {_n(h)}" font-family={quoteattr(FONT)}>'
        f"<title>{escape(words.title)}</title><desc>{escape(words.subtitle)}</desc>"
        f'<defs><clipPath id="frame"><rect x="{FX}" y="{FY}" width="{FW}" height="{FH}"/></clipPath></defs>'
        f'<rect width="100%" height="100%" fill="#ffffff"/>' + "\n".join(head + out + legend + foot) + "</svg>\n"
    )

"""A plain map of tracks and marks as SVG (reportlab graphics), for documents and the case file.

The same Drawing can go straight into a reportlab PDF. Equirectangular, scaled by cos(lat)
so shapes are right at sea-dispute scales; a graticule and a scale bar say where and how far.
"""

from __future__ import annotations

import math

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
from reportlab.lib import colors

PALETTE = [colors.HexColor(c) for c in ("#0b5d8c", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490")]
W, H, PAD = 640, 480, 40


def _nice_step(span: float) -> float:
    raw = span / 5
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def render(tracks: dict[str, list[tuple[float, float]]], marks: list[tuple[float, float, str]] | None = None,
           dashed: list[tuple[tuple[float, float], tuple[float, float]]] | None = None, title: str = "") -> str:
    marks = marks or []
    dashed = dashed or []
    pts = [p for t in tracks.values() for p in t] + [(x, y) for x, y, _ in marks] + [p for seg in dashed for p in seg]
    if not pts:
        pts = [(0.0, 0.0)]
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    y0, y1 = min(p[1] for p in pts), max(p[1] for p in pts)
    k = math.cos(math.radians((y0 + y1) / 2)) or 1e-6
    span = max((x1 - x0) * k, y1 - y0, 0.005) * 1.15
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    scale = min(W - 2 * PAD, H - 2 * PAD) / span

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return W / 2 + (lon - cx) * k * scale, H / 2 + (lat - cy) * scale

    d = Drawing(W, H)
    step = _nice_step(span)
    grey = colors.HexColor("#c8d0da")
    lat = math.floor((cy - span) / step) * step
    while lat <= cy + span:
        _, y = xy(cx, lat)
        if PAD / 2 < y < H - PAD / 2:
            d.add(Line(0, y, W, y, strokeColor=grey, strokeWidth=0.5))
            d.add(String(2, y + 2, f"{lat:.4g}°", fontSize=8, fillColor=colors.grey))
        lat += step
    lon = math.floor((cx - span / k) / step) * step
    while lon <= cx + span / k:
        x, _ = xy(lon, cy)
        if PAD / 2 < x < W - PAD / 2:
            d.add(Line(x, 0, x, H, strokeColor=grey, strokeWidth=0.5))
            d.add(String(x + 2, 2, f"{lon:.4g}°", fontSize=8, fillColor=colors.grey))
        lon += step
    for i, (label, t) in enumerate(tracks.items()):
        c = PALETTE[i % len(PALETTE)]
        if len(t) >= 2:
            d.add(PolyLine([v for p in t for v in xy(*p)], strokeColor=c, strokeWidth=1.6))
        if t:
            sx, sy = xy(*t[0])
            d.add(Circle(sx, sy, 2.5, fillColor=colors.white, strokeColor=c))
            ex, ey = xy(*t[-1])
            d.add(Circle(ex, ey, 3, fillColor=c, strokeColor=c))
            d.add(String(ex + 5, ey + 4, label, fontSize=9, fillColor=c))
    for a, b in dashed:
        (ax, ay), (bx, by) = xy(*a), xy(*b)
        d.add(Line(ax, ay, bx, by, strokeColor=colors.HexColor("#b45309"), strokeWidth=1.2, strokeDashArray=[4, 3]))
    for lon_, lat_, text in marks:
        mx, my = xy(lon_, lat_)
        d.add(Circle(mx, my, 4, fillColor=colors.HexColor("#b91c1c"), strokeColor=colors.white))
        d.add(String(mx + 6, my - 10, text, fontSize=8, fillColor=colors.HexColor("#b91c1c")))
    # Scale bar: a round number of nautical miles about a fifth of the width.
    nm_per_px = 60.0 / scale
    bar_nm = _nice_step(nm_per_px * W / 5 * 5 / 5)
    bar_px = bar_nm / nm_per_px
    d.add(Line(W - PAD - bar_px, PAD / 2, W - PAD, PAD / 2, strokeColor=colors.black, strokeWidth=2))
    d.add(String(W - PAD - bar_px, PAD / 2 + 5, f"{bar_nm:g} nm", fontSize=9))
    if title:
        d.add(String(PAD, H - 16, title, fontSize=11))
    return renderSVG.drawToString(d)

"""Positions as people read them: degrees with the hemisphere, never a signed number with a fixed
N/E (−12.5, −80.2 is 12.5000°S 80.2000°W). The one formatter for pages and documents."""

from __future__ import annotations


def hemisphere(value: float, pos: str, neg: str, digits: int = 4) -> str:
    return f"{abs(value):.{digits}f}°{pos if value >= 0 else neg}"


def format_position(lat: float, lon: float, digits: int = 4) -> str:
    """``30.1000°N 122.3000°E``; 0 counts as N / E."""
    return f"{hemisphere(lat, 'N', 'S', digits)} {hemisphere(lon, 'E', 'W', digits)}"

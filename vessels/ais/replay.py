"""Replaying real captures: copies of the shared NMEA files with fresh, distinct receive times.

Each AIS sentence gets an NMEA 4.10 tag block with its own `c:` (Unix time) so the copies
do not collide on the dedup key (mmsi, ts, lon, lat). Used by benchmarks, tests and
`mh ais replay` for the live map.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import reduce
from pathlib import Path


def tag_block(unix_time: int, station: str = "replay") -> bytes:
    body = f"s:{station},c:{unix_time}".encode()
    checksum = reduce(lambda a, b: a ^ b, body, 0)
    return b"\\" + body + b"*" + f"{checksum:02X}".encode() + b"\\"


def sentences(paths: Iterable[Path]) -> list[bytes]:
    """The !xxVDM/VDO sentences of the files (wrappers, tag blocks and other lines dropped)."""
    out = []
    for p in paths:
        for line in p.read_bytes().splitlines():
            i = line.find(b"!")
            if i >= 0 and line[i + 3 : i + 6] in (b"VDM", b"VDO"):
                s = line[i:]
                star = s.find(b"*")
                out.append(s[: star + 3] if star > 0 else s)
    return out


def capture_lines(paths: Iterable[Path]) -> list[bytes]:
    """Every non-empty line of the files as it is (tag blocks, wrappers and other sentences kept):
    what `mh ais replay` feeds, so a capture's own receive times survive the replay."""
    return [line for p in paths for line in p.read_bytes().splitlines() if line.strip()]


def retimed(lines: list[bytes], copies: int, start_unix: int, step_s: float = 0.1) -> Iterator[bytes]:
    """copies × lines, the i-th sentence overall received at start_unix + i * step_s.
    Both fragments of a multipart message get the same time."""
    i = 0
    for _ in range(copies):
        for line in lines:
            fields = line.split(b",", 3)
            same_as_previous = len(fields) > 2 and fields[2] not in (b"1", b"")
            if not same_as_previous:
                i += 1
            yield tag_block(int(start_unix + i * step_s)) + line + b"\n"


def write_corpus(out: Path, sources: Iterable[Path], copies: int, start_unix: int, step_s: float = 1.0) -> int:
    lines = sentences(sources)
    n = 0
    with out.open("wb") as f:
        for line in retimed(lines, copies, start_unix, step_s):
            f.write(line)
            n += 1
    return n


def shared_captures(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.suffix not in (".json", ".md") and "LICENSES" not in p.parts and not p.name.startswith(".")
    )

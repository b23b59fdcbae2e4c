"""Cutting AIS files into chunks that decode independently, and reading one chunk.

A chunk starts only at a line that starts a message (never before a continuation fragment or
the sentence a $PGHP wrapper or tag block belongs to), so two workers never split a message.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from vessels.ais.chunkcheck import LineChecks, line_checks


@dataclass
class Chunk:
    index: int
    start: int  # byte offset of the chunk
    end: int
    resume_offset: int  # where decoding starts (after the last commit)
    resume_line: int  # physical line number of the line before resume_offset
    progress_id: int | None = None


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def _starts_message(line: bytes) -> bool:
    """True for a line a chunk may begin with: not the 2nd+ fragment of a multipart message,
    and not a sentence that a preceding $PGHP or tag block line belongs to."""
    s = line.lstrip()
    if s.startswith(b"$PGHP"):
        return True
    if s.startswith(b"\\"):  # a tag block: judge the sentence it carries
        end = s.find(b"\\", 1)
        s = s[end + 1 :] if end > 0 else b""
    if s.startswith(b"!") and s[3:6] in (b"VDM", b"VDO"):
        parts = s.split(b",", 3)
        return len(parts) > 2 and parts[2] == b"1"
    return False


def plan_chunks(path: Path, chunk_bytes: int) -> list[tuple[int, int, int]]:
    """(start, end, first_line) for each chunk, cut only before a line that starts a message."""
    size = path.stat().st_size
    cuts = [0]
    with path.open("rb") as f:
        target = chunk_bytes
        while target < size:
            f.seek(target)
            f.readline()  # finish the partial line
            pos = f.tell()
            prev = b""
            while True:
                line = f.readline()
                if not line:
                    pos = size
                    break
                if _starts_message(line) and not prev.lstrip().startswith(b"$PGHP"):
                    break
                pos += len(line)
                prev = line
            if pos >= size:
                break
            cuts.append(pos)
            target = pos + chunk_bytes
    cuts.append(size)
    out = []
    line_no = 0
    with path.open("rb") as f:
        for a, b in zip(cuts, cuts[1:], strict=False):
            out.append((a, b, line_no))
            f.seek(a)
            line_no += f.read(b - a).count(b"\n")
    return out


def read_lines(path: Path, start: int, end: int, offsets: list[int]) -> tuple[list[bytes], LineChecks]:
    """Lines of [start, end) (without their b"\\n"; the decoder strips lines anyway) and their
    checksum verdicts (chunkcheck.line_checks); offsets[i] receives the end offset of the i-th
    line. One read and one split per chunk instead of a readline per line."""
    with path.open("rb") as f:
        f.seek(start)
        data = f.read(end - start)
    lines = data.split(b"\n")
    if not lines[-1]:
        lines.pop()  # the chunk ends with a newline, as every chunk but a file's unterminated last line
    offsets.extend(accumulate([len(line) + 1 for line in lines], initial=start))
    del offsets[0]
    if data and not data.endswith(b"\n"):
        offsets[-1] -= 1  # the last line has no newline
    return lines, line_checks(data)

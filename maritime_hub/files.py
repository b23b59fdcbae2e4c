"""Content-addressed file store: uploaded contracts, pay slips, evidence.

Files are kept under their SHA-256 so the hash recorded in a case is the file's name,
and the same file uploaded twice is stored once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from maritime_hub.config import get_settings
from maritime_hub.errors import ValidationFailed

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int


def store_root() -> Path:
    return get_settings().storage_dir


def path_for(sha256: str) -> Path:
    return store_root() / sha256[:2] / sha256


def put(stream: BinaryIO, max_bytes: int = MAX_UPLOAD_BYTES) -> StoredFile:

    root = store_root()
    root.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(1 << 16):
                size += len(chunk)
                if size > max_bytes:
                    raise ValidationFailed(f"file is larger than {max_bytes // (1024 * 1024)} MiB", field="file")
                h.update(chunk)
                out.write(chunk)
        digest = h.hexdigest()
        dest = path_for(digest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists():
            os.unlink(tmp)
        else:
            os.replace(tmp, dest)
        return StoredFile(digest, size)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


@dataclass(frozen=True)
class Damaged:
    path: Path
    actual: str  # the SHA-256 of what is there now


def verify(root: Path | None = None) -> tuple[int, list[Damaged]]:
    """Re-hash every stored file (`mh files verify`): (files checked, those whose content no
    longer matches the SHA-256 that is their name)."""
    root = root or store_root()
    checked, damaged = 0, []
    for path in sorted(root.glob("??/*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        h = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
        checked += 1
        if h.hexdigest() != path.name:
            damaged.append(Damaged(path, h.hexdigest()))
    return checked, damaged


# -- serving uploaded files ------------------------------------------------------
# Types a browser may be told a download has; anything else is application/octet-stream. Never
# text/html, image/svg+xml, XML or JavaScript: those would run script on this origin if a browser
# ever rendered the file instead of saving it.
SAFE_CONTENT_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "text/plain",
        "text/csv",
        "audio/mpeg",
        "audio/mp4",
        "audio/wav",
        "video/mp4",
        "application/zip",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
)


def safe_content_type(declared: str | None) -> str:
    kind = (declared or "").split(";")[0].strip().lower()
    return kind if kind in SAFE_CONTENT_TYPES else "application/octet-stream"


def safe_filename(name: str | None) -> str:
    """The last path segment, without control characters, quotes or separators; "download" if nothing is left."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:|?*;').strip().strip(".")
    return base[:200] or "download"


def content_disposition(name: str | None) -> str:
    """`attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987), for Chinese names."""
    from urllib.parse import quote

    name = safe_filename(name)
    fallback = "".join(ch if " " <= ch <= "~" and ch not in "%\\" else "_" for ch in name)
    stem, dot, ext = fallback.rpartition(".")
    if not any(c.isalnum() for c in (stem if dot else fallback)):  # 合同.pdf: download.pdf, not __.pdf
        fallback = "download" + (dot + ext if dot and ext.isalnum() else "")
    header = f'attachment; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def download(path: str | Path, filename: str | None, content_type: str | None):
    """A stored file as a download, whatever was declared at upload: always saved, never shown inline,
    with a safe type; a sandbox CSP in case a browser renders it all the same."""
    from fastapi.responses import FileResponse

    return FileResponse(
        path,
        media_type=safe_content_type(content_type),
        headers={
            "Content-Disposition": content_disposition(filename),
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "no-store",
        },
    )

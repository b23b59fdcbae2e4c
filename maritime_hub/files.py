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
    from maritime_hub.errors import ValidationFailed

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

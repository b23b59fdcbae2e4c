"""Static files with their content in the URL: cached for a year, fetched again only when they change.

`asset_url("app/app.css")` (a template global) is `/static/app/app.css?v=<hash>`, the hash of the
file's bytes, worked out once per process for every file under the static roots. A request whose
`v` is the file's current hash is answered `Cache-Control: public, max-age=31536000, immutable`:
a browser keeps it and does not even revalidate. The same file asked for without `v`, or with an
old one (a page rendered before a deployment), is `no-cache`: revalidated by its ETag every time,
so a stale copy never sticks. Editing a file under a running server needs a restart (`--reload`
does it) for its URL to change.

Front-end libraries come from npm (package.json), served straight from node_modules. A few files are
made here from them, once per process on first use (GENERATED: the live map's lighter land layer)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import parse_qs

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, Response
from starlette.routing import get_route_path
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from maritime_hub.config import PROJECT_ROOT
from vessels.ais.basemap import web_land

STATIC = Path(__file__).resolve().parent / "static"
NODE_MODULES = PROJECT_ROOT / "node_modules"
# URL prefix under /static/ -> directory. The npm packages are pinned in package.json.
ROOTS: dict[str, Path] = {
    "app": STATIC,
    "vendor/htmx": NODE_MODULES / "htmx.org/dist",
    "vendor/leaflet": NODE_MODULES / "leaflet/dist",
    "vendor/topojson": NODE_MODULES / "topojson-client/dist",
    "vendor/world-atlas": NODE_MODULES / "world-atlas",
    "vendor/chartjs": NODE_MODULES / "chart.js/dist",
    "vendor/swagger-ui": NODE_MODULES / "swagger-ui-dist",
}
# URL path under /static/ -> the function that makes it (bytes, or None when its source is missing).
GENERATED: dict[str, Callable[[], bytes | None]] = {"land/land-50m.json": web_land}
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Source maps and type declarations are never linked from a page: not worth hashing.
_SKIP = (".map", ".ts", ".md")


def _digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=6)
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


@lru_cache(maxsize=1)
def manifest() -> dict[str, str]:
    """URL path under /static/ -> content hash, for every file of every root (once per process)."""
    out: dict[str, str] = {}
    for prefix, root in ROOTS.items():
        if not root.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                if name.endswith(_SKIP):
                    continue
                path = Path(dirpath) / name
                out[f"{prefix}/{path.relative_to(root).as_posix()}"] = _digest(path)
    return out


@cache
def _generated_digest(path: str) -> str | None:
    body = GENERATED[path]()
    return hashlib.blake2b(body, digest_size=6).hexdigest() if body is not None else None


def _digest_of(path: str) -> str | None:
    return _generated_digest(path) if path in GENERATED else manifest().get(path)


def asset_url(path: str) -> str:
    """`/static/<path>?v=<hash>`; a file that is not there (node_modules missing) keeps its bare URL."""
    digest = _digest_of(path)
    return f"/static/{path}?v={digest}" if digest else f"/static/{path}"


class FingerprintedFiles(StaticFiles):
    """StaticFiles whose Cache-Control follows the `v` of the request (module docstring)."""

    def __init__(self, prefix: str, directory: Path) -> None:
        super().__init__(directory=str(directory))
        self.prefix = prefix

    def file_response(self, full_path, stat_result, scope: Scope, status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = _cache_control(
            scope, manifest().get(f"{self.prefix}/{self.get_path(scope)}")
        )
        return response


def _cache_control(scope: Scope, current: str | None) -> str:
    asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [""])[0]
    return IMMUTABLE if current and asked == current else REVALIDATE


class GeneratedFiles:
    """Serves GENERATED files under one prefix, with the caching rules of the static files."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = f"{self.prefix}/{get_route_path(scope).lstrip('/')}"
        # The first call makes the file (the land layer: ~0.3 s of shapely): not on the event loop.
        digest = await anyio.to_thread.run_sync(_generated_digest, path) if path in GENERATED else None
        if scope["method"] not in ("GET", "HEAD") or digest is None:
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            return
        headers = {"ETag": f'"{digest}"', "Cache-Control": _cache_control(scope, digest)}
        if Headers(scope=scope).get("if-none-match", "").removeprefix("W/") == headers["ETag"]:
            await Response(status_code=304, headers=headers)(scope, receive, send)
            return
        body = GENERATED[path]() or b""  # cached by its maker
        await Response(body, media_type="application/json", headers=headers)(scope, receive, send)


def mount_static(app) -> None:
    manifest()  # at start-up, not on the first page
    for prefix, root in ROOTS.items():
        if root.is_dir():
            app.mount(f"/static/{prefix}", FingerprintedFiles(prefix, root), name=f"static-{prefix.replace('/', '-')}")
    for prefix in sorted({p.rsplit("/", 1)[0] for p in GENERATED}):
        app.mount(f"/static/{prefix}", GeneratedFiles(prefix), name=f"static-{prefix}")

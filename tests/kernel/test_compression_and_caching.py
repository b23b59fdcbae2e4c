"""Light pages for slow links (issue 14): text leaves compressed, non-text as it is; fingerprinted
static files are cached for a year and the rest revalidated; /docs and the land layer come from here."""

from __future__ import annotations

import asyncio
import gzip
import json
import re
import zlib

import brotli
import pytest

from maritime_hub.compression import Compression, compressible
from maritime_hub.config import PROJECT_ROOT
from maritime_hub.web.assets import IMMUTABLE, asset_url, manifest

TEMPLATES = PROJECT_ROOT / "maritime_hub" / "web" / "templates"


@pytest.mark.parametrize("coding", ["br", "gzip"])
def test_text_responses_leave_compressed_with_the_security_headers(client, coding):
    for url, kind in (
        ("/openapi.json", "application/json"),
        ("/login", "text/html"),
        (asset_url("app/app.css"), "text/css"),
        (asset_url("vendor/leaflet/leaflet.js"), "javascript"),
        (asset_url("land/land-50m.json"), "application/json"),
    ):
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        r = client.get(url, headers={"Accept-Encoding": coding})
        assert r.status_code == 200 and kind in r.headers["content-type"], url
        assert r.headers["content-encoding"] == coding, url
        assert "Accept-Encoding" in r.headers["vary"], url
        assert r.num_bytes_downloaded < len(plain.content) * (0.8 if url == "/login" else 0.5), url  # on the wire
        if url != "/login":  # the login form's CSRF token differs per request
            assert r.content == plain.content, url
        assert "content-encoding" not in plain.headers, url
        assert "default-src 'self'" in r.headers["content-security-policy"] and r.headers["x-request-id"], url


def test_compressed_static_files_still_revalidate_by_their_weakened_etag(client):
    url = "/static/vendor/leaflet/leaflet.js"  # unfingerprinted: revalidated every time
    r = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert r.headers["cache-control"] == "no-cache" and r.headers["etag"].startswith('W/"')
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": r.headers["etag"]})
    assert again.status_code == 304


def test_images_and_ranges_are_sent_as_they_are(client):
    png = client.get(asset_url("vendor/leaflet/images/layers.png"), headers={"Accept-Encoding": "br, gzip"})
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert "content-encoding" not in png.headers
    part = client.get(
        asset_url("vendor/leaflet/leaflet.js"), headers={"Accept-Encoding": "gzip", "Range": "bytes=0-99"}
    )
    assert part.status_code == 206 and "content-encoding" not in part.headers and len(part.content) == 100


def test_only_text_types_are_compressed():
    for ctype in ("text/html; charset=utf-8", "application/json", "application/geo+json", "text/css", "image/svg+xml"):
        assert compressible(ctype), ctype
    for ctype in (
        "application/pdf",
        "image/png",
        "application/zip",
        "application/octet-stream",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/event-stream",
        "",
    ):
        assert not compressible(ctype), ctype


def _run(app, headers: list[tuple[bytes, bytes]]) -> list[dict]:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "headers": headers}
    asyncio.run(Compression(app)(scope, receive, send))
    return sent


def test_a_streamed_text_body_is_compressed_chunk_by_chunk():
    """Each chunk is flushed: a client decodes the first rows before the last one is made."""
    rows = [(f"row {i}," * 200).encode() for i in range(3)]

    async def streaming(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/csv")]})
        for i, row in enumerate(rows):
            await send({"type": "http.response.body", "body": row, "more_body": i < len(rows) - 1})

    sent = _run(streaming, [(b"accept-encoding", b"gzip")])
    assert dict(sent[0]["headers"])[b"content-encoding"] == b"gzip"
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert d.decompress(sent[1]["body"]) == rows[0]  # already readable
    assert d.decompress(b"".join(m["body"] for m in sent[2:])) == b"".join(rows[1:])

    sent = _run(streaming, [(b"accept-encoding", b"br")])
    assert brotli.decompress(b"".join(m["body"] for m in sent[1:])) == b"".join(rows)


def test_an_unknown_or_refused_coding_gets_the_body_as_it_is():
    async def page(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.body", "body": b"<p>" * 400})

    for offered in (b"br;q=0, gzip;q=0", b"zstd", b"br;q=oops"):
        sent = _run(page, [(b"accept-encoding", offered)])
        assert b"content-encoding" not in dict(sent[0]["headers"]), offered
        assert sent[1]["body"] == b"<p>" * 400


def test_fingerprinted_static_files_are_cached_for_a_year_and_the_rest_revalidated(client):
    url = asset_url("app/app.css")
    assert re.fullmatch(r"/static/app/app\.css\?v=[0-9a-f]{12}", url)
    assert client.get(url).headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"
    assert client.get("/static/app/app.css").headers["cache-control"] == "no-cache"
    assert client.get("/static/app/app.css?v=000000000000").headers["cache-control"] == "no-cache"  # an old page
    land = asset_url("land/land-50m.json")
    r = client.get(land)
    assert r.headers["cache-control"] == IMMUTABLE
    assert client.get(land, headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    assert client.get("/static/land/nothing.json").status_code == 404


def test_every_static_url_in_the_templates_is_fingerprinted():
    """Templates name static files through asset_url(), so each URL carries its content hash."""
    found = [
        f"{p.relative_to(TEMPLATES)}: {m.group(0)}"
        for p in TEMPLATES.rglob("*.html")
        for m in re.finditer(r"[\"'(]/static/[^\"')]*", p.read_text())
    ]
    assert found == []
    for path in ("app/app.css", "app/app.js", "vendor/htmx/htmx.min.js", "vendor/leaflet/leaflet.js"):
        assert path in manifest(), path


def test_pages_are_not_stored_and_name_their_assets_by_hash(client, login):
    who = login("mediator")
    r = client.get("/map", headers=who.headers)
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    urls = re.findall(r'(?:src|href|data-land|data-land-fine)="(/static/[^"]+)"', r.text)
    assert urls and all(re.search(r"\?v=[0-9a-f]{12}$", u) for u in urls), urls
    assert asset_url("land/land-50m.json") in urls


def test_the_land_layer_is_light_and_keeps_the_topology(client):
    r = client.get(asset_url("land/land-50m.json"), headers={"Accept-Encoding": "gzip"})
    topo = json.loads(r.content)
    source = json.loads((PROJECT_ROOT / "node_modules/world-atlas/land-50m.json").read_text())
    assert topo["type"] == "Topology" and topo["objects"] == source["objects"]
    assert len(topo["arcs"]) == len(source["arcs"])  # every polygon keeps its arcs (shared borders)
    assert r.num_bytes_downloaded < 70_000  # 545 KB uncompressed before
    assert len(gzip.compress(r.content)) < len(gzip.compress(json.dumps(source).encode())) / 2.5


def test_docs_load_only_local_assets_under_a_self_only_policy(client):
    r = client.get("/docs")
    assert r.status_code == 200
    refs = re.findall(r'(?:src|href)="([^"]+)"', r.text) + re.findall(r"url: '([^']+)'", r.text)
    assert refs and all(u.startswith("/") and not u.startswith("//") for u in refs), refs
    types = {".js": "javascript", ".css": "text/css", ".png": "image/png", ".json": "application/json"}
    for u in refs:
        got = client.get(u)
        ext = re.search(r"\.[a-z]+(?=\?|$)", u).group(0)
        assert got.status_code == 200 and types[ext] in got.headers["content-type"], u
        if u.startswith("/static/"):
            assert got.headers["cache-control"] == IMMUTABLE, u
    csp = r.headers["content-security-policy"]
    assert "http" not in csp and "cdn" not in csp
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert script_src.startswith("script-src 'self' 'sha256-")

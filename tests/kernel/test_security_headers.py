"""Security headers on every response, a CSP the templates can satisfy, and /docs under its own policy."""

from __future__ import annotations

import base64
import hashlib
import re

from maritime_hub.config import PROJECT_ROOT

TEMPLATES = PROJECT_ROOT / "maritime_hub" / "web" / "templates"


def test_every_response_carries_the_security_headers(client, login):
    who = login("mediator")
    for r in (
        client.get("/login"),
        client.get("/api/v1/me", headers=who.headers),
        client.get("/api/v1/health"),
        client.get("/api/v1/nothing-here"),
    ):
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "same-origin"
        assert r.headers["cache-control"] == "no-store"  # pages and API answers may hold personal data
    assert "strict-transport-security" not in r.headers  # only behind HTTPS (MH_AUTH__COOKIE_SECURE)


def test_static_files_are_revalidated_not_stored_forever(client):
    r = client.get("/static/app/app.css")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-cache" and "etag" in r.headers
    assert r.headers["x-content-type-options"] == "nosniff"


def test_templates_have_no_inline_script_handlers_or_styles():
    """What the CSP would refuse (the browser test sees it too, for the pages it opens)."""
    bad = re.compile(
        r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|javascript:|<style", re.I
    )
    found = [
        f"{p.relative_to(TEMPLATES)}: {m.group(0)}"
        for p in TEMPLATES.rglob("*.html")
        for m in bad.finditer(re.sub(r"\{#.*?#\}", "", p.read_text(), flags=re.S))
    ]
    assert found == []


def test_docs_run_under_their_own_policy_naming_the_inline_script(client):
    r = client.get("/docs")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    inline = re.findall(r"<script>(.*?)</script>", r.text, re.S)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert f"'sha256-{digest}'" in script_src and "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in csp and r.headers["x-frame-options"] == "DENY"
    # Public, as documented: the schema holds no data; ReDoc is not served.
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/redoc").status_code == 404


def test_websockets_pass_the_header_middleware_untouched(client):
    from starlette.websockets import WebSocketDisconnect

    try:
        with client.websocket_connect("/ws/ais?token=x") as ws:
            ws.receive_text()
    except WebSocketDisconnect as e:
        assert e.code == 4401


def test_the_headers_wrap_the_admission_limit_too(app):
    """A 503 `server_busy`, answered before the app is reached, still carries them."""
    import asyncio

    from maritime_hub.concurrency import AdmissionLimit, _busy
    from maritime_hub.headers import SecurityHeaders
    from maritime_hub.middleware import RequestId

    # Outermost first: the headers and the request id are on a 503 from the admission limit too.
    assert [m.cls for m in app.user_middleware[:3]] == [SecurityHeaders, RequestId, AdmissionLimit]
    sent: list[dict] = []

    async def busy(scope, receive, send):
        await _busy(send, 15)

    async def record(message):
        sent.append(message)

    asyncio.run(SecurityHeaders(busy)({"type": "http", "path": "/api/v1/cases", "headers": []}, None, record))
    headers = dict(sent[0]["headers"])
    assert sent[0]["status"] == 503 and headers[b"cache-control"] == b"no-store"
    assert headers[b"x-frame-options"] == b"DENY" and b"default-src 'self'" in headers[b"content-security-policy"]

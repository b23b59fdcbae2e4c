"""/docs: Swagger UI under a Content-Security-Policy of its own (docs/security.md "API docs").

The page is FastAPI's, with Swagger UI's bundle, style sheet and icon from the npm package
`swagger-ui-dist` (pinned in package.json, served from node_modules under fingerprinted URLs like
every front-end library: /docs works offline), and one inline script that starts it. Instead of
'unsafe-inline', the policy names that script by its SHA-256, computed from the very HTML served,
so the page keeps working when FastAPI changes it and no other inline script could run there.
Nothing comes from another host. Styles: Swagger UI sets style attributes as it renders."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable

from fastapi import Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from maritime_hub.auth.dependencies import public

_INLINE = re.compile(r"<script>(.*?)</script>", re.S)


def docs_csp(html: str) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in _INLINE.findall(html)
    )
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {hashes}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )


def mount_docs(app: FastAPI, asset_url: Callable[[str], str]) -> None:
    """Public, like /openapi.json: they describe the API, hold no data, and every endpoint checks
    its caller itself. ReDoc is not served (one documentation page to keep within a CSP).
    `asset_url` makes the URL of a static file (web/assets.py: fingerprinted, cached for a year)."""

    @app.get("/docs", include_in_schema=False, dependencies=[Depends(public)])
    def swagger_ui(request: Request) -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} · API",
            swagger_js_url=asset_url("vendor/swagger-ui/swagger-ui-bundle.js"),
            swagger_css_url=asset_url("vendor/swagger-ui/swagger-ui.css"),
            swagger_favicon_url=asset_url("vendor/swagger-ui/favicon-32x32.png"),
            # No badge from the public validator service: nothing leaves this host.
            swagger_ui_parameters={"validatorUrl": None},
        )
        html = page.body.decode()
        return HTMLResponse(html, headers={"Content-Security-Policy": docs_csp(html)})

"""Security headers on every HTTP response (docs/security.md "Response headers").

A pure ASGI middleware (websockets pass through untouched, streamed files are not buffered).
A header the endpoint set itself wins: the SVG maps carry their own CSP, /docs a relaxed one,
file downloads a sandbox."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# What the pages need, and no more: every script and style sheet is a file under /static
# (no inline <script>, no on* handlers, no style= attributes; htmx's own indicator <style> is
# switched off in base.html), images are ours or data: (the blank favicon), the live map's
# websocket and htmx's requests go to this origin. The base map is drawn from world-atlas
# (no tile server), so no other host appears here.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

STATIC_PREFIX = "/static/"


def headers_for(path: str, hsts: bool) -> list[tuple[str, str]]:
    out = [
        ("Content-Security-Policy", CSP),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        # Static files set their own (web/assets.py): a year for a fingerprinted URL, else revalidated
        # (ETag: 304), as here. Everything else may hold personal data (pages, API answers,
        # downloads): never stored.
        ("Cache-Control", "no-cache" if path.startswith(STATIC_PREFIX) else "no-store"),
    ]
    if hsts:
        out.append(("Strict-Transport-Security", "max-age=31536000"))
    return out


class SecurityHeaders:
    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app, self.hsts = app, hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope.get("path", ""), self.hsts)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra:
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)

"""Compressed responses for slow links (docs/deployment.md "Compression and caching").

Starlette's GZipMiddleware does the work (small bodies left alone, streamed bodies flushed chunk by
chunk, 206 and already-encoded responses untouched, big bodies compressed in a thread); this adds
brotli when the client offers it (a third smaller than gzip on our pages) and compresses only text:
HTML, JSON and GeoJSON, JavaScript, CSS, SVG, KML, CSV. PDFs, images, zips, spreadsheets and
downloads of unknown type are compressed already or never worth it, and are sent as they are.
Websockets pass through untouched (the live map compresses its own frames).

A compressed body is another representation of the resource: its ETag becomes weak, so a cache
never mixes it up with the identity body under the same validator (starlette's 304 check ignores
the W/ prefix, so revalidation keeps working)."""

from __future__ import annotations

import anyio.to_thread
import brotli
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import GZipMiddleware, GZipResponder, IdentityResponder
from starlette.types import ASGIApp, Message, Receive, Scope, Send

GZIP_LEVEL = 6  # level 9 costs four times the CPU for 0.5 % fewer bytes
BROTLI_QUALITY = 5  # per request, not ahead of time: 11 is a hundred times slower
MINIMUM_SIZE = 500
TEXT_TYPES = frozenset(
    {
        "application/json",
        "application/geo+json",
        "application/javascript",
        "application/xml",
        "application/vnd.google-earth.kml+xml",
        "image/svg+xml",
    }
)


def compressible(content_type: str) -> bool:
    media = content_type.partition(";")[0].strip().lower()
    if media == "text/event-stream":  # each event must reach the client as it is sent
        return False
    return media.startswith("text/") or media in TEXT_TYPES or media.endswith(("+json", "+xml"))


class _TextOnly(IdentityResponder):
    """Leaves a response whose type is not text exactly as the endpoint sent it."""

    passthrough = False
    encodes = False  # the identity responder only adds Vary

    async def send_with_compression(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = Headers(raw=message.get("headers", []))
            self.passthrough = not compressible(headers.get("content-type", ""))
        if self.passthrough:
            await self.send(message)
            return
        if message["type"] == "http.response.start" and self.encodes:
            _weaken_etag(message)
        await super().send_with_compression(message)


def _weaken_etag(message: Message) -> None:
    headers = MutableHeaders(raw=message.setdefault("headers", []))
    etag = headers.get("etag")
    if etag and not etag.startswith("W/"):
        headers["etag"] = f"W/{etag}"


class _Gzip(_TextOnly, GZipResponder):
    encodes = True


class _Brotli(_TextOnly):
    content_encoding = "br"
    encodes = True
    thread_minimum_size = 128 * 1024

    def __init__(self, app: ASGIApp, minimum_size: int) -> None:
        super().__init__(app, minimum_size)
        self._compressor: brotli.Compressor | None = None

    def _compress(self, body: bytes, more_body: bool) -> bytes:
        if self._compressor is None:
            self._compressor = brotli.Compressor(quality=BROTLI_QUALITY)
        out = self._compressor.process(body)
        return out + (self._compressor.flush() if more_body else self._compressor.finish())

    async def apply_compression(self, body: bytes, *, more_body: bool) -> bytes:
        if len(body) >= self.thread_minimum_size:  # a megabyte of JSON would hold the event loop
            return await anyio.to_thread.run_sync(self._compress, body, more_body)
        return self._compress(body, more_body)


def _accepts(accept_encoding: str, coding: str) -> bool:
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() == coding:
            q = params.strip().removeprefix("q=")
            try:
                return not q or float(q) > 0
            except ValueError:
                return False
    return False


class Compression(GZipMiddleware):
    """brotli if offered, else gzip, else nothing; text only (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app, minimum_size=MINIMUM_SIZE, compresslevel=GZIP_LEVEL)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = Headers(scope=scope).get("accept-encoding", "")
        responder: ASGIApp
        if _accepts(offered, "br"):
            responder = _Brotli(self.app, self.minimum_size)
        elif _accepts(offered, "gzip"):
            responder = _Gzip(self.app, self.minimum_size, compresslevel=self.compresslevel)
        else:
            responder = _TextOnly(self.app, self.minimum_size)
        await responder(scope, receive, send)

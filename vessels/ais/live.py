"""Live positions: ingest publishes committed positions with NOTIFY; each web process bridges
them into its hub; websocket clients get one batched frame per ≤ 250 ms with only the
vessels inside their viewport, and may move the viewport at any time."""

from __future__ import annotations

import asyncio
import functools
import json
import time
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from maritime_hub.auth.roles import REGISTRY_READ
from maritime_hub.auth.websocket import accept_authenticated
from maritime_hub.db.cluster import database_url
from maritime_hub.realtime.bridge import chunks, listen
from maritime_hub.realtime.hub import Client, Hub, deflate
from vessels.ais.analytics import latest_positions

CHANNEL = "ais_live"
router = APIRouter()


# One position on the wire: a positional array, a third the size of an object with keys, so
# less to compress (permessage-deflate) and parse for a thousand clients and less to send over
# a satellite link. `t` is the publish time (Unix seconds), for latency measurement.
FIELDS = ("mmsi", "lon", "lat", "sog", "cog", "hdg", "ts", "t", "k")
# `k`: what reports there. Base stations (type 4, and 11 answering) and aids to navigation (type 21)
# are not vessels: the map draws them as their own layers.
VESSEL, BASE_STATION, AID_TO_NAVIGATION = 0, 1, 2


def kind_of(msg_type: int | None) -> int:
    return {4: BASE_STATION, 11: BASE_STATION, 21: AID_TO_NAVIGATION}.get(msg_type or 0, VESSEL)


def item(
    mmsi: int,
    lon: float,
    lat: float,
    sog: float | None,
    cog: float | None,
    hdg: int | None,
    ts,
    published: float | None,
    kind: int = VESSEL,
) -> list:
    """One position in FIELDS order; `published` None for positions not just published."""
    return [
        mmsi,
        round(lon, 5),
        round(lat, 5),
        sog,
        cog,
        hdg,
        int(ts.timestamp()),
        None if published is None else round(published, 3),
        kind,
    ]


def encode(rec: dict, published: float) -> str:
    return json.dumps(
        item(
            rec["mmsi"],
            rec["lon"],
            rec["lat"],
            rec.get("speed"),
            rec.get("course"),
            rec.get("heading"),
            rec["timestamp"],
            published,
            kind_of(rec.get("type")),
        ),
        separators=(",", ":"),
    )


# What a newly opened (or moved) viewport is sent first: each vessel's last position of the
# last day in it, so the map is not empty until the vessels report again (a trawler sends a
# position every 3 min to 6 s; one at anchor every 3 min).
SNAPSHOT_HOURS = 24
SNAPSHOT_LIMIT = 5000


def snapshot_frame(session, bbox: tuple[float, float, float, float]) -> str | None:
    """The last known positions in the viewport as one frame (the live frame's format, with
    `t` null: these were not just published), or None when there are none."""
    from datetime import UTC, datetime, timedelta

    since = datetime.now(UTC) - timedelta(hours=SNAPSHOT_HOURS)
    rows = latest_positions(session, bbox, since, SNAPSHOT_LIMIT)
    if not rows:
        return None
    return json.dumps([item(*row[:7], None, kind_of(row[7])) for row in rows], separators=(",", ":"))


async def _send_snapshot(ws: WebSocket, bbox: tuple[float, float, float, float], deflated: bool) -> None:
    def load() -> str | None:
        with ws.app.state.short_session() as session:
            return snapshot_frame(session, bbox)

    text = await asyncio.to_thread(load)
    if text is not None:
        await (ws.send_bytes(deflate(text)) if deflated else ws.send_text(text))


def as_fields(item: list) -> dict[str, Any]:
    return dict(zip(FIELDS, item, strict=False))


def notify_payloads(records: list[dict]) -> list[str]:
    now = time.time()
    return chunks([encode(r, now) for r in records])


def parse_bbox(value: Any) -> tuple[float, float, float, float] | None:
    try:
        if isinstance(value, str):
            value = [float(v) for v in value.split(",")]
        x0, y0, x1, y1 = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    if not (-180 <= x0 <= 180 and -180 <= x1 <= 180 and -90 <= y0 < y1 <= 90):
        return None
    return x0, y0, x1, y1


@functools.lru_cache(maxsize=1024)
def in_bbox(bbox: tuple[float, float, float, float]):
    """The filter for a viewport; the same object for the same viewport, so the hub filters
    and encodes once for all clients looking at it (maritime_hub.realtime.hub)."""
    x0, y0, x1, y1 = bbox
    if x0 <= x1:
        return lambda f: x0 <= f["lon"] <= x1 and y0 <= f["lat"] <= y1
    # A viewport across the antimeridian.
    return lambda f: (f["lon"] >= x0 or f["lon"] <= x1) and y0 <= f["lat"] <= y1


def on_notify(hub: Hub):
    def handle(items: list[list]) -> None:
        hub.publish([(it[0], {"lon": it[1], "lat": it[2]}, json.dumps(it, separators=(",", ":"))) for it in items])

    return handle


async def start(app) -> None:
    """Called from the app's lifespan: the hub's flusher and the LISTEN bridge."""

    hub = Hub()
    hub.start()
    stop = asyncio.Event()
    url = (
        app.state.engine.url.render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://")
        if app.state.engine is not None
        else database_url()
    )
    task = asyncio.get_running_loop().create_task(listen(url, CHANNEL, on_notify(hub), stop))
    app.state.ais_hub, app.state.ais_stop, app.state.ais_bridge = hub, stop, task


async def stop(app) -> None:
    if getattr(app.state, "ais_hub", None) is None:
        return
    app.state.ais_stop.set()
    # Cancelled, not waited for: the bridge sits in `notifies(timeout=1.0)`, and waiting for that
    # second cost every shutdown (and every test's app) up to a second.
    app.state.ais_bridge.cancel()
    await asyncio.wait([app.state.ais_bridge], timeout=3)
    await app.state.ais_hub.stop()


ENCODINGS = ("json", "deflate")


@router.websocket("/ws/ais")
async def ais_socket(ws: WebSocket):
    """Live positions in a viewport: `?bbox=minlon,minlat,maxlon,maxlat`; send
    `{"bbox": [minlon, minlat, maxlon, maxlat]}` to move it. `&encoding=deflate` sends each
    frame as binary raw DEFLATE (RFC 1951) of the same JSON, compressed once for all clients
    of the viewport (for satellite links; the map uses it); the default is JSON text. The first
    frame, and the first after each move, holds the viewport's last known positions of the last
    24 h (`t` null). Staff roles only (as the AIS API). A browser is signed in by its session
    cookie; an API client sends `{"token": "mh_..."}` first (never `?token=`: 4401)."""
    if not await accept_authenticated(ws, REGISTRY_READ):
        return
    bbox = parse_bbox(ws.query_params.get("bbox", "-180,-90,180,90"))
    if bbox is None:
        await ws.close(code=4422, reason="bbox must be minlon,minlat,maxlon,maxlat")
        return
    encoding = ws.query_params.get("encoding", "json")
    if encoding not in ENCODINGS:
        await ws.close(code=4422, reason="encoding must be json or deflate")
        return
    hub: Hub = ws.app.state.ais_hub
    deflated = encoding == "deflate"
    # The last known positions first, then live updates from the hub.
    await _send_snapshot(ws, bbox, deflated)
    client = hub.subscribe(
        Client(send=ws.send_bytes if deflated else ws.send_text, accepts=in_bbox(bbox), deflate=deflated)
    )
    try:
        while True:
            msg = await ws.receive_json()
            new = parse_bbox(msg.get("bbox")) if isinstance(msg, dict) else None
            if new is None:
                await ws.send_text(json.dumps({"error": "bbox must be [minlon, minlat, maxlon, maxlat]"}))
                continue
            hub.retarget(client, in_bbox(new))
            await _send_snapshot(ws, new, deflated)
    except (WebSocketDisconnect, RuntimeError, ValueError):
        pass
    finally:
        hub.unsubscribe(client)

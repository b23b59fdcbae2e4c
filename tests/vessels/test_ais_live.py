"""Live feeds: a TCP feed that drops and comes back, UDP datagrams, NOTIFY publishing, and the
websocket hub's viewport filtering and batching."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from contextlib import contextmanager

import psycopg
import pytest

from tests.conftest import ROOT
from vessels.ais.listen import LiveIngest, tcp_reader, udp_reader
from vessels.ais.replay import retimed, sentences

DATA = ROOT.parent / "shared" / "data" / "ais"


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _lines(n_copies: int = 1) -> list[bytes]:
    return list(retimed(sentences([DATA / "dma-ais-aislib" / "stream_example.txt"]), n_copies, 1_700_000_000))


def _wait(pred, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return False


def test_tcp_feed_reconnects_and_commits_within_a_second(scratch_db):
    lines = _lines()
    half = len(lines) // 2
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    port = srv.getsockname()[1]

    def serve():
        # First connection: half the feed, then a dropped link; second: the rest, then silence.
        for part in (lines[:half], lines[half:]):
            conn, _ = srv.accept()
            conn.sendall(b"".join(part))
            time.sleep(0.3)
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    li = LiveIngest(scratch_db, "tcp-test", "tcp")
    threading.Thread(target=tcp_reader, args=("127.0.0.1", port, li.feed, li.stop), daemon=True).start()
    runner = threading.Thread(target=li.run, daemon=True)
    runner.start()
    with psycopg.connect(libpq(scratch_db), autocommit=True) as conn:
        total = lambda: conn.execute("SELECT messages FROM ais_source WHERE name = 'tcp-test'").fetchone()[0]
        assert _wait(lambda: total() >= 4000), f"only {total()} messages arrived"
    li.stop.set()
    runner.join(5)
    srv.close()
    assert li.flushes >= 2
    assert li.writer.totals.positions > 3000


def test_udp_datagrams(scratch_db):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    li = LiveIngest(scratch_db, "udp-test", "udp")
    threading.Thread(target=udp_reader, args=(port, li.feed, li.stop, "127.0.0.1"), daemon=True).start()
    runner = threading.Thread(target=li.run, daemon=True)
    runner.start()
    time.sleep(0.3)
    lines = _lines()[:400]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for i in range(0, len(lines), 20):
            s.sendto(b"".join(lines[i : i + 20]), ("127.0.0.1", port))
            time.sleep(0.002)
    with psycopg.connect(libpq(scratch_db), autocommit=True) as conn:
        assert _wait(lambda: conn.execute("SELECT count(*) FROM ais_position").fetchone()[0] > 200)
    li.stop.set()
    runner.join(5)


def test_committed_positions_are_notified(scratch_db):
    with psycopg.connect(libpq(scratch_db), autocommit=True) as listener:
        listener.execute("LISTEN ais_live")
        li = LiveIngest(scratch_db, "notify-test", "replay")
        runner = threading.Thread(target=li.run, daemon=True)
        runner.start()
        for line in _lines()[:300]:
            li.feed(line)
        got = []
        for n in listener.notifies(timeout=5, stop_after=1):
            got += json.loads(n.payload)
        li.stop.set()
        runner.join(5)
    from vessels.ais.live import as_fields

    first = as_fields(got[0])
    assert set(first) == {"mmsi", "lon", "lat", "sog", "cog", "hdg", "ts", "t", "k"}
    assert 0 < first["mmsi"] and -180 <= first["lon"] <= 180 and first["ts"] > 1_600_000_000


def test_hub_sends_one_frame_per_interval_with_only_the_viewport():
    from maritime_hub.realtime.hub import Client, Hub
    from vessels.ais.live import in_bbox

    async def scenario():
        hub = Hub(interval=0.05)
        frames: dict[str, list] = {"cn": [], "dk": []}

        def sender(name):
            async def send(text):
                frames[name].append(json.loads(text))

            return send

        hub.subscribe(Client(sender("cn"), in_bbox((120, 28, 124, 32))))
        dk = hub.subscribe(Client(sender("dk"), in_bbox((8, 54, 13, 58))))
        hub.start()
        items = [
            (1, {"mmsi": 1, "lon": 122.0, "lat": 30.0}),
            (1, {"mmsi": 1, "lon": 122.1, "lat": 30.0}),
            (2, {"mmsi": 2, "lon": 10.0, "lat": 56.0}),
        ]
        hub.publish([(k, f, json.dumps(f)) for k, f in items])
        await asyncio.sleep(0.15)
        hub.retarget(dk, in_bbox((120, 28, 124, 32)))  # the Danish viewer pans to Zhoushan
        assert len(hub.groups) == 1  # now the same viewport as the Chinese viewer: one group
        hub.publish([(3, {"mmsi": 3, "lon": 121.0, "lat": 29.0}, json.dumps({"mmsi": 3, "lon": 121.0, "lat": 29.0}))])
        await asyncio.sleep(0.15)
        await hub.stop()
        return frames

    frames = asyncio.run(scenario())
    # The Chinese viewer got vessel 1 once (latest position only), then vessel 3.
    assert frames["cn"][0] == [{"mmsi": 1, "lon": 122.1, "lat": 30.0}]
    assert frames["cn"][1] == [{"mmsi": 3, "lon": 121.0, "lat": 29.0}]
    assert frames["dk"][0] == [{"mmsi": 2, "lon": 10.0, "lat": 56.0}]
    assert frames["dk"][1] == [{"mmsi": 3, "lon": 121.0, "lat": 29.0}]


@contextmanager
def live(client, url: str, token: str):
    """An API client's socket: credentials in the first message, never in the URL."""
    with client.websocket_connect(url) as ws:
        ws.send_json({"token": token})
        yield ws


def _closed(client, url: str, first: dict | None = None, **kw):
    from starlette.websockets import WebSocketDisconnect

    with pytest.raises(WebSocketDisconnect) as e:
        with client.websocket_connect(url, **kw) as ws:
            if first is not None:
                ws.send_json(first)
            ws.receive_text()
    return e.value


def test_websocket_needs_a_staff_role(client, login):
    assert _closed(client, "/ws/ais?bbox=0,0,1,1", {"bbox": [0, 0, 1, 1]}).code == 4401  # no credentials
    assert _closed(client, "/ws/ais?bbox=0,0,1,1", {"token": "mh_" + "x" * 43}).code == 4401
    party = login("party")
    assert _closed(client, "/ws/ais?bbox=0,0,1,1", {"token": party.token}).code == 4403
    med = login("mediator")
    assert _closed(client, "/ws/ais?bbox=nonsense", {"token": med.token}).code == 4422


def test_a_token_in_the_url_is_refused_with_a_reason(client, login):
    med = login("mediator")
    refused = _closed(client, "/ws/ais?bbox=0,0,1,1&token=" + med.token)
    assert refused.code == 4401 and "first message" in refused.reason and med.token not in refused.reason


def test_a_silent_client_is_closed(client, monkeypatch):
    from maritime_hub.auth import websocket

    monkeypatch.setattr(websocket, "AUTH_TIMEOUT_SECONDS", 0.2)
    assert _closed(client, "/ws/ais").code == 4401


def _browser_session(client, username: str, password: str) -> None:
    import re

    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf, "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and "mh_session" in client.cookies


def test_a_browser_is_signed_in_by_its_cookie_from_this_origin_only(client, db, login):
    from datetime import UTC, datetime, timedelta

    from tests.vessels.ais_factory import insert_positions

    insert_positions(db, 412000009, [(datetime.now(UTC) - timedelta(minutes=3), 122.0, 30.0, 3.0)])
    med = login("mediator", password="mediator-pw-123")
    _browser_session(client, med.username, "mediator-pw-123")
    with client.websocket_connect("/ws/ais?bbox=121,29,123,31", headers={"origin": "http://testserver"}) as ws:
        assert ws.receive_json()[0][0] == 412000009  # no token message: the cookie signed it in
    # Another site's page opening the socket with the user's cookie (cross-site websocket hijacking).
    assert _closed(client, "/ws/ais?bbox=121,29,123,31", headers={"origin": "https://evil.example"}).code == 4403
    assert _closed(client, "/ws/ais?bbox=121,29,123,31").code == 4403  # no Origin: not a browser, use a token
    client.cookies.clear()
    client.cookies.set("mh_session", "expired-or-forged")
    assert _closed(client, "/ws/ais", headers={"origin": "http://testserver"}).code == 4401


def test_hub_groups_identical_viewports_and_drops_a_failing_client():
    from maritime_hub.realtime.hub import Client, Hub
    from vessels.ais.live import in_bbox

    async def scenario():
        hub = Hub(interval=0.05)
        got: list[str] = []

        async def ok(text):
            got.append(text)

        async def broken(text):
            raise ConnectionError("gone")

        clients = [hub.subscribe(Client(ok, in_bbox((8.0, 54.0, 13.0, 58.0)))) for _ in range(3)]
        bad = hub.subscribe(Client(broken, in_bbox((8.0, 54.0, 13.0, 58.0))))
        other = hub.subscribe(Client(ok, in_bbox((120.0, 28.0, 124.0, 32.0))))
        assert len(hub.groups) == 2  # the same bbox gives the same filter, so one group
        hub.publish([(2, {"lon": 10.0, "lat": 56.0}, '{"mmsi":2}')])
        await hub.flush()
        return hub, got, clients, bad, other

    hub, got, _clients, bad, other = asyncio.run(scenario())
    assert got == ['[{"mmsi":2}]'] * 3  # one frame per Danish viewer, none for the other viewport
    assert bad.closed and bad not in hub.clients and len(hub.clients) == 4
    hub.unsubscribe(other)
    assert len(hub.groups) == 1  # an empty group is dropped


def test_hub_compresses_each_frame_once_for_the_clients_that_asked():
    import zlib

    from maritime_hub.realtime import hub as hub_module
    from maritime_hub.realtime.hub import Client, Hub
    from vessels.ais.live import in_bbox

    compressed = []
    real = hub_module.deflate

    def counting(text):
        compressed.append(text)
        return real(text)

    async def scenario():
        hub = Hub(interval=0.05)
        got: list = []

        async def send(frame):
            got.append(frame)

        for deflated in (True, True, True, False):
            hub.subscribe(Client(send, in_bbox((8.0, 54.0, 13.0, 58.0)), deflate=deflated))
        hub.subscribe(Client(send, in_bbox((120.0, 28.0, 124.0, 32.0))))  # JSON only: nothing to compress
        hub.publish([(2, {"lon": 10.0, "lat": 56.0}, '{"mmsi":2}'), (3, {"lon": 121.0, "lat": 30.0}, '{"mmsi":3}')])
        await hub.flush()
        return got

    hub_module.deflate = counting
    try:
        got = asyncio.run(scenario())
    finally:
        hub_module.deflate = real
    assert compressed == ['[{"mmsi":2}]']  # once for the three Danish viewers who asked
    binary = [f for f in got if isinstance(f, bytes)]
    assert len(binary) == 3 and len(set(binary)) == 1
    assert zlib.decompress(binary[0], -15) == b'[{"mmsi":2}]'  # raw DEFLATE, as the browser reads it
    assert sorted(f for f in got if isinstance(f, str)) == ['[{"mmsi":2}]', '[{"mmsi":3}]']


def test_websocket_encoding_must_be_json_or_deflate(client, login):
    from starlette.websockets import WebSocketDisconnect

    med = login("mediator")
    with pytest.raises(WebSocketDisconnect) as e:
        with live(client, "/ws/ais?bbox=0,0,1,1&encoding=gzip", med.token) as ws:
            ws.receive_text()
    assert e.value.code == 4422
    with live(client, "/ws/ais?bbox=0,0,1,1&encoding=deflate", med.token) as ws:
        ws.send_json({"bbox": "nonsense"})
        assert "bbox must be" in ws.receive_json()["error"]  # errors stay JSON text


def test_a_new_or_moved_viewport_first_gets_the_last_known_positions(client, db, login):
    import zlib
    from datetime import UTC, datetime, timedelta

    from tests.vessels.ais_factory import insert_positions

    now = datetime.now(UTC).replace(microsecond=0)
    insert_positions(
        db, 412000001, [(now - timedelta(hours=2), 122.0, 30.0, 3.0), (now - timedelta(minutes=5), 122.1, 30.05, 2.6)]
    )
    insert_positions(db, 412000002, [(now - timedelta(hours=30), 122.2, 30.2, 1.0)])  # older than a day: not shown
    insert_positions(db, 219000003, [(now - timedelta(minutes=1), 10.5, 56.0, 12.3)])  # Danish waters
    med = login("mediator")
    with live(client, "/ws/ais?bbox=121,29,123,31", med.token) as ws:
        first = ws.receive_json()
        # [mmsi, lon, lat, sog, cog, heading, ts, t]: the newest position, speed as sent, t null
        assert first == [
            [412000001, 122.1, 30.05, 2.6, None, None, int((now - timedelta(minutes=5)).timestamp()), None, 0]
        ]
        ws.send_json({"bbox": [8, 54, 13, 58]})
        assert [p[0] for p in ws.receive_json()] == [219000003]
    with live(client, "/ws/ais?bbox=8,54,13,58&encoding=deflate", med.token) as ws:
        assert json.loads(zlib.decompress(ws.receive_bytes(), -15))[0][:4] == [219000003, 10.5, 56.0, 12.3]
    with live(client, "/ws/ais?bbox=170,-10,-170,10", med.token) as ws:  # across the antimeridian
        ws.send_json({"bbox": "nonsense"})
        assert "bbox must be" in ws.receive_json()["error"]  # nothing there: no snapshot frame came first


def test_replay_keeps_a_captures_own_times_and_ends_with_the_file(scratch_db):
    from tests.conftest import run_mh

    # replay_dump.txt: Gatehouse $PGHP wrappers with 2013 receive times.
    r = run_mh("ais", "replay", str(DATA / "dma-ais-aislib" / "replay_dump.txt"), "--rate", "5000", url=scratch_db)
    assert r.returncode == 0, r.stderr
    with psycopg.connect(libpq(scratch_db)) as conn:
        days = conn.execute("SELECT DISTINCT ts::date::text FROM ais_position").fetchall()
        assert days == [("2013-03-18",)]
    # --now: a demo feed, every sentence stamped with the time it is replayed.
    r = run_mh(
        "ais",
        "replay",
        str(DATA / "dma-ais-aislib" / "replay_dump.txt"),
        "--rate",
        "5000",
        "--now",
        "--source",
        "demo",
        url=scratch_db,
    )
    assert r.returncode == 0, r.stderr
    with psycopg.connect(libpq(scratch_db)) as conn:
        assert conn.execute("SELECT count(*) FROM ais_position WHERE ts > now() - interval '1 hour'").fetchone()[0] > 0
        # Each sentence gets its own time read: no vessel in two places at one instant.
        assert (
            conn.execute(
                "SELECT count(*) FROM (SELECT mmsi, ts FROM ais_position GROUP BY 1, 2 HAVING count(*) > 1) x"
            ).fetchone()[0]
            == 0
        )


def test_base_stations_and_aids_to_navigation_are_marked_as_not_vessels():
    from datetime import UTC, datetime

    from vessels.ais.live import AID_TO_NAVIGATION, BASE_STATION, VESSEL, as_fields, encode

    t = datetime(2026, 9, 14, 2, 0, tzinfo=UTC)
    kinds = {}
    for msg_type in (1, 4, 18, 21):
        frame = json.loads(encode({"type": msg_type, "mmsi": 2190047, "lon": 12.6, "lat": 55.7, "timestamp": t}, 0.0))
        kinds[msg_type] = as_fields(frame)["k"]
    assert kinds == {1: VESSEL, 4: BASE_STATION, 18: VESSEL, 21: AID_TO_NAVIGATION}

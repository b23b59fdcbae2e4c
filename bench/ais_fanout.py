"""Live fan-out latency: a capture replayed at 300 msg/s through the real live pipeline
(decode → COPY → NOTIFY at commit → web process hub → websocket), to N clients.

Latency is client receive time minus the publish time stamped at commit (`t`), per position.
The server is a separate uvicorn process run as `mh serve` runs it (no permessage-deflate), the
clients another process asking for frames as the map does (`encoding=deflate`: compressed once
per viewport by the hub; `--encoding json` for plain text), the feed this one.
Prints p50/p99 per client count; the last line is `name=value` pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request

from _common import DATA, ROOT, fresh_database, pct, summary_line

BBOX = "-10,40,40,70"  # all of the Danish capture


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clients(port: int, token: str, n: int, seconds: float, encoding: str, out) -> None:
    import zlib

    import websockets

    lat: list[float] = []
    received = [0]
    sample_every = max(1, n // 100)  # keep every item from ~100 clients: enough for p99

    async def one(i: int, ready: asyncio.Event):
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/ws/ais?bbox={BBOX}&encoding={encoding}",
            max_size=None,
            open_timeout=60,
            ping_interval=None,
            compression=None,
        ) as ws:
            # API clients sign in with their first message, never in the URL (docs/security.md).
            await ws.send(json.dumps({"token": token}))
            ready.set()
            sampled = i % sample_every == 0
            end = time.time() + seconds
            while time.time() < end:
                try:
                    frame = await asyncio.wait_for(ws.recv(), timeout=max(0.1, end - time.time()))
                except TimeoutError:
                    break
                if isinstance(frame, bytes):
                    frame = zlib.decompress(frame, -15).decode()
                if sampled:
                    now = time.time()
                    items = json.loads(frame)
                    received[0] += len(items)
                    lat.extend(
                        now - it[7] for it in items if it[7] is not None
                    )  # null: the snapshot on connect  # [mmsi, lon, lat, sog, cog, hdg, ts, t]
                else:
                    # The other clients only count: parsing 1,000 clients' frames in this one
                    # process would measure the bench client, not the server (items hold no
                    # nested arrays, so separators + 1 = items).
                    received[0] += frame.count("],[") + 1

    async def main():
        tasks = []
        for i in range(n):
            ev = asyncio.Event()
            tasks.append(asyncio.create_task(one(i, ev)))
            if i % 50 == 49:
                await asyncio.sleep(0.05)  # do not stampede the accept queue
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(main())
    out.send((lat, received[0]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="50 clients for 5 s")
    ap.add_argument("--clients", default="100,500,1000")
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--rate", type=float, default=300.0)
    ap.add_argument(
        "--encoding",
        choices=("deflate", "json"),
        default="deflate",
        help="frames compressed once per viewport (as the map asks) or plain JSON text",
    )
    args = ap.parse_args()
    counts = [50] if args.quick else [int(c) for c in args.clients.split(",")]
    seconds = 5.0 if args.quick else args.seconds

    url = fresh_database("mh_bench_fanout")
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from maritime_hub.audit.service import SYSTEM
    from maritime_hub.auth.schemas import UserCreate
    from maritime_hub.auth.service import create_token, create_user
    from vessels.ais.listen import LiveIngest, replay_reader
    from vessels.ais.replay import sentences

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with Session(engine) as s:
        user = create_user(s, SYSTEM, UserCreate(username="bench", password="bench-password", roles=["mediator"]))
        token = create_token(s, SYSTEM, user)
        s.commit()
    engine.dispose()

    port = free_port()
    env = {**os.environ, "MH_DATABASE_URL": url}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "maritime_hub.asgi:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--ws-ping-interval",
            "0",
            "--ws-per-message-deflate",
            "false",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        lines = sentences([DATA / "dma-ais-aislib" / "stream_example.txt"])
        figures = {}
        for n in counts:
            parent, child = mp.Pipe()
            proc = mp.get_context("spawn").Process(
                target=clients, args=(port, token, n, seconds + 3, args.encoding, child)
            )
            proc.start()
            time.sleep(2 + n / 400)  # let the clients connect
            li = LiveIngest(url, f"fanout-{n}", "replay")
            feeder = threading.Thread(
                target=replay_reader, args=(lines, args.rate, True, li.feed, li.stop), daemon=True
            )
            runner = threading.Thread(target=li.run, daemon=True)
            runner.start()
            feeder.start()
            time.sleep(seconds)
            li.stop.set()
            runner.join(10)
            lat, received = parent.recv()
            proc.join(30)
            p50, p99 = pct(lat, 50), pct(lat, 99)
            print(
                f"{n:5d} clients: {received:,} positions delivered, p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms "
                f"({len(lat):,} samples, feed {li.summary.decoded / seconds:.0f} msg/s)"
            )
            figures[f"c{n}_p50_ms"] = p50 * 1000
            figures[f"c{n}_p99_ms"] = p99 * 1000
        print(summary_line(rate=args.rate, encoding=args.encoding, **figures))
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()

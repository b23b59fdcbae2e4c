"""API load: many concurrent clients against `mh serve` on loopback, as a busy morning would.

The server is a separate process run as `mh serve` runs it, on a database with the demo data.
Clients act as three roles (coordinator, mediator, admin); half of them share their role's
API token, the others each sign in and use a browser session cookie. Each client loops
without pause over a mix of reads: case list, vessel list, a vessel's detail, a vessel's
1-day track and a case page (HTML).

Baseline, same run, same clients: the project's own `/api/v1/health` (two queries). Prints
p50/p95/p99, errors (non-2xx), timeouts and throughput, reads as a ratio to health.
Targets (issue 12): 0 errors, 0 timeouts, p95 <= 500 ms, reads >= 0.3x health.

`--quick` (what `make test` runs): 20 clients sharing one token for 10 s; `--check` exits 1
on any error or timeout. The last line is `name=value` pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import h11
from _common import free_port, fresh_database, pct, run_mh, start_server, summary_line

ROLES = ("coordinator", "mediator", "admin")
PASSWORD = "demo-pass-2026"
REQUEST_TIMEOUT = 10.0
ISO = "%Y-%m-%dT%H:%M:%SZ"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    by_path: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    timeouts: int = 0

    def add(self, kind: str, seconds: float) -> None:
        self.latencies.append(seconds)
        self.by_path.setdefault(kind, []).append(seconds)


class Connection:
    """One keep-alive HTTP/1.1 connection (h11: no hand-written parsing, and light enough
    that 200 clients in one process measure the server, not the client)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.conn = h11.Connection(h11.CLIENT)

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.conn = h11.Connection(h11.CLIENT)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    async def request(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes = b""
    ) -> tuple[int, dict, bytes]:
        if self.writer is None or self.conn.our_state is not h11.IDLE:
            await self.close()
            await self._open()
        hdrs = [("host", f"127.0.0.1:{self.port}"), *headers]
        if body:
            hdrs.append(("content-length", str(len(body))))
        data = self.conn.send(h11.Request(method=method, target=target, headers=hdrs))
        if body:
            data += self.conn.send(h11.Data(data=body))
        data += self.conn.send(h11.EndOfMessage()) or b""
        assert self.writer is not None and self.reader is not None
        self.writer.write(data)
        status, out_headers, chunks = 0, {}, []
        while True:
            event = self.conn.next_event()
            if event is h11.NEED_DATA:
                raw = await self.reader.read(65536)
                self.conn.receive_data(raw)
                if not raw and self.conn.their_state is not h11.DONE:
                    raise ConnectionError("server closed the connection")
                continue
            if isinstance(event, h11.Response):
                status = event.status_code
                out_headers = {}
                for k, v in event.headers:  # several Set-Cookie headers are kept, joined
                    key = k.decode().lower()
                    out_headers[key] = f"{out_headers[key]}, {v.decode()}" if key in out_headers else v.decode()
            elif isinstance(event, h11.Data):
                chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                break
            elif isinstance(event, h11.ConnectionClosed):
                break
        if self.conn.our_state is h11.DONE and self.conn.their_state is h11.DONE:
            self.conn.start_next_cycle()
        else:
            await self.close()
        return status, out_headers, b"".join(chunks)


async def sign_in(port: int, username: str) -> str:
    """A browser session cookie, through the login form as a browser gets it."""
    conn = Connection(port)
    try:
        status, headers, body = await conn.request("GET", "/login", [])
        csrf_cookie = re.search(r"mh_login_csrf=([^;]+)", headers.get("set-cookie", "")).group(1)  # type: ignore[union-attr]
        form = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrf_token": csrf_cookie, "next": "/"}
        ).encode()
        status, headers, _ = await conn.request(
            "POST",
            "/login",
            [("content-type", "application/x-www-form-urlencoded"), ("cookie", f"mh_login_csrf={csrf_cookie}")],
            form,
        )
        if status != 303:
            raise SystemExit(f"sign-in as {username} answered {status}")
        return re.search(r"mh_session=([^;]+)", headers["set-cookie"]).group(1)  # type: ignore[union-attr]
    finally:
        await conn.close()


async def targets(port: int, auth: list[tuple[str, str]]) -> dict[str, list[str]]:
    """What a role reads: its cases, vessels and an MMSI with positions, found through the API."""
    conn = Connection(port)
    try:
        _, _, body = await conn.request("GET", "/api/v1/cases?page_size=50", auth)
        cases = [c["id"] for c in json.loads(body)["items"]]
        _, _, body = await conn.request("GET", "/api/v1/vessels?page_size=50", auth)
        vessels = json.loads(body)["items"]
        # A vessel's 1-day track up to its last position (the demo's AIS need not reach today).
        tracks = []
        for v in vessels[:20]:
            _, _, body = await conn.request("GET", f"/api/v1/vessels/{v['id']}", auth)
            last = json.loads(body).get("ais_last_position_at")
            if v.get("mmsi") and last:
                end = datetime.fromisoformat(last.replace("Z", "+00:00"))
                span = f"start={(end - timedelta(days=1)).strftime(ISO)}&end={end.strftime(ISO)}"
                tracks.append(f"/api/v1/vessels/{v['mmsi']}/track?{span}")
    finally:
        await conn.close()
    return {
        "cases": ["/api/v1/cases"],
        "vessels": ["/api/v1/vessels"],
        "vessel": [f"/api/v1/vessels/{v['id']}" for v in vessels],
        "track": tracks,
        "case_page": [f"/cases/{c}" for c in cases],
    }


async def load(
    port: int, clients: list[list[tuple[str, str]]], mix: list[dict[str, list[str]]], seconds: float
) -> tuple[Tally, float]:
    tally = Tally()
    start = time.monotonic()
    end = start + seconds
    done = [0]

    async def one(i: int) -> None:
        rng = random.Random(i)
        conn = Connection(port)
        auth, paths = clients[i], mix[i]
        kinds = [k for k, v in paths.items() if v]
        try:
            while time.monotonic() < end:
                kind = rng.choice(kinds)
                path = rng.choice(paths[kind])
                t0 = time.perf_counter()
                try:
                    status, _, _ = await asyncio.wait_for(conn.request("GET", path, auth), REQUEST_TIMEOUT)
                except TimeoutError:
                    tally.timeouts += 1
                    await conn.close()
                    continue
                except (ConnectionError, OSError, h11.ProtocolError) as exc:
                    tally.errors[type(exc).__name__] = tally.errors.get(type(exc).__name__, 0) + 1
                    await conn.close()
                    continue
                if time.monotonic() > end:
                    break  # the window closed while this request ran: not counted
                tally.add(kind, time.perf_counter() - t0)
                done[0] += 1
                if not 200 <= status < 300:
                    key = f"{status} {kind}"
                    tally.errors[key] = tally.errors.get(key, 0) + 1
        finally:
            await conn.close()

    await asyncio.gather(*(one(i) for i in range(len(clients))))
    return tally, done[0] / (time.monotonic() - start)


def report(name: str, tally: Tally, rps: float) -> None:
    ms = [x * 1000 for x in tally.latencies]
    print(
        f"{name:>10}: {len(ms):6d} requests  {rps:7.1f}/s  p50 {pct(ms, 50):6.1f} ms  p95 {pct(ms, 95):6.1f} ms  "
        f"p99 {pct(ms, 99):6.1f} ms  errors {sum(tally.errors.values())}  timeouts {tally.timeouts}"
    )
    if tally.errors:
        print(f"{'':>12}errors: {tally.errors}")
    if len(tally.by_path) > 1:
        for kind, values in sorted(tally.by_path.items()):
            v = [x * 1000 for x in values]
            print(f"{kind:>12}: {len(v):6d}  p50 {pct(v, 50):6.1f} ms  p95 {pct(v, 95):6.1f} ms")


async def main_async(args, port: int, env: dict) -> int:
    tokens = {
        r: re.search(r"mh_\S+", run_mh("tokens", "create", "--username", r, "--name", "bench", env=env)).group(0)  # type: ignore[union-attr]
        for r in ROLES
    }
    clients: list[list[tuple[str, str]]] = []
    roles: list[str] = []
    for i in range(args.clients):
        role = ROLES[0] if args.quick else ROLES[i % len(ROLES)]
        if args.quick or i % 2 == 0:  # --quick: every client shares one token
            clients.append([("authorization", f"Bearer {tokens[role]}")])
        else:
            clients.append([("cookie", f"mh_session={await sign_in(port, role)}")])
        roles.append(role)
    per_role = {r: await targets(port, [("authorization", f"Bearer {tokens[r]}")]) for r in ROLES}
    mix = [per_role[r] for r in roles]

    health_mix = [{"health": ["/api/v1/health"]} for _ in clients]
    health, health_rps = await load(port, clients, health_mix, args.health_seconds)
    report("health", health, health_rps)
    reads, reads_rps = await load(port, clients, mix, args.seconds)
    report("reads", reads, reads_rps)

    ms = [x * 1000 for x in reads.latencies]
    errors = sum(reads.errors.values()) + sum(health.errors.values())
    timeouts = reads.timeouts + health.timeouts
    ratio = reads_rps / health_rps if health_rps else float("nan")
    print(f"reads / health throughput: {ratio:.2f}x  (target >= 0.3)")
    print(
        summary_line(
            clients=args.clients,
            seconds=args.seconds,
            workers=args.workers,
            health_rps=health_rps,
            reads_rps=reads_rps,
            ratio=ratio,
            p50_ms=pct(ms, 50),
            p95_ms=pct(ms, 95),
            p99_ms=pct(ms, 99),
            errors=errors,
            timeouts=timeouts,
        )
    )
    if args.check and (errors or timeouts):
        print("FAIL: errors or timeouts under load", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument(
        "--health-seconds", type=float, default=None, help="baseline length (default: a third of --seconds)"
    )
    ap.add_argument("--workers", type=int, default=1, help="mh serve --workers")
    ap.add_argument("--quick", action="store_true", help="20 clients sharing one token, 10 s")
    ap.add_argument("--check", action="store_true", help="exit 1 on any error or timeout")
    ap.add_argument("--database-url", help="a database that already holds the demo data (default: a fresh one)")
    args = ap.parse_args()
    if args.quick:
        args.clients, args.seconds = 20, 10
    args.health_seconds = args.health_seconds or max(5.0, args.seconds / 3)

    env = {**os.environ}
    if args.database_url:
        env["MH_DATABASE_URL"] = args.database_url
    else:
        url = fresh_database("mh_bench_load")
        env["MH_DATABASE_URL"] = url.replace("postgresql://", "postgresql+psycopg://")
        run_mh("demo", "load", env=env)
    port = free_port()
    server = start_server(env, port, args.workers)
    try:
        return asyncio.run(main_async(args, port, env))
    finally:
        t0 = time.monotonic()
        server.terminate()  # SIGTERM: must stop within a few seconds (graceful shutdown)
        try:
            server.wait(15)
            print(f"server stopped {time.monotonic() - t0:.1f} s after SIGTERM")
        except subprocess.TimeoutExpired:
            server.kill()
            print("FAIL: server ignored SIGTERM for 15 s", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())

"""`mh ais` commands that use the database: ingest, listen, replay, track, near, cpa, gaps.

Registered onto the decode CLI's Typer app by the composition root (maritime_hub.cli).
"""

from __future__ import annotations

import json
import signal
import threading
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn
from rich.table import Table

from vessels.validation import MMSI_MAX, MMSI_MIN

console = Console()
err = Console(stderr=True, soft_wrap=True)  # an error stays one line, however narrow the terminal


def _url() -> str:
    from maritime_hub.db.cluster import database_url

    return database_url()


def _dt(value: str, name: str) -> datetime:
    try:
        d = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        err.print(
            f"[red]error:[/red] {name.upper()} must be ISO 8601, e.g. 2026-11-20T00:00:00Z (UTC unless an offset is given)"
        )
        raise typer.Exit(2) from None
    if d.tzinfo is None:
        from datetime import UTC

        d = d.replace(tzinfo=UTC)
    return d


def _text(value) -> str:
    """Times as ISO 8601 UTC with Z (as the API gives them), positions as "lat, lon", nothing as
    "—", everything else as str."""
    if isinstance(value, datetime):
        from datetime import UTC

        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if value is None:
        return "—"
    if isinstance(value, dict) and {"lat", "lon"} <= value.keys():
        return f"{value['lat']:.6f}, {value['lon']:.6f}"
    return str(value)


def _json(value):
    return _text(value) if isinstance(value, datetime) else str(value)


def _print(rows: list[dict], as_json: bool, columns: list[str], title: str) -> None:
    if as_json:
        print(json.dumps(rows, default=_json, ensure_ascii=False, indent=1))
        return
    t = Table(title=title)
    for c in columns:
        t.add_column(c, no_wrap=True)
    for r in rows:
        t.add_row(*[_text(r.get(c, "")) for c in columns])
    # As wide as the table needs, whatever the terminal (80 columns when piped): a cell folded
    # or cut would misread ("9.1" over "7" for 9.17 h, an MMSI in three pieces).
    needed = console.measure(t, options=console.options.update(max_width=10_000)).maximum
    Console(width=max(console.width, needed)).print(t)


@contextmanager
def clean_errors():
    """Bad input is a message and exit code 2, not a traceback."""
    from maritime_hub.errors import MaritimeHubError

    try:
        yield
    except MaritimeHubError as exc:
        err.print(f"[red]error:[/red] {exc.field + ': ' if exc.field else ''}{exc.message}")
        raise typer.Exit(2) from None


def register(app: typer.Typer, ensure_db) -> None:  # noqa: C901 - one function per command, kept together
    @app.command()
    def ingest(
        files: Annotated[list[Path], typer.Argument(help="NMEA files", exists=True, dir_okay=False, readable=True)],
        source: Annotated[str | None, typer.Option(help="source name (default: the file name)")] = None,
        workers: Annotated[int, typer.Option(help="decoding processes (2 cores: 2)")] = 2,
    ) -> None:
        """Store positions (and static data) from NMEA files into PostGIS; safe to re-run and to resume."""
        from vessels.ais.ingest import ingest_files

        ensure_db()
        with Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=False,
        ) as progress:
            task = progress.add_task("ingest", total=0)
            r = ingest_files(
                _url(),
                list(files),
                source,
                workers,
                on_progress=lambda n: progress.advance(task, n),
                on_total=lambda n: progress.update(task, total=(progress.tasks[0].total or 0) + n),
            )
        s = r.summary
        t = Table(title="AIS ingest", show_header=False)
        for k, v in (
            ("files", r.files),
            ("messages decoded", s.decoded),
            ("positions stored", r.totals.positions),
            ("duplicates skipped", r.totals.duplicates),
            ("quarantined", s.quarantined_total),
            *((f"  {reason}", n) for reason, n in sorted(s.quarantined.items())),
            ("unregistered vessels created", r.totals.vessels_created),
            ("seconds", f"{r.seconds:.2f}"),
            ("rate (msg/s)", f"{r.rate:,.0f}"),
        ):
            t.add_row(k, str(v))
        console.print(t)
        for f in r.already_ingested:
            console.print(f"{f}: already ingested (same SHA-256); nothing to do")
        if r.skipped_chunks and not r.already_ingested:
            console.print(f"resumed: {r.skipped_chunks} chunks were already stored by an earlier run")

    def _run_live(li, reader, args) -> None:
        t = threading.Thread(target=reader, args=(*args, li.feed, li.stop), daemon=True)
        t.start()
        signal.signal(signal.SIGTERM, lambda *_: li.stop.set())
        runner = threading.Thread(target=li.run, daemon=True)
        runner.start()
        try:
            ticks = 0
            while runner.is_alive():
                runner.join(0.5)
                ticks += 1
                if not t.is_alive() and li.lines.empty():
                    li.stop.set()  # a replay without --loop has fed everything: write the rest and end
                if ticks % 10 == 0 or not runner.is_alive():
                    err.print(
                        f"[dim]{li.summary.decoded} messages, {li.writer.totals.positions} positions, "
                        f"{li.summary.quarantined_total} quarantined[/dim]"
                    )
        except KeyboardInterrupt:
            li.stop.set()
            runner.join(5)

    @app.command()
    def listen(
        tcp: Annotated[str | None, typer.Option(help="HOST:PORT of an NMEA TCP feed")] = None,
        udp: Annotated[int | None, typer.Option(help="UDP port to receive NMEA datagrams on")] = None,
        source: Annotated[str | None, typer.Option(help="source name")] = None,
    ) -> None:
        """Ingest a live feed (reconnects with backoff, commits at least every second, feeds the live map)."""
        from vessels.ais.listen import LiveIngest, tcp_reader, udp_reader

        if (tcp is None) == (udp is None):
            err.print("[red]error:[/red] give exactly one of --tcp HOST:PORT or --udp PORT")
            raise typer.Exit(2)
        ensure_db()
        if tcp:
            host, _, port = tcp.rpartition(":")
            if not host or not port.isdigit():
                err.print("[red]error:[/red] --tcp must be HOST:PORT")
                raise typer.Exit(2)
            li = LiveIngest(_url(), source or f"tcp:{tcp}", "tcp")
            _run_live(li, tcp_reader, (host, int(port)))
        else:
            li = LiveIngest(_url(), source or f"udp:{udp}", "udp")
            _run_live(li, udp_reader, (udp,))

    @app.command()
    def replay(
        files: Annotated[list[Path], typer.Argument(help="NMEA files to replay", exists=True, dir_okay=False)],
        rate: Annotated[float, typer.Option(help="sentences per second")] = 300.0,
        loop: Annotated[bool, typer.Option(help="start again at the end")] = False,
        source: Annotated[str, typer.Option(help="source name")] = "replay",
        now: Annotated[
            bool,
            typer.Option(
                "--now",
                help="stamp every sentence with the current time, dropping the "
                "capture's own times: a demo feed whose positions land on today",
            ),
        ] = False,
    ) -> None:
        """Replay captures as a live feed (live map, demos, load). Lines keep the capture's own receive
        times (tag block c:, $PGHP); lines without one get the time they are replayed."""
        import functools

        from vessels.ais.listen import LiveIngest, replay_reader
        from vessels.ais.replay import capture_lines, sentences

        ensure_db()
        li = LiveIngest(_url(), source, "replay")
        # --now: the bare sentences, each stamped with the (µs) time it is read, as from a live
        # receiver; a whole-second tag block would give one vessel several places in one second.
        lines = sentences(files) if now else capture_lines(files)
        _run_live(li, functools.partial(replay_reader, stamp=False), (lines, rate, loop))

    @app.command()
    def maintain() -> None:
        """Rewrite closed weekly partitions in spatial order (CLUSTER) so area queries read few pages."""
        from vessels.ais.maintenance import cluster_closed_weeks

        ensure_db()
        done = cluster_closed_weeks(_url(), on_done=lambda n, s: console.print(f"{n}: clustered in {s:.1f} s"))
        console.print(
            f"{len(done)} closed weeks clustered" if done else "nothing to do: every closed week is already clustered"
        )

    @app.command()
    def track(mmsi: int, start: str, end: str, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
        """A vessel's positions in a window."""
        from maritime_hub.db.session import transaction
        from vessels.ais import analytics

        ensure_db()
        with clean_errors(), transaction() as s:
            pts = analytics.track(s, mmsi, _dt(start, "start"), _dt(end, "end"))
        if not pts and not (MMSI_MIN <= mmsi <= MMSI_MAX):
            # Stored AIS keeps whatever a transponder sent, so a short number is looked up first;
            # only when nothing is stored under it is it a typing slip to name.
            err.print(
                f"[red]error:[/red] mmsi: {mmsi} is not an MMSI: an MMSI has 9 digits (ITU-R M.585), "
                "and no positions are stored under this number"
            )
            raise typer.Exit(2)
        rows = [dict(ts=p.ts, lon=p.lon, lat=p.lat, sog=p.sog, cog=p.cog, heading=p.heading) for p in pts]
        if not rows:
            err.print(f"no positions of MMSI {mmsi} from {start} to {end}")
        _print(rows, as_json, ["ts", "lon", "lat", "sog", "cog", "heading"], f"track {mmsi}: {len(rows)} positions")

    @app.command()
    def near(
        lat: float,
        lon: float,
        start: str,
        end: str,
        radius_nm: Annotated[float, typer.Option()] = 10.0,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Vessels within a radius of a point, with their closest positions."""
        from maritime_hub.db.session import transaction
        from vessels.ais.service import near_with_vessels

        ensure_db()
        with clean_errors(), transaction() as s:
            rows = near_with_vessels(s, lat, lon, radius_nm, _dt(start, "start"), _dt(end, "end"))
        _print(
            rows, as_json, ["mmsi", "vessel_name", "distance_m", "ts", "lon", "lat", "sog"], f"within {radius_nm} nm"
        )

    @app.command()
    def cpa(
        mmsi_a: int, mmsi_b: int, start: str, end: str, as_json: Annotated[bool, typer.Option("--json")] = False
    ) -> None:
        """Closest point of approach of two vessels."""
        from maritime_hub.db.session import transaction
        from vessels.ais import analytics

        ensure_db()
        with clean_errors(), transaction() as s:
            r = analytics.cpa(s, mmsi_a, mmsi_b, _dt(start, "start"), _dt(end, "end"))
        _print([r], as_json, ["mmsi_a", "mmsi_b", "distance_m", "time", "position_a", "position_b"], "CPA")

    @app.command()
    def gaps(
        start: str,
        end: str,
        mmsi: Annotated[int | None, typer.Option()] = None,
        bbox: Annotated[str | None, typer.Option(help="minlon,minlat,maxlon,maxlat")] = None,
        min_hours: Annotated[float, typer.Option()] = 6.0,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """AIS gaps (Global Fishing Watch definition)."""
        from maritime_hub.db.session import transaction
        from vessels.ais import analytics
        from vessels.ais.endpoints import parse_bbox

        ensure_db()
        with clean_errors(), transaction() as s:
            rows = analytics.gaps(s, mmsi, _dt(start, "start"), _dt(end, "end"), min_hours, parse_bbox(bbox))
        _print(
            rows,
            as_json,
            ["mmsi", "start", "end", "hours", "distance_nm", "implied_speed_kn", "suspected_disabling"],
            "gaps",
        )

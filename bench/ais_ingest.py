"""AIS ingest throughput: end-to-end `mh ais ingest` path vs single-process pyais decode-only.

The shared captures are repeated (each copy with its own receive times) to >= 200k messages.
Prints the decode-only rate, the ingest rate (partitions, dedup key and indexes in place) and
their ratio; the last line is `name=value` pairs. With --cpu, also where the CPU went, per
message: this process and its workers (getrusage) and the PostgreSQL server (/proc of its
processes, the finished backends counted in the postmaster's children): on a shared VM the
CPU per message moves far less than wall-clock rates do.
"""

from __future__ import annotations

import argparse
import os
import resource
import time

from _common import DATA, ROOT, fresh_database, summary_line

from vessels.ais.decode import Summary, decode_lines
from vessels.ais.ingest import ingest_files
from vessels.ais.replay import shared_captures, write_corpus


def pyais_only(path) -> tuple[int, float]:
    """The baseline: pyais's own stream decoding every message, nothing else."""
    from pyais.stream import FileReaderStream

    n = 0
    t = time.perf_counter()
    for msg in FileReaderStream(str(path)):
        try:
            msg.decode()
            n += 1
        except Exception:  # noqa: BLE001 - the baseline skips what pyais cannot decode
            pass
    return n, time.perf_counter() - t


def postgres_cpu() -> float:
    """CPU seconds of all PostgreSQL processes on this machine, their finished children included."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        if stat[stat.find("(") + 1 : stat.rfind(")")].startswith("postgres"):
            fields = stat[stat.rfind(")") + 2 :].split()
            total += sum(int(v) for v in fields[11:15]) / tick  # utime, stime, cutime, cstime
    return total


def own_cpu() -> float:
    return sum(
        resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small smoke size (about 20k messages)")
    ap.add_argument(
        "--copies", type=int, default=None, help="copies of the shared captures (default: 34, >= 200k messages)"
    )
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cpu", action="store_true", help="also print CPU per message: Python and PostgreSQL")
    args = ap.parse_args()
    copies = args.copies or (3 if args.quick else 34)
    corpus = ROOT / "var" / "bench" / f"corpus-{copies}.nmea"
    corpus.parent.mkdir(parents=True, exist_ok=True)
    lines = write_corpus(corpus, shared_captures(DATA), copies, 1_700_000_000, step_s=1.0)
    print(f"corpus: {corpus} ({lines:,} lines, {corpus.stat().st_size / 1e6:.1f} MB)")

    n_pyais, s_pyais = pyais_only(corpus)
    decode_rate = n_pyais / s_pyais
    print(f"pyais decode-only (1 process):     {n_pyais:,} msgs in {s_pyais:.2f} s = {decode_rate:,.0f} msg/s")

    s = Summary()
    t = time.perf_counter()
    with corpus.open("rb") as f:
        for _ in decode_lines(f, summary=s):
            pass
    ours = s.decoded / (time.perf_counter() - t)
    print(
        f"maritime-hub decoder (1 process):  {s.decoded:,} msgs = {ours:,.0f} msg/s ({ours / decode_rate:.2f}x pyais)"
    )

    url = fresh_database("mh_bench_ingest")
    py0, pg0 = own_cpu(), postgres_cpu()
    r = ingest_files(url, [corpus], workers=args.workers)
    py_us, pg_us = ((own_cpu() - py0) / r.summary.decoded * 1e6, (postgres_cpu() - pg0) / r.summary.decoded * 1e6)
    ingest_rate = r.summary.decoded / r.seconds
    print(
        f"ingest end to end ({args.workers} processes):  {r.summary.decoded:,} msgs, {r.totals.positions:,} positions stored, "
        f"{r.totals.duplicates:,} duplicates, {r.summary.quarantined_total:,} quarantined in {r.seconds:.2f} s = {ingest_rate:,.0f} msg/s"
    )
    cpu = {}
    if args.cpu:
        print(
            f"CPU per message: Python {py_us:.1f} µs, PostgreSQL {pg_us:.1f} µs, total {py_us + pg_us:.1f} µs "
            f"(2 cores busy {(py_us + pg_us) * r.summary.decoded / 1e6 / r.seconds / 2:.0%} of the run)"
        )
        cpu = {"python_us": py_us, "postgres_us": pg_us}
    again = ingest_files(url, [corpus], workers=args.workers)
    print(f"re-ingest of the same file: {again.totals.positions} rows added in {again.seconds:.2f} s")
    print(
        summary_line(
            messages=r.summary.decoded,
            decode_rate=decode_rate,
            decoder_rate=ours,
            ingest_rate=ingest_rate,
            ratio=ingest_rate / decode_rate,
            **cpu,
        )
    )


if __name__ == "__main__":
    main()

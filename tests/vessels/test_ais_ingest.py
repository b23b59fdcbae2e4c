"""Ingest into PostGIS: counts, quarantine, idempotency, kill-and-resume, static-data merge."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from vessels.ais.ingest import ingest_files
from vessels.ais.replay import shared_captures, write_corpus

DATA = ROOT.parent / "shared" / "data" / "ais"


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def count(url: str, sql: str, *args):
    with psycopg.connect(libpq(url)) as conn:
        return conn.execute(sql, args).fetchone()[0]


def fetch(url: str, sql: str, *args):
    with psycopg.connect(libpq(url)) as conn:
        return conn.execute(sql, args).fetchall()


def test_ingest_shared_captures_then_again_adds_nothing(scratch_db):
    files = shared_captures(DATA)
    first = ingest_files(scratch_db, files)
    assert first.files == 12
    assert first.totals.positions > 4000
    assert first.totals.quarantined == first.summary.quarantined_total > 100
    stored = count(scratch_db, "SELECT count(*) FROM ais_position")
    assert stored == first.totals.positions
    # The 100 empty payloads of nmea_data_sample.txt are quarantined with their line numbers.
    assert (
        count(
            scratch_db,
            "SELECT count(*) FROM ais_quarantine q JOIN ais_source s ON s.id = q.source_id "
            "WHERE s.name = 'nmea_data_sample.txt' AND reason = 'empty_payload'",
        )
        == 100
    )
    again = ingest_files(scratch_db, files)
    assert again.totals.positions == 0 and again.summary.decoded == 0
    assert count(scratch_db, "SELECT count(*) FROM ais_position") == stored
    assert count(scratch_db, "SELECT count(*) FROM ais_quarantine") == first.totals.quarantined


def test_the_same_file_under_another_source_is_not_stored_again(scratch_db):
    # stream_example.txt has no receive times: each run would stamp it with a new "time read".
    capture = DATA / "dma-ais-aislib" / "stream_example.txt"
    first = ingest_files(scratch_db, [capture], source="station-a")
    assert first.totals.positions > 0
    again = ingest_files(scratch_db, [capture], source="station-b")
    assert again.totals.positions == 0 and again.already_ingested == [f"{capture} (source station-a)"]
    assert count(scratch_db, "SELECT count(*) FROM ais_position") == first.totals.positions


def test_same_file_under_another_name_is_deduplicated_by_key(scratch_db, tmp_path):
    corpus = tmp_path / "a.nmea"
    write_corpus(corpus, [DATA / "dma-ais-aislib" / "stream_example.txt"], 1, 1_700_000_000)
    copy = tmp_path / "b.nmea"
    copy.write_bytes(corpus.read_bytes() + b"\n")  # different bytes, same messages
    first = ingest_files(scratch_db, [corpus])
    second = ingest_files(scratch_db, [copy])
    assert second.summary.decoded == first.summary.decoded
    assert second.totals.positions == 0 and second.totals.duplicates == first.totals.positions + first.totals.duplicates


def test_batch_overlapping_stored_rows_keeps_only_the_new_ones(scratch_db, tmp_path):
    # The writer first tries a plain INSERT; a batch that meets stored rows falls back to
    # ON CONFLICT DO NOTHING, which must still store the batch's new rows, once.
    whole = tmp_path / "whole.nmea"
    write_corpus(whole, [DATA / "dma-ais-aislib" / "stream_example.txt"], 1, 1_700_000_000)
    lines = whole.read_bytes().splitlines(keepends=True)
    half = tmp_path / "half.nmea"
    half.write_bytes(b"".join(lines[: len(lines) // 2]))
    clean = ingest_files(scratch_db, [whole], source="clean")
    expected = count(scratch_db, "SELECT count(*) FROM ais_position")
    assert expected == clean.totals.positions > 1000
    with psycopg.connect(libpq(scratch_db), autocommit=True) as conn:
        conn.execute("TRUNCATE ais_position, ais_ingest_progress")  # as if never ingested
    first = ingest_files(scratch_db, [half], source="half", workers=1)
    assert 0 < first.totals.positions < expected
    second = ingest_files(scratch_db, [whole], source="whole", workers=1)
    assert second.totals.positions == expected - first.totals.positions
    assert second.totals.duplicates == first.totals.positions + clean.totals.duplicates
    assert count(scratch_db, "SELECT count(*) FROM ais_position") == expected


def test_writer_escalates_from_direct_copy_to_distinct_to_on_conflict(scratch_db):
    # Step 1 (COPY straight into ais_position) for a clean batch, step 2 (DISTINCT ON through
    # staging) when the batch holds two rows with one key, keeping the first in the file, and
    # step 3 (ON CONFLICT) when it meets stored rows; each batch stores its new rows once.
    from datetime import UTC, datetime, timedelta

    from vessels.ais.ingest import ensure_source
    from vessels.ais.rows import pack_position, to_us
    from vessels.ais.writer import Batch, Writer

    url = libpq(scratch_db)
    source = ensure_source(url, "writer-test")
    t0 = datetime(2026, 11, 29, 23, 0, tzinfo=UTC)  # Sunday: the batches span two weekly partitions

    def batch(*points):
        b = Batch()
        for mmsi, minute, sog in points:
            rec = {
                "type": 1,
                "mmsi": mmsi,
                "lon": 122.0 + minute / 1000,
                "lat": 30.0,
                "speed": sog,
                "course": 90.0,
                "heading": 90,
                "status": 0,
                "timestamp": t0 + timedelta(minutes=minute),
            }
            b.messages += 1
            b.add_row(pack_position(rec, source), to_us(rec["timestamp"]))
        return b

    writer = Writer(url, source)
    try:
        writer.write(batch(*[(412000001, m, 5.0) for m in range(0, 120, 10)]))
        assert (writer.step, writer.totals.positions, writer.totals.duplicates) == (1, 12, 0)
        writer.write(batch((412000002, 0, 7.5), (412000002, 0, 9.9), (412000002, 10, 7.5)))
        assert (writer.step, writer.totals.positions, writer.totals.duplicates) == (2, 14, 1)
        writer.write(batch((412000001, 0, 5.0), (412000003, 0, 3.0)))
        assert (writer.step, writer.totals.positions, writer.totals.duplicates) == (3, 15, 2)
    finally:
        writer.close()
    assert fetch(url, "SELECT sog FROM ais_position WHERE mmsi = 412000002 ORDER BY ts") == [(7.5,), (7.5,)]
    # The packed EWKB (big-endian) is the same point as the lon/lat columns, in SRID 4326.
    assert (
        count(
            url,
            "SELECT count(*) FROM ais_position WHERE ST_X(geom) = lon AND ST_Y(geom) = lat "
            "AND ST_SRID(geom) = 4326 AND geom = ST_SetSRID(ST_MakePoint(lon, lat), 4326)",
        )
        == 15
    )
    assert count(url, "SELECT count(*) FROM ais_position") == 15
    assert count(url, "SELECT count(DISTINCT tableoid) FROM ais_position") == 2


INGEST = (
    "import sys; from pathlib import Path; from vessels.ais.ingest import ingest_files\n"
    "if __name__ == '__main__':\n"
    "    r = ingest_files(sys.argv[1], [Path(sys.argv[2])], workers=2, chunk_bytes=200_000)\n"
    "    print(r.totals.positions)\n"
)


def test_sigkill_mid_file_then_resume_equals_one_clean_run(cluster, tmp_path):
    from tests.conftest import recreate_from_template

    corpus = tmp_path / "big.nmea"
    write_corpus(corpus, [DATA / "dma-ais-aislib" / "stream_example.txt"], 12, 1_700_000_000)
    killed, clean = recreate_from_template(cluster, "mh_killed"), recreate_from_template(cluster, "mh_clean")
    script = tmp_path / "ingest.py"
    script.write_text(INGEST)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, str(script), libpq(killed), str(corpus)], env=env, cwd=ROOT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            done_rows = count(killed, "SELECT count(*) FROM ais_position") if _has_rows(killed) else 0
            if done_rows > 5000:
                break
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)  # the parent and both worker processes
        proc.wait(10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    partial = count(killed, "SELECT count(*) FROM ais_position")
    assert 0 < partial
    resumed = ingest_files(killed, [corpus], workers=2, chunk_bytes=200_000)
    reference = ingest_files(clean, [corpus], workers=2, chunk_bytes=200_000)
    total_killed = count(killed, "SELECT count(*) FROM ais_position")
    assert partial < reference.totals.positions, "the kill came too late to test a resume"
    assert total_killed == reference.totals.positions == count(clean, "SELECT count(*) FROM ais_position")
    assert count(killed, "SELECT count(*) FROM ais_quarantine") == count(clean, "SELECT count(*) FROM ais_quarantine")
    # The resumed run decoded less than the whole file: it started after the last commit.
    assert resumed.summary.decoded < reference.summary.decoded


def _has_rows(url: str) -> bool:
    return (
        count(
            url,
            "SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'ais_position'",
        )
        > 0
    )


def test_static_data_fills_ais_fields_and_never_the_registry(scratch_db, tmp_path):
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from maritime_hub.audit.service import SYSTEM

    # libais typeexamples.nmea: line 5 is a type 5 for MMSI 366000001? Take the MMSI from a decode.
    from vessels.ais.decode import decode_file
    from vessels.schemas import VesselCreate
    from vessels.service import create
    from vessels.validation import MID_COUNTRY

    static = next(
        r
        for r in decode_file(DATA / "dma-ais-aislib" / "stream_example.txt")
        if isinstance(r, dict) and r["type"] == 5 and r.get("shipname")
    )
    engine = create_engine(scratch_db)
    with Session(engine) as s:
        create(
            s,
            SYSTEM,
            VesselCreate(
                name_zh="测试船",
                name_en="REGISTRY NAME",
                mmsi=f"{static['mmsi']:09d}" if str(static["mmsi"])[0] in "234567" else "412000009",
                # The flag its MID belongs to (ITU-R M.585: the registry refuses another).
                flag_state=MID_COUNTRY.get(int(f"{static['mmsi']:09d}"[:3]), "CN")
                if str(static["mmsi"])[0] in "234567"
                else "CN",
                call_sign="BZZZ1",
            ),
        )
        s.commit()
    ingest_files(scratch_db, [DATA / "dma-ais-aislib" / "stream_example.txt"])
    with psycopg.connect(libpq(scratch_db)) as conn:
        name_en, call, ais_name, ais_call, registered = conn.execute(
            "SELECT name_en, call_sign, ais_name, ais_call_sign, registered FROM vessel WHERE mmsi = %s",
            (f"{static['mmsi']:09d}",),
        ).fetchone()
        assert (name_en, call, registered) == ("REGISTRY NAME", "BZZZ1", True)
        assert ais_name and ais_name != "REGISTRY NAME"
        unregistered = conn.execute("SELECT count(*) FROM vessel WHERE NOT registered").fetchone()[0]
        assert unregistered > 10
        created_events = conn.execute(
            "SELECT count(*) FROM audit_event WHERE action = 'vessel.create_from_ais'"
        ).fetchone()[0]
        assert created_events == unregistered
        bad = conn.execute("SELECT count(*) FROM vessel WHERE mmsi !~ '^[2-7]'").fetchone()[0]
        assert bad == 0
    engine.dispose()
    from tests.conftest import run_mh

    assert run_mh("audit", "verify", url=scratch_db).returncode == 0


lines = st.one_of(
    st.binary(max_size=120),
    st.text(max_size=120).map(str.encode),
    st.sampled_from(
        [
            b"!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C",
            b"!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C",
            b"$PGHP,1,2010,6,11,11,46,11,929,244,0,,1,72*21",
            b"\\c:1417045520*5C\\!AIVDM,1,1,,A,13aGmP0P00PD;88MD5MTDww@2<0L,0*34",
        ]
    ).flatmap(
        lambda s: st.tuples(st.just(s), st.integers(0, len(s) - 1), st.integers(0, 255)).map(
            lambda t: t[0][: t[1]] + bytes([t[2]]) + t[0][t[1] + 1 :]
        )
    ),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(st.lists(lines, min_size=1, max_size=40))
def test_random_and_mutated_lines_never_crash_ingest(scratch_db, tmp_path_factory, body):
    f = tmp_path_factory.mktemp("fuzz") / "fuzz.nmea"
    data = b"\n".join(body)
    f.write_bytes(data)
    r = ingest_files(scratch_db, [f], workers=1)
    # Never more outcomes than physical lines (a generated line may itself hold newlines).
    assert r.summary.decoded + r.summary.quarantined_total <= data.count(b"\n") + 1
    assert count(scratch_db, "SELECT count(*) FROM ais_position") >= 0


def test_chunked_parallel_ingest_decodes_exactly_what_one_pass_does(scratch_db, tmp_path):
    from vessels.ais.decode import Summary, decode_file

    corpus = tmp_path / "tagged.nmea"
    write_corpus(corpus, shared_captures(DATA), 2, 1_700_000_000)
    one = Summary()
    for _ in decode_file(corpus, summary=one):
        pass
    r = ingest_files(scratch_db, [corpus], workers=2, chunk_bytes=40_000)
    assert r.summary.decoded == one.decoded
    assert r.summary.quarantined == one.quarantined


def test_maintenance_clusters_closed_weeks_only_and_once(scratch_db):
    from datetime import UTC, datetime, timedelta

    from vessels.ais.maintenance import cluster_closed_weeks

    corpus_week = datetime(2026, 9, 14, tzinfo=UTC)  # a Monday
    with psycopg.connect(libpq(scratch_db), autocommit=True) as conn:
        from vessels.ais.partitions import ensure_partitions

        with conn.transaction(), conn.cursor() as cur:
            ensure_partitions(cur, {corpus_week, corpus_week + timedelta(days=7)}, set())
        conn.execute("INSERT INTO ais_source (name, kind) VALUES ('m', 'file')")
        conn.execute(
            """INSERT INTO ais_position SELECT 412000000 + g, %s + make_interval(secs => g * 60), 122 + g / 1000.0, 30, 
                        ST_SetSRID(ST_MakePoint(122 + g / 1000.0, 30), 4326), 1, 1, 1, 0, 1, 1 FROM generate_series(1, 2000) g""",
            (corpus_week,),
        )
    now = corpus_week + timedelta(days=8, hours=12)  # week 1 over (+1 day margin), week 2 still live
    assert cluster_closed_weeks(scratch_db, now=now) == ["ais_position_p2026w38"]
    assert cluster_closed_weeks(scratch_db, now=now) == []
    assert count(scratch_db, "SELECT count(*) FROM ais_position") == 2000

    # The live week inserts into SP-GiST (cheaper) and keeps BRIN on ts; the closed week was
    # clustered on its own GiST and has dropped both.
    def indexes(week):
        return dict(
            fetch(
                scratch_db,
                "SELECT c.relname, am.amname FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
                "WHERE i.indrelid = %s::regclass",
                week,
            )
        )

    assert indexes("ais_position_p2026w39") == {
        "ais_position_p2026w39_mmsi_ts_lon_lat_idx": "btree",
        "ais_position_p2026w39_geom_spgist": "spgist",
        "ais_position_p2026w39_ts_brin": "brin",
    }
    assert indexes("ais_position_p2026w38") == {
        "ais_position_p2026w38_mmsi_ts_lon_lat_idx": "btree",
        "ais_position_p2026w38_geom_gist": "gist",
    }
    assert (
        count(
            scratch_db,
            "SELECT count(*) FROM pg_index WHERE indisclustered "
            "AND indexrelid = 'ais_position_p2026w38_geom_gist'::regclass",
        )
        == 1
    )


def test_migration_0013_moves_geometry_and_time_indexes_to_the_weeks(cluster):
    # Weeks created under 0012 carry the parent's SP-GiST and BRIN; one was clustered the old
    # way. After 0013 the clustered week keeps only its GiST, the live week gets its own
    # SP-GiST and BRIN, and new weeks get them from ensure_partitions.
    from maritime_hub.db.migrate import upgrade
    from tests.conftest import drop_database

    name = "mh_migration_0013"
    drop_database(cluster, name)
    with psycopg.connect(cluster.libpq_url("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = cluster.url(name)
    try:
        upgrade(url, "0012")
        with psycopg.connect(libpq(url), autocommit=True) as conn:
            for week, (a, b) in {"w38": ("2026-09-14", "2026-09-21"), "w39": ("2026-09-21", "2026-09-28")}.items():
                conn.execute(
                    f"CREATE TABLE ais_position_p2026{week} PARTITION OF ais_position FOR VALUES FROM ('{a}') TO ('{b}')"
                )
            conn.execute("CREATE INDEX ais_position_p2026w38_geom_gist ON ais_position_p2026w38 USING gist (geom)")
            conn.execute("CLUSTER ais_position_p2026w38 USING ais_position_p2026w38_geom_gist")
        upgrade(url, "0013")

        def kinds(table):
            return sorted(
                r[0]
                for r in fetch(
                    url,
                    "SELECT am.amname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    "JOIN pg_am am ON am.oid = c.relam WHERE i.indrelid = %s::regclass",
                    table,
                )
            )

        assert kinds("ais_position") == ["btree"]
        assert kinds("ais_position_p2026w38") == ["btree", "gist"]
        assert kinds("ais_position_p2026w39") == ["brin", "btree", "spgist"]
        from vessels.ais.partitions import ensure_partitions, week_start

        with psycopg.connect(libpq(url)) as conn, conn.transaction(), conn.cursor() as cur:
            ensure_partitions(cur, {week_start(datetime(2026, 9, 30, tzinfo=UTC))}, set())
        assert kinds("ais_position_p2026w40") == ["brin", "btree", "spgist"]
    finally:
        drop_database(cluster, name)

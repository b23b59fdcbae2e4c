"""AIS decode layer against the real captures in /work/shared/data/ais (no database)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyais import encode_dict
from pyais.messages import NMEASentenceFactory
from typer.testing import CliRunner

from vessels.ais.cli import app
from vessels.ais.decode import Quarantine, Summary, decode_file, decode_lines

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "ais"
NOW = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
POSITION_KEYS = {"type", "repeat", "mmsi", "status", "speed", "course", "heading", "lat", "lon", "timestamp"}
STATIC_KEYS = {
    "imo",
    "callsign",
    "shipname",
    "shiptype",
    "to_bow",
    "to_stern",
    "to_port",
    "to_starboard",
    "draught",
    "destination",
}
ALLOWED_KEYS = POSITION_KEYS | STATIC_KEYS | {"line_no", "raw"}


def run(path: Path, **kw) -> tuple[list[dict], list[Quarantine], Summary]:
    summary = Summary()
    recs, bad = [], []
    for r in decode_file(path, summary=summary, now=NOW, **kw):
        (bad if isinstance(r, Quarantine) else recs).append(r)
    return recs, bad, summary


def lines(*sentences: str) -> list[bytes]:
    return [s.encode() + b"\n" for s in sentences]


def decode_all(raw_lines: list[bytes], **kw) -> list[dict | Quarantine]:
    return list(decode_lines(raw_lines, now=NOW, **kw))


def test_data_dir_is_where_the_readme_says():
    assert (DATA / "README.md").is_file(), DATA


# --- counts from the README table --------------------------------------------------------


def test_stream_example_matches_readme():
    recs, bad, s = run(DATA / "dma-ais-aislib" / "stream_example.txt")
    assert s.decoded == len(recs) == 4051
    assert bad == [] and s.quarantined_total == 0
    assert dict(s.by_type) == {
        1: 2511,
        2: 7,
        3: 369,
        4: 129,
        5: 424,
        6: 37,
        7: 9,
        8: 63,
        9: 1,
        15: 66,
        16: 23,
        17: 5,
        18: 101,
        20: 191,
        21: 37,
        23: 4,
        24: 74,
    }
    assert s.lines == 8551


def test_nmea_data_sample_matches_readme():
    recs, bad, s = run(DATA / "m0r13n-pyais" / "nmea_data_sample.txt")
    assert s.decoded == len(recs) == 778
    assert dict(s.by_type) == {1: 667, 3: 76, 4: 6, 15: 7, 18: 19, 20: 1, 24: 2}
    # 100 empty payloads (pyais MissingPayloadException) and 20 first parts never completed
    assert dict(s.quarantined) == {"empty_payload": 100, "incomplete_multipart": 20}
    empty = [q for q in bad if q.reason == "empty_payload"]
    assert all(",," in q.raw and q.line_no > 0 for q in empty)
    assert all(q.raw.startswith("!AIVDM,2,1,") for q in bad if q.reason == "incomplete_multipart")
    assert s.lines == 898


@pytest.mark.parametrize(
    ("name", "decoded", "quarantined"),
    [
        ("dma-ais-aislib/decode_encode_messages.txt", 601, {}),
        # the 8 lines holding a literal "\r\n" are first parts that never get a second one
        ("dma-ais-aislib/ais250.txt", 235, {"incomplete_multipart": 8}),
        ("dma-ais-aislib/replay_dump.txt", 50, {}),
        ("dma-ais-aislib/retry_example.txt", 6, {"incomplete_multipart": 1, "orphan_fragment": 1}),
        ("schwehr-libais/typeexamples.nmea", 26, {}),
        ("schwehr-libais/tagblock.nmea", 4, {}),
        ("m0r13n-pyais/timestamped.ais", 4, {}),
        ("m0r13n-pyais/gatehouse.nmea", 4, {}),
        # README: 261. The 12 below end inside a field we read (type 23 inside its MMSI, types
        # 27/28 inside their position); pyais would hand back garbage there, so they are held.
        ("schwehr-libais/test.aivdm", 249, {"truncated": 12}),
        # README: 13. One sentence has no *hh checksum at all, which we do not accept.
        ("m0r13n-pyais/mixed.txt", 12, {"junk": 2, "bad_checksum": 1}),
    ],
)
def test_other_files(name, decoded, quarantined):
    recs, bad, s = run(DATA / name)
    assert s.decoded == len(recs) == decoded
    assert dict(s.quarantined) == quarantined
    assert len(bad) == s.quarantined_total


def test_retry_example_names_the_lost_fragments():
    _, bad, _ = run(DATA / "dma-ais-aislib" / "retry_example.txt")
    # Each is reported when it is known: the orphan at once, the start that never got its
    # second fragment when the input ends.
    assert [(q.line_no, q.reason) for q in bad] == [(10, "orphan_fragment"), (5, "incomplete_multipart")]
    assert bad[1].raw.startswith("!ABVDM,2,1,8,B")


# --- values ------------------------------------------------------------------------------


def _expected_typeexamples() -> list[dict]:
    return [json.loads(x) for x in (DATA / "schwehr-libais" / "typeexamples.json").read_text().splitlines()]


def test_positions_match_libais_expectations():
    recs, _, _ = run(DATA / "schwehr-libais" / "typeexamples.nmea")
    expected = _expected_typeexamples()
    assert [r["type"] for r in recs] == [e["type"] for e in expected]
    checked = 0
    for rec, exp in zip(recs, expected, strict=True):
        assert rec["mmsi"] == exp["mmsi"]
        if "lat" not in exp:
            assert "lat" not in rec
            continue
        checked += 1
        # libais stores float32; our values come from the exact integer fields. libais keeps the
        # sentinels and values off the globe (a type 27 at 200.2°E): no position here.
        assert rec["lat"] == (None if abs(exp["lat"]) > 90 else pytest.approx(exp["lat"], abs=1e-4)), rec
        assert rec["lon"] == (None if abs(exp["lon"]) > 180 else pytest.approx(exp["lon"], abs=1e-4)), rec
    assert checked >= 9


def test_type_17_is_in_degrees_with_sign():
    recs, _, _ = run(DATA / "schwehr-libais" / "typeexamples.nmea")
    dgnss = next(r for r in recs if r["type"] == 17)
    assert dgnss["lon"] == pytest.approx(-90.548333, abs=1e-6)  # pyais alone: 20781.5 "minutes"
    assert dgnss["lat"] == pytest.approx(-0.665, abs=1e-6)
    (rec,) = decode_all(lines(*encode_dict({"msg_type": 17, "mmsi": 2734450, "lon": -5432.9, "lat": 3067.3})))
    assert (rec["lon"], rec["lat"]) == (pytest.approx(-90.548333), pytest.approx(51.121667))


def test_type_27_resolution_and_sentinels():
    recs, _, _ = run(DATA / "schwehr-libais" / "typeexamples.nmea")
    lr = next(r for r in recs if r["type"] == 27)
    # The example's longitude decodes to 200.231667°: no place on Earth, so no longitude.
    assert (lr["lat"], lr["lon"]) == (pytest.approx(-77.968333, abs=1e-6), None)
    assert (lr["speed"], lr["course"]) == (16.0, 255.0)
    # 1/10 minute steps: 55.5 and -12.25 degrees are exact multiples of 1/600
    (rec,) = decode_all(
        lines(*encode_dict({"msg_type": 27, "mmsi": 123456789, "lon": -12.25, "lat": 55.5, "speed": 12, "course": 90}))
    )
    assert (rec["lat"], rec["lon"], rec["speed"], rec["course"]) == (55.5, -12.25, 12, 90)
    (na,) = decode_all(
        lines(*encode_dict({"msg_type": 27, "mmsi": 123456789, "lon": 181, "lat": 91, "speed": 63, "course": 511}))
    )
    assert [na[k] for k in ("lat", "lon", "speed", "course")] == [None] * 4


@pytest.mark.parametrize(
    "fields",
    [
        {"msg_type": 1, "speed": 102.3, "course": 360, "heading": 511},
        {"msg_type": 3, "speed": 102.3, "course": 360, "heading": 511},
        {"msg_type": 18, "speed": 102.3, "course": 360, "heading": 511},
        {"msg_type": 9, "speed": 1023, "course": 360},
        {"msg_type": 4},
        {"msg_type": 21, "name": "BUOY"},
    ],
)
def test_not_available_sentinels_become_none(fields):
    (rec,) = decode_all(lines(*encode_dict({"mmsi": 123456789, "lon": 181, "lat": 91, **fields})))
    assert rec["type"] == fields["msg_type"]
    for key in ("lat", "lon", "speed", "course", "heading"):
        if key in rec:
            assert rec[key] is None, key
    assert {"lat", "lon"} <= rec.keys()


@pytest.mark.parametrize("msg_type", [1, 18, 27])
@pytest.mark.parametrize("lat,lon", [(95.0, 122.0), (-100.0, 122.0), (30.0, 190.0), (30.0, -200.0)])
def test_positions_off_the_globe_become_none(msg_type, lat, lon):
    (rec,) = decode_all(lines(*encode_dict({"msg_type": msg_type, "mmsi": 123456789, "lon": lon, "lat": lat})))
    assert (rec["lat"], rec["lon"]) == (None if abs(lat) > 90 else lat, None if abs(lon) > 180 else lon)


def test_real_values_are_kept():
    (rec,) = decode_all(
        lines(
            *encode_dict(
                {
                    "msg_type": 1,
                    "mmsi": 244670316,
                    "lon": 4.4,
                    "lat": 51.2,
                    "speed": 12.3,
                    "course": 359.9,
                    "heading": 0,
                    "status": 5,
                }
            )
        )
    )
    assert [rec[k] for k in ("mmsi", "lat", "lon", "speed", "course", "heading", "status")] == [
        244670316,
        51.2,
        4.4,
        12.3,
        359.9,
        0,
        5,
    ]
    assert POSITION_KEYS <= rec.keys() and not rec.keys() & STATIC_KEYS


def test_static_fields_of_type_5_and_24():
    recs, _, _ = run(DATA / "schwehr-libais" / "typeexamples.nmea")
    exp = {e["type"]: e for e in _expected_typeexamples()}
    five = next(r for r in recs if r["type"] == 5)
    for key in ("callsign", "shipname", "shiptype", "to_bow", "to_stern", "to_port", "to_starboard", "destination"):
        assert five[key] == exp[5][key], key
    assert five["imo"] == int(exp[5]["imo"]) and five["draught"] == pytest.approx(exp[5]["draught"])
    assert next(r for r in recs if r["type"] == 24)["shipname"] == "R/V GULF CHALLENGER"
    (blank,) = decode_all(
        lines(*encode_dict({"msg_type": 5, "mmsi": 123456789, "shipname": "AB@@@", "callsign": "", "destination": ""}))
    )
    assert (blank["shipname"], blank["callsign"], blank["destination"], blank["imo"]) == ("AB", None, None, None)


def test_multipart_line_no_and_raw():
    recs, _, _ = run(DATA / "m0r13n-pyais" / "mixed.txt")
    five = [r for r in recs if r["type"] == 5]
    assert [r["line_no"] for r in five] == [16, 25]
    assert five[0]["raw"].splitlines()[0].startswith("!AIVDM,2,1,1,A,")
    assert five[0]["raw"].splitlines()[1].startswith("!AIVDM,2,2,1,A,")
    assert five[1]["raw"].startswith("\\g:1-2-27300")  # tag blocks stay in the raw evidence


# --- receive time ------------------------------------------------------------------------


def test_tag_block_c_gives_the_timestamp():
    recs, _, _ = run(DATA / "schwehr-libais" / "tagblock.nmea")
    expected = [
        json.loads(x)["tagblock_timestamp"]
        for x in (DATA / "schwehr-libais" / "tagblock.json").read_text().splitlines()
    ]
    assert [r["timestamp"] for r in recs] == [
        datetime.strptime(e, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC) for e in expected
    ]
    assert recs[1]["type"] == 5 and recs[1]["timestamp"] == datetime.fromtimestamp(1418169601, UTC)
    assert all(r["timestamp"].tzinfo is not None for r in recs)


def test_gatehouse_wrapper_gives_the_timestamp():
    recs, _, _ = run(DATA / "m0r13n-pyais" / "timestamped.ais")
    assert [(r["line_no"], r["timestamp"]) for r in recs] == [
        (2, datetime(2008, 5, 9, 0, 0, 0, 10000, tzinfo=UTC)),
        (6, NOW),  # no $PGHP before it: the time the line was read
        (8, datetime(2009, 5, 9, 0, 0, 0, 10000, tzinfo=UTC)),
        (9, NOW),
    ]
    recs, _, _ = run(DATA / "dma-ais-aislib" / "stream_example.txt")
    assert recs[0]["timestamp"] == datetime(2010, 6, 11, 11, 46, 11, 390000, tzinfo=UTC)
    lo, hi = datetime(2010, 6, 11, 11, 46, 10, tzinfo=UTC), datetime(2010, 6, 11, 11, 46, 39, tzinfo=UTC)
    assert all(lo <= r["timestamp"] < hi for r in recs)


def test_trailing_uscg_unix_time_is_used():
    recs, _, _ = run(DATA / "schwehr-libais" / "typeexamples.nmea")
    assert recs[0]["timestamp"] == datetime.fromtimestamp(1325394001, UTC)
    assert recs[0]["raw"].endswith(",1325394060,1325394001")  # metadata kept in the evidence


def test_default_now_is_the_wall_clock():
    before = datetime.now(UTC)
    (rec,) = decode_lines(lines("!AIVDM,1,1,,A,15MrVH0000KH<:V:NtBLoqFP2H9:,0*2F"))
    assert before <= rec["timestamp"] <= datetime.now(UTC)
    with pytest.raises(ValueError):
        decode_lines([], now=datetime(2020, 1, 1))  # naive: refused at once, not at first next()


# --- bad input ---------------------------------------------------------------------------

GOOD = "!AIVDM,1,1,,A,15MrVH0000KH<:V:NtBLoqFP2H9:,0*2F"


def test_bad_checksum_is_quarantined_not_decoded():
    corrupt = GOOD.replace("15MrVH", "15MrVI")
    out = decode_all(lines(GOOD, corrupt, GOOD.replace("*2F", "*2E"), GOOD))
    assert [type(x).__name__ for x in out] == ["dict", "Quarantine", "Quarantine", "dict"]
    assert [x.reason for x in out if isinstance(x, Quarantine)] == ["bad_checksum", "bad_checksum"]
    assert [_line_no(x) for x in out] == [1, 2, 3, 4]
    assert len(decode_all(lines(corrupt), verify_checksum=False)) == 1


def test_message_type_0_is_not_a_position():
    (q,) = decode_all(lines("!AIVDM,1,1,,A,05MrVH0000KH<:V:NtBLoqFP2H9:,0*2E"))
    assert (q.reason, q.detail) == ("decode_error", "UnknownMessageException: message type 0")


def test_mixed_junk_does_not_stop_decoding():
    recs, bad, s = run(DATA / "m0r13n-pyais" / "mixed.txt")
    assert {q.raw for q in bad if q.reason == "junk"} == {"foobar", "IamNotAnAisMessage1111"}
    assert s.skipped["other_nmea"] == 4 and s.skipped["comment"] == 5
    assert s.notes["tag_block_bad_checksum"] >= 1  # its c: is ignored, not trusted
    assert all(set(r) <= ALLOWED_KEYS for r in recs)


def test_pyais_raising_mid_stream_is_contained(monkeypatch):
    original = NMEASentenceFactory.produce.__func__

    def produce(cls, raw):
        if b"boom" in raw:
            raise RuntimeError("boom")
        return original(cls, raw)

    monkeypatch.setattr(NMEASentenceFactory, "produce", classmethod(produce))
    out = decode_all(lines(GOOD, "!AIVDM,1,1,,A,boom,0*00", GOOD))
    assert [getattr(x, "reason", "ok") for x in out] == ["ok", "stream_error", "ok"]
    assert [x["line_no"] for x in out if isinstance(x, dict)] == [1, 3]


VALID = [
    GOOD,
    "!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C",
    "!AIVDM,2,2,1,A,88888888880,2*25",
    "$PGHP,1,2008,5,9,0,0,0,10,338,2,,1,09*17",
    "\\s:rORBCOMM104,q:u,c:1418172113,T:2014-12-10 00.41.53*55\\!AIVDM,1,1,,B,13F?Vv700<DJuLEtvep`iToV0<00,0*78",
    "!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30,d-080,S2118,t050056.00,T56.4837741,r003669946,1325394060,1325394001",
    "!AIVDM,1,1,,B,,0*25",
]


def _line_no(item: dict | Quarantine) -> int:
    return item["line_no"] if isinstance(item, dict) else item.line_no


def _check_never_raises(raw_lines: list[bytes]) -> None:
    out = decode_all(raw_lines)
    for item in out:
        assert isinstance(item, dict | Quarantine)
        assert 1 <= _line_no(item) <= len(raw_lines)


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.binary(max_size=120), st.text(max_size=120).map(str.encode)), max_size=12))
def test_random_lines_never_raise(raw_lines):
    _check_never_raises(raw_lines)


@st.composite
def mutated(draw):
    out = []
    for sentence in draw(st.lists(st.sampled_from(VALID), min_size=1, max_size=8)):
        b = bytearray(sentence.encode())
        for _ in range(draw(st.integers(0, 3))):
            i = draw(st.integers(0, len(b)))
            op = draw(st.sampled_from(["flip", "insert", "delete", "cut"]))
            ch = draw(st.sampled_from(b",*!\\$0123456789ABw@`~\r\n\x00\xff"))
            if op == "flip" and i < len(b):
                b[i] = ch
            elif op == "insert":
                b.insert(i, ch)
            elif op == "delete" and i < len(b):
                del b[i]
            elif op == "cut":
                del b[i:]
        out.append(bytes(b) + draw(st.sampled_from([b"\n", b"\r\n", b""])))
    return out


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_sentences_never_raise(raw_lines):
    _check_never_raises(raw_lines)


# --- CLI ---------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_jsonl():
    result = runner.invoke(app, ["decode", "--jsonl", str(DATA / "dma-ais-aislib" / "stream_example.txt")])
    assert result.exit_code == 0, result.output
    objs = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(objs) == 4051
    for obj in objs:
        assert {"type", "repeat", "mmsi", "timestamp"} <= obj.keys() <= ALLOWED_KEYS
        assert obj["timestamp"].endswith(("Z", "+00:00"))
        datetime.fromisoformat(obj["timestamp"])
    pos = next(o for o in objs if o["type"] == 1)
    assert POSITION_KEYS <= pos.keys() and not pos.keys() & STATIC_KEYS
    static = next(o for o in objs if o["type"] == 5)
    assert {"shipname", "callsign", "imo", "destination"} <= static.keys() and "lat" not in static
    assert "decoded: 4051" in result.stderr and "1=2511" in result.stderr


def test_cli_exit_0_with_junk_and_summary_on_stderr():
    result = runner.invoke(
        app, ["decode", str(DATA / "m0r13n-pyais" / "mixed.txt"), str(DATA / "schwehr-libais" / "tagblock.nmea")]
    )
    assert result.exit_code == 0, result.output
    assert "junk=2" in result.stderr and "decoded: 16" in result.stderr and "5=3" in result.stderr
    assert "Messages by type" in result.stdout and "total" in result.stdout


def test_fragment_waiting_too_long_is_reported_in_stream(monkeypatch):
    import vessels.ais.sentences as sentences

    monkeypatch.setattr(sentences, "FRAGMENT_WINDOW", 3)
    first = "!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C"
    out = decode_all(lines(first, GOOD, GOOD, GOOD, GOOD, GOOD))
    assert [getattr(x, "reason", "ok") for x in out] == ["ok", "ok", "ok", "incomplete_multipart", "ok", "ok"]
    assert out[3].line_no == 1


def test_cli_exit_2_on_unreadable_file(tmp_path):
    result = runner.invoke(app, ["decode", str(DATA / "m0r13n-pyais" / "mixed.txt"), str(tmp_path / "nope.nmea")])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr and "nope.nmea" in result.stderr
    assert result.stdout == ""  # checked before any output


def test_cli_mounts_under_a_parent_app():
    parent = typer.Typer()
    parent.add_typer(app, name="ais")

    @parent.command()
    def other() -> None: ...

    result = runner.invoke(parent, ["ais", "decode", "--jsonl", str(DATA / "schwehr-libais" / "tagblock.nmea")])
    assert result.exit_code == 0, result.output
    assert [json.loads(x)["mmsi"] for x in result.stdout.splitlines()] == [224651000, 219005012, 224651000, 224651000]

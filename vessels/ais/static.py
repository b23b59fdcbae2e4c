"""AIS static and voyage data (types 5, 19, 24) into the vessel registry's ais_* columns.

AIS never overwrites registry-verified fields: it only writes the ais_* columns. An MMSI the
registry does not know becomes an "unregistered" vessel, so the evidence has a vessel to
point at, but only for ship-station MMSIs (first digit 2-7): 000000000, 123456789 and
base stations keep their positions but get no registry record.

Set-based (one statement per step per batch): per-MMSI statements cost more than the COPY.
The batch's latest record per MMSI goes in by COPY into a temporary table (psycopg writes COPY
rows in C; twelve parameter arrays cost ~14 ms of client CPU per 500 vessels), and the vessel
table keeps free room on its pages (fillfactor, migration 0012), so these updates of columns
no index covers stay on their page without touching the table's eight indexes (HOT).
"""

from __future__ import annotations

from maritime_hub.audit.service import Actor, record_many_with_cursor

AIS_ACTOR = Actor(user_id=None, username="ais-ingest")

# (record key, column, SQL type, max length)
FIELDS = [
    ("shipname", "ais_name", "varchar", 40),
    ("callsign", "ais_call_sign", "varchar", 10),
    ("imo", "ais_imo", "varchar", 10),
    ("shiptype", "ais_ship_type", "int", None),
    ("to_bow", "ais_to_bow", "int", None),
    ("to_stern", "ais_to_stern", "int", None),
    ("to_port", "ais_to_port", "int", None),
    ("to_starboard", "ais_to_starboard", "int", None),
    ("draught", "ais_draught", "numeric", None),
    ("destination", "ais_destination", "varchar", 40),
]
COLS = [c for _, c, _, _ in FIELDS]
STAGE = "ais_static_stage"
STAGE_DDL = (
    f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (mmsi varchar(9), ts timestamptz, "
    + ", ".join(f"{c} {t}" for _, c, t, _ in FIELDS)
    + ") ON COMMIT DELETE ROWS"
)

UPDATE = f"""
UPDATE vessel SET {", ".join(f"{c} = COALESCE(v.{c}, vessel.{c})" for c in COLS)},
       ais_last_seen = GREATEST(vessel.ais_last_seen, v.ts)
FROM {STAGE} v
WHERE vessel.mmsi = v.mmsi AND vessel.status = 'active'
  AND (vessel.ais_last_seen IS NULL OR vessel.ais_last_seen <= v.ts)
"""

CREATE = f"""
INSERT INTO vessel (mmsi, flag_state, vessel_type, distant_water, status, registered, ais_last_seen, {", ".join(COLS)},
                    created_at, updated_at)
SELECT v.mmsi, 'ZZ', 'other', false, 'active', false, v.ts, {", ".join(f"v.{c}" for c in COLS)}, now(), now()
FROM {STAGE} v
WHERE v.mmsi = ANY(%s::varchar[])
ON CONFLICT DO NOTHING
RETURNING id, mmsi, ais_name
"""


def ship_station(mmsi: int) -> bool:
    s = f"{mmsi:09d}"
    return len(s) == 9 and s[0] in "234567"


def _value(key: str, v, size: int | None):
    if v is None:
        return None
    if key == "imo":
        return str(v) if v else None  # IMO 0 means "not available"
    if key in ("shiptype", "to_bow", "to_stern", "to_port", "to_starboard"):
        return int(v)
    if isinstance(v, str) and size:
        return v[:size] or None
    return v


def _rows(latest: dict[int, dict]) -> list[tuple]:
    return [
        (f"{m:09d}", latest[m]["timestamp"], *(_value(key, latest[m].get(key), size) for key, _, _, size in FIELDS))
        for m in sorted(latest)
    ]


def merge_static(cur, latest: dict[int, dict]) -> int:
    """Apply the latest static record per MMSI; returns how many unregistered vessels were created."""
    rows = _rows(latest)
    cur.execute(STAGE_DDL)
    with cur.copy(f"COPY {STAGE} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    # Lock the rows in MMSI order first: concurrent ingest workers then never wait on each
    # other in opposite orders.
    cur.execute(
        f"SELECT mmsi FROM vessel WHERE mmsi IN (SELECT mmsi FROM {STAGE}) AND status = 'active' "
        "ORDER BY mmsi FOR UPDATE"
    )
    known = {r[0] for r in cur.fetchall()}
    cur.execute(UPDATE)
    missing = [r[0] for r in rows if r[0] not in known and ship_station(int(r[0]))]
    if not missing:
        return 0
    cur.execute(CREATE, [missing])
    created = cur.fetchall()
    if created:
        # Registry records were created: they go in the audit trail like any other.
        record_many_with_cursor(
            cur,
            AIS_ACTOR,
            "vessel.create_from_ais",
            "vessel",
            [(vid, {"mmsi": mmsi, "ais_name": name, "registered": False}) for vid, mmsi, name in created],
        )
    return len(created)

"""AIS static and voyage data (types 5, 19, 24) into the vessel registry's ais_* columns.

AIS never overwrites registry-verified fields: it only writes the ais_* columns. An MMSI the
registry does not know becomes an "unregistered" vessel, so the evidence has a vessel to
point at, but only for ship-station MMSIs (first digit 2-7): 000000000, 123456789 and
base stations keep their positions but get no registry record.

Set-based (one statement per step per batch): per-MMSI statements cost more than the COPY.
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
UNNEST = ("unnest(%s::varchar[], %s::timestamptz[], " + ", ".join(f"%s::{t}[]" for _, _, t, _ in FIELDS)
          + ") AS v(mmsi, ts, " + ", ".join(COLS) + ")")

UPDATE = f"""
UPDATE vessel SET {", ".join(f"{c} = COALESCE(v.{c}, vessel.{c})" for c in COLS)},
       ais_last_seen = GREATEST(vessel.ais_last_seen, v.ts)
FROM {UNNEST}
WHERE vessel.mmsi = v.mmsi AND vessel.status = 'active'
  AND (vessel.ais_last_seen IS NULL OR vessel.ais_last_seen <= v.ts)
"""

CREATE = f"""
INSERT INTO vessel (mmsi, flag_state, vessel_type, distant_water, status, registered, ais_last_seen, {", ".join(COLS)},
                    created_at, updated_at)
SELECT v.mmsi, 'ZZ', 'other', false, 'active', false, v.ts, {", ".join(f"v.{c}" for c in COLS)}, now(), now()
FROM {UNNEST}
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


def _columns(latest: dict[int, dict]) -> list[list]:
    mmsis = sorted(latest)
    cols: list[list] = [[f"{m:09d}" for m in mmsis], [latest[m]["timestamp"] for m in mmsis]]
    for key, _, _, size in FIELDS:
        cols.append([_value(key, latest[m].get(key), size) for m in mmsis])
    return cols


def merge_static(cur, latest: dict[int, dict]) -> int:
    """Apply the latest static record per MMSI; returns how many unregistered vessels were created."""
    cols = _columns(latest)
    # Lock the rows in MMSI order first: concurrent ingest workers then never wait on each
    # other in opposite orders.
    cur.execute("SELECT mmsi FROM vessel WHERE mmsi = ANY(%s) AND status = 'active' ORDER BY mmsi FOR UPDATE", (cols[0],))
    known = {r[0] for r in cur.fetchall()}
    cur.execute(UPDATE, cols)
    missing = [m for m in cols[0] if m not in known and ship_station(int(m))]
    if not missing:
        return 0
    cur.execute(CREATE, [*cols, missing])
    created = cur.fetchall()
    if created:
        # Registry records were created: they go in the audit trail like any other.
        record_many_with_cursor(cur, AIS_ACTOR, "vessel.create_from_ais", "vessel",
                                [(vid, {"mmsi": mmsi, "ais_name": name, "registered": False}) for vid, mmsi, name in created])
    return len(created)

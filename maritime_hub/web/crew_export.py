"""The expiring-certificates list as CSV: UTF-8 with a BOM (so Excel reads the Chinese), headers and
labels in the reader's language, one line per certificate."""

from __future__ import annotations

import csv
import io

from maritime_hub.web import i18n
from maritime_hub.web.i18n import N_
from maritime_hub.web.labels import LABELS

BOM = "\ufeff"
HEADERS = (
    N_("Crew member"),
    N_("Latin-script name"),
    N_("Nationality"),
    N_("Certificate"),
    N_("Number"),
    N_("Issuer"),
    N_("Issued"),
    N_("Expires"),
    N_("Status"),
    N_("Days left"),
    N_("Aboard today"),
    N_("Embarked"),
)


def expiring_table(rows: list, vessels: dict[int, str], locale: str) -> bytes:
    token = i18n.current_locale.set(locale)
    try:
        label = lambda v: i18n.gettext(LABELS[v]) if v in LABELS else v  # noqa: E731
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow([i18n.gettext(h) for h in HEADERS])
        for r in rows:
            c, p, b = r.certificate, r.person, r.boarding
            w.writerow(
                [
                    p.name,
                    p.name_latin or "",
                    p.nationality,
                    label(c.cert_type.value),
                    c.number or "",
                    c.issuer or "",
                    c.issue_date or "",
                    c.expiry_date or "",
                    label(c.status),
                    r.days_left,
                    vessels.get(b.vessel_id, "") if b else "",
                    b.embark_date if b else "",
                ]
            )
        return (BOM + buf.getvalue()).encode("utf-8")
    finally:
        i18n.current_locale.reset(token)

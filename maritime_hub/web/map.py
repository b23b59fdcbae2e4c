"""The live map page (Leaflet from npm, offline base map from world-atlas)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request

from maritime_hub.auth.dependencies import require
from maritime_hub.auth.roles import REGISTRY_READ
from maritime_hub.auth.service import Principal
from maritime_hub.web.render import render

router = APIRouter(include_in_schema=False)


# The track form's fields are China Standard Time, as `datetime-local` values (map.js).
CST = timezone(timedelta(hours=8))
FORM_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def track_link(mmsi: str | int, last: datetime) -> str:
    """The map showing a vessel's track for the day up to its last position, however long ago."""

    def form(d: datetime) -> str:
        return d.astimezone(CST).strftime("%Y-%m-%dT%H:%M")

    return "/map?" + urlencode(
        {"mmsi": mmsi, "start": form(last - timedelta(hours=24)), "end": form(last + timedelta(minutes=1))}
    )


@router.get("/map")
def live_map(
    request: Request,
    _: Annotated[Principal, Depends(require(*REGISTRY_READ))],
    mmsi: int | None = None,
    start: str | None = None,
    end: str | None = None,
):
    # A window in another shape is left out: the form then shows its default (the last 24 h).
    window = {k: v for k, v in (("start", start), ("end", end)) if v and FORM_TIME.fullmatch(v)}
    return render(request, "map.html", {"mmsi": mmsi, **window})

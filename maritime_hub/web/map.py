"""The live map page (Leaflet from npm, offline base map from world-atlas)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from maritime_hub.auth.dependencies import require
from maritime_hub.auth.roles import REGISTRY_READ
from maritime_hub.auth.service import Principal
from maritime_hub.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/map")
def live_map(request: Request, _: Annotated[Principal, Depends(require(*REGISTRY_READ))], mmsi: int | None = None):
    return render(request, "map.html", {"mmsi": mmsi})

"""Includes every domain's API router (composition root)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy import text

from crew.endpoints import router as crew_router
from maritime_hub.audit.endpoints import router as audit_router
from maritime_hub.auth.dependencies import public
from maritime_hub.auth.endpoints import router as auth_router
from maritime_hub.config import get_settings
from maritime_hub.jobs.health import worker_status
from maritime_hub.notify.endpoints import router as notify_router
from maritime_hub.orgs.endpoints import router as orgs_router
from mediation.cases.endpoints import router as cases_router
from mediation.dispatch.endpoints import router as dispatch_router
from mediation.followup.endpoints import router as followup_router
from mediation.stats.endpoints import router as stats_router
from vessels.ais.endpoints import router as ais_router
from vessels.endpoints import router as vessels_router

api_router = APIRouter()


@api_router.get("/health", tags=["health"], dependencies=[Depends(public)])
def health(request: Request):
    """200 with the database status and the background worker's last heartbeat (``worker.status``:
    ok, stale past ``MH_WORKER__STALE_SECONDS``, or absent); 503 when the database is unreachable."""
    from fastapi.responses import JSONResponse

    try:
        with request.app.state.engine.connect() as conn:
            postgis = conn.execute(text("SELECT postgis_lib_version()")).scalar()
            server = conn.execute(text("SHOW server_version")).scalar()
            worker = worker_status(conn, get_settings().worker.stale_seconds)
        return {
            "status": "ok",
            "database": {"status": "ok", "postgresql": server, "postgis": postgis},
            "worker": worker,
        }
    except Exception as exc:  # noqa: BLE001 - health reports any database failure
        return JSONResponse(
            {"status": "degraded", "database": {"status": "unavailable", "error": type(exc).__name__}}, status_code=503
        )


api_router.include_router(auth_router)
api_router.include_router(orgs_router)
api_router.include_router(audit_router)
api_router.include_router(notify_router)
api_router.include_router(vessels_router)
api_router.include_router(crew_router)
api_router.include_router(ais_router)
api_router.include_router(cases_router)
api_router.include_router(dispatch_router)
api_router.include_router(followup_router)
api_router.include_router(stats_router)

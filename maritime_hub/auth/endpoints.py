"""API authentication endpoints (the browser login lives in maritime_hub.web)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from maritime_hub.auth import schemas, service
from maritime_hub.auth.dependencies import CurrentUser, authenticated, public, require
from maritime_hub.auth.models import User
from maritime_hub.auth.roles import ADMIN
from maritime_hub.auth.service import Principal
from maritime_hub.db.deps import DbSession

router = APIRouter(tags=["auth"])


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/auth/token", response_model=schemas.TokenCreated, dependencies=[Depends(public)])
def login_for_token(body: schemas.LoginRequest, request: Request, session: DbSession):
    """Exchange a username and password for a new API token (shown once). Rate-limited."""
    user = service.authenticate(session, body.username, body.password, client_of(request), request.state.request_id)
    if user is None:
        return JSONResponse({"code": "not_authenticated", "message": "wrong username or password"}, status_code=401)
    actor = service.principal_for(user, via="password", request_id=request.state.request_id)
    raw = service.create_token(session, actor, user, name="api-login")
    return schemas.TokenCreated(token=raw, prefix=raw[:10])


@router.get("/me", response_model=schemas.User)
def me(principal: CurrentUser, session: DbSession):
    """The signed-in user."""

    return session.get(User, principal.user_id)


@router.post("/users", response_model=schemas.User, status_code=201)
def create_user(
    body: schemas.UserCreate, session: DbSession, principal: Annotated[Principal, Depends(require(*ADMIN))]
):
    """Create a user (admin only)."""
    return service.create_user(session, principal, body)


__all__ = ["router", "authenticated"]

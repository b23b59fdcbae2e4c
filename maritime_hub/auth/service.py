"""Authentication rules: users, tokens, web sessions, login rate limiting.

Services flush but never commit: the caller owns the transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from maritime_hub.audit.service import Actor, snapshot
from maritime_hub.audit.service import record as audit_record
from maritime_hub.auth.models import ApiToken, LoginAttempt, Role, User, WebSession
from maritime_hub.auth.passwords import hash_password, needs_rehash, verify_password
from maritime_hub.auth.schemas import UserCreate
from maritime_hub.config import get_settings
from maritime_hub.errors import DuplicateIdentifier, NotFound, TooManyRequests, ValidationFailed
from maritime_hub.messages import N_
from maritime_hub.orgs.models import Organisation

TOKEN_PREFIX = "mh_"


@dataclass(frozen=True)
class Principal(Actor):
    roles: frozenset[str] = field(default_factory=frozenset)
    display_name: str = ""
    locale: str = "zh_CN"
    via: str = "session"  # session | token
    csrf_token: str | None = None

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def principal_for(user: User, *, via: str, request_id: str | None, csrf_token: str | None = None) -> Principal:
    return Principal(
        user_id=user.id,
        username=user.username,
        organisation_id=user.organisation_id,
        request_id=request_id,
        roles=frozenset(user.roles),
        display_name=user.display_name,
        locale=user.locale,
        via=via,
        csrf_token=csrf_token,
    )


# -- users -------------------------------------------------------------------
def create_user(session: Session, actor: Actor, data: UserCreate) -> User:
    if session.scalar(select(User.id).where(func.lower(User.username) == data.username.lower())):
        raise DuplicateIdentifier(
            N_("username '{username}' is already taken"), username=data.username, field="username"
        )
    if data.organisation_id is not None and session.get(Organisation, data.organisation_id) is None:
        raise ValidationFailed(
            N_("organisation {org_id} does not exist"), org_id=data.organisation_id, field="organisation_id"
        )
    user = User(
        username=data.username,
        display_name=data.display_name or data.username,
        password_hash=hash_password(data.password),
        organisation_id=data.organisation_id,
        roles=sorted({r.value for r in data.roles}),
        locale=data.locale,
        email=data.email,
        phone=data.phone,
        active=True,
    )
    session.add(user)
    session.flush()
    audit_record(session, actor, "user.create", "user", user.id, after=snapshot(user))
    return user


def get_user_by_name(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None:
        raise NotFound(N_("user '{username}' not found"), username=username, field="username")
    return user


def set_password(session: Session, actor: Actor, user: User, password: str) -> None:
    if len(password) < 8:
        raise ValidationFailed(N_("password must have at least 8 characters"), field="password")
    user.password_hash = hash_password(password)
    session.flush()
    audit_record(session, actor, "user.set_password", "user", user.id)


# -- API tokens ----------------------------------------------------------------
def create_token(session: Session, actor: Actor, user: User, name: str = "cli") -> str:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    tok = ApiToken(user_id=user.id, name=name, token_sha256=sha256(raw), prefix=raw[:10])
    session.add(tok)
    session.flush()
    audit_record(
        session,
        actor,
        "token.create",
        "api_token",
        tok.id,
        after={"user_id": user.id, "name": name, "prefix": tok.prefix},
    )
    return raw


def user_for_token(session: Session, raw: str) -> User | None:
    # One query for token and user: it runs on every API request.
    row = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_sha256 == sha256(raw), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    tok, user = row
    if not user.active:
        return None
    touch_token(session, tok)
    return user


# How stale `last_used_at` may be: it tells an admin which tokens are in use, not an audit trail.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


def touch_token(session: Session, tok: ApiToken) -> None:
    """Record that a token was used, at most once a minute and never waiting on a lock.

    Parallel requests with one token all wanted the row lock of this UPDATE, each waiting for
    the other's transaction to end: SKIP LOCKED lets a request whose neighbour is already
    writing the time go on without writing it."""
    if tok.last_used_at is not None and tok.last_used_at > datetime.now(UTC) - TOKEN_TOUCH_INTERVAL:
        return
    lockable = select(ApiToken.id).where(ApiToken.id == tok.id).with_for_update(skip_locked=True)
    session.execute(
        update(ApiToken).where(ApiToken.id.in_(lockable)).values(last_used_at=func.now()),
        execution_options={"synchronize_session": False},
    )


# -- login and web sessions ---------------------------------------------------------
def _too_many() -> TooManyRequests:
    minutes = get_settings().auth.login_window_minutes
    return TooManyRequests(
        N_("too many failed logins; try again in {minutes} minutes"),
        minutes=minutes,
        details={"retry_after_minutes": minutes},
    )


def check_rate_limit(session: Session, username: str, client: str) -> None:
    """Refuse a login attempt (429) before the password is checked (docs/security.md).

    Locked: this username from this address after `login_max_failures`; this username from
    anywhere after `login_max_failures_per_account`, and anyone from this address after
    `login_max_failures_per_client`, except for an account that signed in from this address
    within `login_known_days` (so one person's typos or a sprayer on a ship's shared NAT do not
    lock out the crew who sign in there every day)."""
    cfg = get_settings().auth
    now = datetime.now(UTC)
    since = now - timedelta(minutes=cfg.login_window_minutes)
    name = func.lower(LoginAttempt.username) == username.lower()
    here = LoginAttempt.client == client
    failed = (
        select(func.count()).select_from(LoginAttempt).where(LoginAttempt.at >= since, LoginAttempt.success.is_(False))
    )
    if (session.scalar(failed.where(name, here)) or 0) >= cfg.login_max_failures:
        raise _too_many()
    account = session.scalar(failed.where(name)) or 0
    address = session.scalar(failed.where(here)) or 0
    if account < cfg.login_max_failures_per_account and address < cfg.login_max_failures_per_client:
        return
    known = session.scalar(
        select(LoginAttempt.id)
        .where(
            name, here, LoginAttempt.success.is_(True), LoginAttempt.at >= now - timedelta(days=cfg.login_known_days)
        )
        .limit(1)
    )
    if known is None:
        raise _too_many()


def authenticate(session: Session, username: str, password: str, client: str, request_id: str | None) -> User | None:
    """Check a password. Records the attempt (and an audit event); returns None when wrong.

    Returns instead of raising on a wrong password so the caller's transaction commits
    the failed attempt, which the rate limit counts.
    """
    check_rate_limit(session, username, client)
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    ok = verify_password(user.password_hash if user else None, password) and user is not None and user.active
    session.add(LoginAttempt(username=username[:80], client=client[:64], success=ok))
    actor = Actor(user.id if user else None, username[:80], user.organisation_id if user else None, request_id)
    audit_record(
        session,
        actor,
        "login.success" if ok else "login.failure",
        "user",
        user.id if user else None,
        after={"client": client},
    )
    if not ok:
        session.flush()
        return None
    assert user is not None
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.flush()
    return user


def open_session(session: Session, user: User) -> tuple[str, WebSession]:
    raw = secrets.token_urlsafe(32)
    ws = WebSession(
        id_sha256=sha256(raw),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(24),
        expires_at=datetime.now(UTC) + timedelta(hours=get_settings().auth.session_hours),
    )
    session.add(ws)
    session.flush()
    return raw, ws


def session_user(session: Session, raw: str) -> tuple[User, WebSession] | None:
    # One query for session and user: it runs on every page.
    row = session.execute(
        select(WebSession, User).join(User, User.id == WebSession.user_id).where(WebSession.id_sha256 == sha256(raw))
    ).first()
    if row is None:
        return None
    ws, user = row
    if ws.expires_at <= datetime.now(UTC) or not user.active:
        return None
    return user, ws


def close_session(session: Session, raw: str) -> None:
    ws = session.get(WebSession, sha256(raw))
    if ws is not None:
        session.delete(ws)
        session.flush()


ALL_ROLES = tuple(r.value for r in Role)

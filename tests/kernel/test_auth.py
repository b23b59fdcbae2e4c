"""Passwords (argon2), tokens (SHA-256 only), web sessions with CSRF, login rate limiting."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from maritime_hub.auth.models import ApiToken, User


def test_passwords_are_argon2_and_tokens_stored_as_sha256(client, db, login):
    who = login("mediator")
    user = db.get(User, who.user_id)
    assert user.password_hash.startswith("$argon2id$")
    stored = db.scalars(select(ApiToken.token_sha256).where(ApiToken.user_id == who.user_id)).all()
    assert stored == [hashlib.sha256(who.token.encode()).hexdigest()]
    assert who.token not in stored


def test_password_exchange_for_token(client, login):
    who = login("court_clerk", password="clerk-password-1")
    r = client.post("/api/v1/auth/token", json={"username": who.username, "password": "clerk-password-1"})
    assert r.status_code == 200
    token = r.json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["roles"] == ["court_clerk"]


def test_wrong_password_is_401_and_rate_limited_after_five(client, login):
    who = login("coordinator", password="right-password-1")
    for _ in range(5):
        r = client.post("/api/v1/auth/token", json={"username": who.username, "password": "wrong"})
        assert r.status_code == 401
    r = client.post("/api/v1/auth/token", json={"username": who.username, "password": "right-password-1"})
    assert r.status_code == 429
    assert "15 minutes" in r.json()["message"]


def test_unknown_user_gets_the_same_401(client):
    r = client.post("/api/v1/auth/token", json={"username": "ghost", "password": "whatever"})
    assert r.status_code == 401 and r.json()["message"] == "wrong username or password"


def _web_login(client, username, password):
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf, "next": "/vessels"},
        follow_redirects=False,
    )


def test_browser_login_sets_a_session_cookie_and_csrf_guards_writes(client, login):
    who = login("coordinator", password="coordinator-pw-1")
    r = _web_login(client, who.username, "coordinator-pw-1")
    assert r.status_code == 303 and r.headers["location"] == "/vessels"
    assert "mh_session" in client.cookies
    page = client.get("/vessels/new")
    assert page.status_code == 200
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    # Without the token: refused, nothing written.
    r = client.post("/vessels/new", data={"name_zh": "浙普渔33333"}, follow_redirects=False)
    assert r.status_code == 403
    r = client.post(
        "/vessels/new",
        data={
            "name_zh": "浙普渔33333",
            "csrf_token": csrf,
            "vessel_type": "trawler",
            "flag_state": "CN",
            "status": "active",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/vessels/")
    # Header form, as HTMX sends it.
    r = client.post("/api/v1/crew", json={"name": "李四"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201


def test_login_form_without_its_csrf_cookie_is_refused(client, login):
    who = login("coordinator", password="coordinator-pw-1")
    r = client.post(
        "/login",
        data={"username": who.username, "password": "coordinator-pw-1", "csrf_token": "forged"},
        follow_redirects=False,
    )
    assert r.status_code == 403


def test_wrong_password_in_browser_shows_a_message(client, login):
    who = login("coordinator", password="coordinator-pw-1")
    r = _web_login(client, who.username, "nope")
    assert r.status_code == 401 and "用户名或密码错误" in r.text


def test_login_redirect_never_leaves_the_site(client, login):
    who = login("mediator", password="mediator-pw-123")
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = client.post(
        "/login",
        data={"username": who.username, "password": "mediator-pw-123", "csrf_token": csrf, "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/"


def test_logout_ends_the_session(client, login):
    who = login("mediator", password="mediator-pw-123")
    _web_login(client, who.username, "mediator-pw-123")
    page = client.get("/")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    raw = client.cookies["mh_session"]
    client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    client.cookies.set("mh_session", raw)
    r = client.get("/vessels", headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_pages_redirect_to_login_and_forbid_wrong_roles(client, login):
    r = client.get("/vessels", headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303
    who = login("party", password="party-password-1")
    _web_login(client, who.username, "party-password-1")
    r = client.get("/vessels", headers={"accept": "text/html"})
    assert r.status_code == 403 and "无权访问" in r.text


def test_users_create_validates(client, login):
    admin = login("admin")
    r = client.post("/api/v1/users", json={"username": "x y", "password": "short", "roles": []}, headers=admin.headers)
    assert r.status_code == 422
    r = client.post(
        "/api/v1/users",
        json={"username": "newclerk", "password": "long-enough-1", "roles": ["pirate"]},
        headers=admin.headers,
    )
    assert r.status_code == 422 and r.json()["field"].startswith("roles")
    ok = client.post(
        "/api/v1/users",
        json={"username": "newclerk", "password": "long-enough-1", "roles": ["court_clerk"]},
        headers=admin.headers,
    )
    assert ok.status_code == 201
    dup = client.post(
        "/api/v1/users",
        json={"username": "NewClerk", "password": "long-enough-1", "roles": ["court_clerk"]},
        headers=admin.headers,
    )
    assert dup.status_code == 409
    assert dup.json()["code"] == "duplicate_identifier"


def test_writes_are_committed_before_the_response_is_sent(scratch_db):
    """A client that acts on a response at once (a browser following the login redirect)
    must find the write committed: at the moment the response starts, another connection
    already sees the new row."""
    import asyncio
    import json

    import psycopg
    from sqlalchemy import create_engine

    from maritime_hub.app import create_app
    from tests.conftest import run_mh

    run_mh(
        "users",
        "create",
        "--username",
        "fast",
        "--role",
        "coordinator",
        "--password-stdin",
        url=scratch_db,
        stdin="fast-password-1\n",
    )
    libpq = scratch_db.replace("postgresql+psycopg://", "postgresql://")
    engine = create_engine(scratch_db)
    app = create_app(engine)
    seen: list[int] = []
    body = json.dumps({"username": "fast", "password": "fast-password-1"}).encode()

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            with psycopg.connect(libpq) as conn:
                seen.append(conn.execute("SELECT count(*) FROM api_token").fetchone()[0])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/auth/token",
        "raw_path": b"/api/v1/auth/token",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"host", b"test")],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
    }
    try:
        asyncio.run(app(scope, receive, send))
    finally:
        engine.dispose()
    assert seen == [1]


def test_one_persons_typos_do_not_lock_out_the_office(client, login):
    a = login("coordinator", password="right-password-a")
    b = login("mediator", password="right-password-b")
    for _ in range(5):
        assert client.post("/api/v1/auth/token", json={"username": a.username, "password": "typo"}).status_code == 401
    locked = client.post("/api/v1/auth/token", json={"username": a.username, "password": "right-password-a"})
    assert locked.status_code == 429 and locked.headers["retry-after"] == "900"
    # A colleague behind the same address still signs in.
    assert (
        client.post("/api/v1/auth/token", json={"username": b.username, "password": "right-password-b"}).status_code
        == 200
    )


def test_a_password_sprayer_is_stopped_per_address(client, login):
    victim = login("judge", password="right-password-j")
    for i in range(30):
        client.post("/api/v1/auth/token", json={"username": f"guess{i}", "password": "123456"})
    assert (
        client.post(
            "/api/v1/auth/token", json={"username": victim.username, "password": "right-password-j"}
        ).status_code
        == 429
    )


def test_a_refusal_names_the_roles_in_the_readers_language(client, login):
    party = login("party")
    zh = client.get("/api/v1/ais/quarantine", headers={**party.headers, "Accept-Language": "zh-CN"})
    assert zh.status_code == 403
    assert "书记员" in zh.json()["message"] and "court_clerk" not in zh.json()["message"]
    en = client.get("/api/v1/ais/quarantine", headers=party.headers)
    assert "court_clerk" in en.json()["message"]  # API clients keep the codes they send

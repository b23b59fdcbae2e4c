"""The login rate limit: which address counts (trusted proxies only), and what is locked (account
and address pairs, accounts, sprayed addresses), so a shared NAT is not locked out by its neighbours."""

from __future__ import annotations

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select

from maritime_hub.auth.models import LoginAttempt
from maritime_hub.cli import uvicorn_options
from maritime_hub.config import Settings

TOKEN = "/api/v1/auth/token"


def served(app, peer: str, trusted: str = "") -> TestClient:
    """The app as `mh serve` runs it (uvicorn's proxy-header middleware with our options),
    reached from `peer`."""
    config = uvicorn.Config(app, log_config=None, **uvicorn_options(Settings(trusted_proxies=trusted)))
    config.load()
    return TestClient(config.loaded_app, client=(peer, 40000))


def post(c: TestClient, username: str, password: str, forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return c.post(TOKEN, json={"username": username, "password": password}, headers=headers)


def addresses(db, username: str) -> list[str]:
    return list(
        db.scalars(select(LoginAttempt.client).where(LoginAttempt.username == username).order_by(LoginAttempt.id))
    )


def test_mh_serve_trusts_no_proxy_by_default():
    options = uvicorn_options(Settings())
    assert options["proxy_headers"] is False
    # The other options `mh serve` had stay.
    assert options["ws_per_message_deflate"] is False and options["timeout_graceful_shutdown"] == 5


def test_x_forwarded_for_from_an_untrusted_peer_does_not_change_the_address(app, db, login):
    a = login("coordinator", password="right-password-a")
    c = served(app, "127.0.0.1")  # uvicorn's default would trust this peer
    for i in range(5):
        assert post(c, a.username, "typo", forwarded=f"203.0.113.{i}").status_code == 401
    assert post(c, a.username, "right-password-a", forwarded="203.0.113.99").status_code == 429
    assert addresses(db, a.username) == ["127.0.0.1"] * 5
    # A proxy is configured, but this peer is not it.
    b = login("mediator", password="right-password-b")
    other = served(app, "10.9.9.9", trusted="127.0.0.1")
    post(other, b.username, "typo", forwarded="203.0.113.7")
    assert addresses(db, b.username) == ["10.9.9.9"]


def test_x_forwarded_for_from_a_trusted_proxy_is_the_client_address(app, db, login):
    a = login("coordinator", password="right-password-a")
    proxy = served(app, "172.30.0.1", trusted="172.30.0.1")
    for i in range(5):
        assert post(proxy, a.username, "typo", forwarded=f"203.0.113.{i}").status_code == 401
    assert addresses(db, a.username) == [f"203.0.113.{i}" for i in range(5)]
    # Five addresses with one failure each: none of them is locked for this account.
    assert post(proxy, a.username, "right-password-a", forwarded="203.0.113.1").status_code == 200
    # The proxy appends the peer it saw: only the last hop is believed, not what the client wrote.
    b = login("mediator", password="right-password-b")
    post(proxy, b.username, "typo", forwarded="1.2.3.4, 198.51.100.8")
    assert addresses(db, b.username) == ["198.51.100.8"]


def test_account_a_is_locked_after_the_limit_but_b_signs_in_from_the_same_address(app, login):
    a = login("coordinator", password="right-password-a")
    b = login("mediator", password="right-password-b")
    ship = served(app, "10.20.0.1")
    for _ in range(5):
        assert post(ship, a.username, "typo").status_code == 401
    assert post(ship, a.username, "right-password-a").status_code == 429
    assert post(ship, a.username, "typo").status_code == 429
    assert post(ship, b.username, "right-password-b").status_code == 200


def test_neighbours_failures_on_a_shared_nat_do_not_lock_out_its_regular_users(app, login):
    """A ship behind one address: 40 failures by other accounts (or a sprayer) lock the address
    for accounts never seen there, not for the crew who sign in from it."""
    regular = login("mediator", password="right-password-r")
    newcomer = login("judge", password="right-password-n")
    ship = served(app, "10.20.0.2")
    assert post(ship, regular.username, "right-password-r").status_code == 200  # signed in here before
    for i in range(40):
        post(ship, f"neighbour{i}", "typo")
    assert post(ship, regular.username, "right-password-r").status_code == 200
    assert post(ship, newcomer.username, "right-password-n").status_code == 429
    # The regular user's own typos still lock them (the per account and address limit).
    for _ in range(5):
        assert post(ship, regular.username, "typo").status_code == 401
    assert post(ship, regular.username, "right-password-r").status_code == 429


def test_an_account_guessed_from_many_addresses_is_locked_except_where_its_owner_signs_in(app, login):
    a = login("coordinator", password="right-password-a")
    assert post(served(app, "10.30.0.1"), a.username, "right-password-a").status_code == 200
    for n in range(4):
        attacker = served(app, f"198.51.100.{n}")
        for _ in range(5):
            assert post(attacker, a.username, "guess").status_code == 401
    # 20 failures in all: a fresh address gets 429 even with the right password ...
    assert post(served(app, "198.51.100.200"), a.username, "right-password-a").status_code == 429
    # ... the owner's usual address does not.
    assert post(served(app, "10.30.0.1"), a.username, "right-password-a").status_code == 200


@pytest.mark.parametrize("trusted", ["127.0.0.1", "10.0.0.0/8,127.0.0.1"])
def test_mh_serve_passes_trusted_proxies_to_uvicorn(trusted):
    options = uvicorn_options(Settings(trusted_proxies=trusted))
    assert options["proxy_headers"] is True and options["forwarded_allow_ips"] == trusted


def test_the_per_account_lookups_have_their_index(db):
    """The limit matches accounts by lower(username): the planner can use an index for it
    (migration 0014), not a scan of every login attempt ever made."""
    from sqlalchemy import text

    names = set(db.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename = 'login_attempt'")))
    assert "ix_login_attempt_lower_username_at" in names
    db.execute(text("SET LOCAL enable_seqscan = off"))  # a test table is small: ask whether the index can serve
    plan = "\n".join(
        db.scalars(
            text(
                "EXPLAIN SELECT 1 FROM login_attempt WHERE lower(username) = 'admin' "
                "AND at >= now() - interval '15 minutes'"
            )
        )
    )
    assert "ix_login_attempt_lower_username_at" in plan, plan

"""A live server on a committed database with demo data, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"


class LiveServer(str):
    """The base URL, carrying the database URL the server uses."""

    def __new__(cls, base: str, db_url: str):
        obj = super().__new__(cls, base)
        obj.db_url = db_url
        return obj


@pytest.fixture(scope="module")
def live_server(cluster, demo_template):
    import uuid

    import uvicorn
    from sqlalchemy import create_engine

    from maritime_hub.app import create_app
    from tests.conftest import copy_database, drop_database

    name = f"mh_browser_{uuid.uuid4().hex[:6]}"
    url = copy_database(cluster, demo_template.name, name)
    engine = create_engine(url)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # As `mh serve` runs it: no permessage-deflate (the hub compresses live frames itself).
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(engine), host="127.0.0.1", port=port, log_level="warning", ws_per_message_deflate=False
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", url)
    server.should_exit = True
    thread.join(10)
    engine.dispose()
    drop_database(cluster, name)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make setup`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    ctx.close()
    assert errors == [], f"JavaScript errors: {errors}"


def sign_in(page, base: str, username: str, password: str = "demo-pass-2026") -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

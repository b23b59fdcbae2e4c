"""With the database down, a browser gets the error page (503) and an API client the JSON error
shape; neither needs the database to render."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def down_client():
    from maritime_hub.app import create_app

    # A socket folder where no server listens: every connection is refused at once.
    engine = create_engine(f"postgresql+psycopg://postgres@/maritime_hub?host={ROOT / 'var' / 'no-such-cluster'}")
    yield TestClient(create_app(engine), raise_server_exceptions=False)  # no lifespan: nothing else connects
    engine.dispose()


BROWSER = {"Accept": "text/html,application/xhtml+xml", "Authorization": "Bearer not-checked-the-db-is-down"}


@pytest.mark.parametrize("path", ["/vessels", "/crew", "/cases", "/"])
def test_pages_show_an_html_error_page(down_client, path):
    r = down_client.get(path, headers=BROWSER | {"Accept-Language": "en"})
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("text/html")
    assert "Temporarily unavailable" in r.text and "the database is not reachable" in r.text
    assert r.headers["Retry-After"]


def test_pages_in_chinese(down_client):
    r = down_client.get("/vessels", headers=BROWSER | {"Accept-Language": "zh-CN"})
    assert r.status_code == 503 and "<html" in r.text and "暂时无法服务" in r.text


def test_api_keeps_the_json_error_shape(down_client):
    r = down_client.get("/api/v1/vessels", headers={"Authorization": "Bearer x", "Accept": "text/html"})
    assert r.status_code == 503
    assert r.json()["code"] == "database_unavailable"


def test_health_says_degraded(down_client):
    r = down_client.get("/api/v1/health")
    assert r.status_code == 503 and r.json()["database"]["status"] == "unavailable"

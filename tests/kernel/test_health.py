def test_health_reports_database_and_postgis(client):
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["postgis"].startswith("3.")


def test_openapi_is_served(client):
    r = client.get("/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert "/api/v1/vessels" in paths and "/api/v1/crew" in paths


def _beat(engine, seconds_ago: float) -> None:
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text("DELETE FROM procrastinate_workers"))
        conn.execute(
            text("INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - make_interval(secs => :s))"),
            {"s": seconds_ago},
        )


def test_health_and_the_admin_home_show_the_workers_heartbeat(scratch_db):
    """No worker, a fresh heartbeat, a stale one (past MH_WORKER__STALE_SECONDS, 60 s)."""
    from fastapi.testclient import TestClient
    from sqlalchemy import create_engine

    from maritime_hub.app import create_app
    from maritime_hub.audit.service import SYSTEM
    from maritime_hub.auth.schemas import UserCreate
    from maritime_hub.auth.service import create_token, create_user
    from maritime_hub.db.session import transaction

    engine = create_engine(scratch_db)
    with transaction(engine) as s:
        admin = create_token(
            s,
            SYSTEM,
            create_user(
                s, SYSTEM, UserCreate(username="beat_admin", password="correct-horse-battery", roles=["admin"])
            ),
        )
    page = {"Authorization": f"Bearer {admin}", "Accept": "text/html"}  # the admin reads zh_CN
    client = TestClient(create_app(engine))
    try:
        worker = client.get("/api/v1/health").json()["worker"]
        assert worker["status"] == "absent" and worker["last_heartbeat"] is None
        assert "未运行：没有心跳" in client.get("/", headers=page).text

        _beat(engine, 3)
        r = client.get("/api/v1/health")
        assert r.status_code == 200 and r.json()["worker"]["status"] == "ok"
        assert 2 <= r.json()["worker"]["age_seconds"] < 30 and r.json()["worker"]["last_heartbeat"]
        assert "运行中：最近一次心跳" in client.get("/", headers=page).text

        _beat(engine, 600)
        worker = client.get("/api/v1/health").json()["worker"]
        assert worker["status"] == "stale" and worker["age_seconds"] >= 600
        assert "无响应：最近一次心跳在 600 秒前" in client.get("/", headers=page).text
    finally:
        engine.dispose()

"""All configuration, read from environment variables with the prefix ``MH_``.

Nested sections use a double underscore: ``MH_AUTH__LOGIN_MAX_FAILURES=5``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class AuthSettings(BaseModel):
    session_hours: int = 12
    # Failed logins in the window before 429 (docs/security.md "Login rate limit"):
    # - one username from one client address: that pair is locked;
    # - one username from all addresses together: locked except from an address the account
    #   has signed in from within `login_known_days` (a distributed guesser is stopped, the
    #   crew on their usual ship's NAT are not);
    # - one client address across all usernames (a password sprayer): locked for accounts that
    #   have not signed in from that address within `login_known_days`; a shared address (a
    #   ship, a bureau behind one NAT) is not locked out by its neighbours' typos.
    login_max_failures: int = 5
    login_max_failures_per_account: int = 20
    login_max_failures_per_client: int = 30
    login_known_days: int = 30
    login_window_minutes: int = 15
    cookie_secure: bool = False


class NotifySettings(BaseModel):
    # Delivery channels, comma-separated: inapp (the notification table), email_log, sms_log
    # (log-only email and SMS: a python log line and a notification_delivery row).
    channels: str = "inapp,email_log,sms_log"

    @property
    def channel_names(self) -> list[str]:
        return [c.strip() for c in self.channels.split(",") if c.strip()]


class ReminderSettings(BaseModel):
    # 接诉即办 / 定时催办 / 超时督办 are local practice (domain.md §2 [U]): the timers are configuration.
    acknowledgement_hours: float = 24  # 接诉即办: acknowledge a registered complaint within
    lead_days: int = 3  # 定时催办: remind this many working days before a day-counted deadline
    lead_hours: float = 6  # ... and this many hours before an hour-counted SLA


class ServerSettings(BaseModel):
    """How much one web process does at once (docs/deployment.md "Concurrency").

    Each request holds at most one database connection, from its first query to its end, and
    hops between the event loop and the thread pool. So that no thread ever waits for a
    connection held by a request that is itself waiting for a thread, at most
    `max_concurrent_requests` requests are inside the app at once (the rest wait on the event
    loop, which keeps answering health checks), the pool has a connection for each of them and
    `db_max_overflow` spare for health, websockets and the live map, and the thread pool has
    room for all of them plus file serving."""

    max_concurrent_requests: int = Field(default=16, ge=1)
    db_pool_size: int = Field(default=16, ge=1)
    db_max_overflow: int = Field(default=8, ge=0)
    threads: int = Field(default=32, ge=1)
    # A request still waiting for its turn after this long gets 503 with Retry-After.
    queue_timeout_seconds: float = 15.0
    # SIGTERM: open connections (live-map websockets) get this long before they are closed.
    shutdown_timeout_seconds: int = 5
    # A query or pool checkout on the event-loop thread: "log" it, "raise" (tests), or "off".
    loop_guard: str = "log"


class WorkerSettings(BaseModel):
    # `mh worker` updates its heartbeat this often; /api/v1/health calls it stale past stale_seconds.
    heartbeat_seconds: float = 10
    stale_seconds: float = 60


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MH_", env_nested_delimiter="__", extra="ignore")

    # When empty, the CLI and the app use the embedded cluster in ``var_dir/pg``.
    database_url: str = ""
    var_dir: Path = Field(default=PROJECT_ROOT / "var")
    files_dir: Path | None = None  # uploaded files; default var_dir/files
    default_locale: str = "zh_CN"
    timezone: str = "Asia/Shanghai"
    demo: bool = False  # demo mode: the login page lists the demo accounts
    # Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (MH_TRUSTED_PROXIES):
    # comma-separated addresses or networks ("172.30.0.1", "10.0.0.0/8"). Empty (the default):
    # none, the peer address is the client's, whatever headers it sends. "*" trusts every peer
    # (only when the app is unreachable except through the proxy).
    trusted_proxies: str = ""
    auth: AuthSettings = AuthSettings()
    notify: NotifySettings = NotifySettings()
    reminder: ReminderSettings = ReminderSettings()
    server: ServerSettings = ServerSettings()
    worker: WorkerSettings = WorkerSettings()

    @property
    def pg_root(self) -> Path:
        return self.var_dir / "pg"

    @property
    def storage_dir(self) -> Path:
        return self.files_dir or (self.var_dir / "files")


@lru_cache
def get_settings() -> Settings:
    return Settings()

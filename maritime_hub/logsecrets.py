"""Keep secrets out of the logs: a filter on uvicorn's and the app's loggers that rewrites
`token=`/`ticket=` query values and anything shaped like an API token (`mh_` + 43 characters)
before a record is formatted (docs/security.md "Logs").

uvicorn's access log passes the path with its query string as an argument of the record
(`'%s - "%s %s HTTP/%s" %d'`) and its websocket lines the same through "uvicorn.error", so the
arguments are redacted one by one and keep their types (uvicorn's AccessFormatter unpacks them)."""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
_QUERY = re.compile(r"(?i)([?&;](?:token|access_token|ticket|api_key|password)=)[^&\s\"']*")
_TOKEN = re.compile(r"\bmh_[A-Za-z0-9_-]{40,}")
LOGGERS = ("uvicorn.access", "uvicorn.error", "uvicorn", "maritime_hub")


def redact(text: str) -> str:
    return _TOKEN.sub("mh_" + REDACTED, _QUERY.sub(r"\1" + REDACTED, text))


def _clean(value):
    return redact(value) if isinstance(value, str) else value


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_clean(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _clean(v) for k, v in record.args.items()}
        return True


def install() -> None:
    """Idempotent: one filter per logger, however often an app is created."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())

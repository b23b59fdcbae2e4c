"""No secret reaches the log: API tokens in a websocket URL or a query string are redacted in
uvicorn's access and websocket lines, as a real uvicorn server writes them."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time

import pytest

from maritime_hub.logsecrets import redact

TOKEN = "mh_" + "Ab3_-x" * 7 + "Q"  # the shape of a real token: mh_ + 43 URL-safe characters


def test_redact_keeps_the_rest_of_the_line():
    line = f'1.2.3.4:5 - "GET /ws/ais?bbox=1,2,3,4&token={TOKEN}&encoding=deflate HTTP/1.1" 101'
    assert redact(line) == '1.2.3.4:5 - "GET /ws/ais?bbox=1,2,3,4&token=[redacted]&encoding=deflate HTTP/1.1" 101'
    assert redact(f"Authorization: Bearer {TOKEN}") == "Authorization: Bearer mh_[redacted]"
    assert redact("/login?next=/cases&ticket=abc") == "/login?next=/cases&ticket=[redacted]"
    assert redact("mh_session cookie, mh_test_gw0") == "mh_session cookie, mh_test_gw0"


class Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def server(engine):
    import uvicorn
    from uvicorn.logging import AccessFormatter

    from maritime_hub.app import create_app

    app = create_app(engine)  # installs the filter, as in each `mh serve` worker
    captured = Lines()
    captured.setFormatter(AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False))
    errors = Lines()
    loggers = {"uvicorn.access": captured, "uvicorn.error": errors}
    for name, handler in loggers.items():
        logging.getLogger(name).addHandler(handler)
        logging.getLogger(name).setLevel(logging.INFO)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, ws_per_message_deflate=False)
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield port, captured.lines, errors.lines
    srv.should_exit = True
    thread.join(10)
    for name, handler in loggers.items():
        logging.getLogger(name).removeHandler(handler)


def test_tokens_in_urls_never_reach_uvicorns_log(server):
    import urllib.error
    import urllib.request

    import websockets

    port, access, ws_lines = server
    with pytest.raises(urllib.error.HTTPError):  # 404
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/nothing?token={TOKEN}")

    async def refused():
        async with websockets.connect(f"ws://127.0.0.1:{port}/ws/ais?bbox=0,0,1,1&token={TOKEN}") as ws:
            try:
                await ws.recv()
            except websockets.ConnectionClosed as e:
                return e.rcvd.code, e.rcvd.reason

    code, reason = asyncio.run(refused())
    assert code == 4401 and "first message" in reason
    time.sleep(0.2)
    logged = "\n".join(access + ws_lines)
    assert "/api/v1/nothing?token=[redacted]" in logged and "/ws/ais?bbox=0,0,1,1&token=[redacted]" in logged
    assert TOKEN not in logged and TOKEN[3:20] not in logged

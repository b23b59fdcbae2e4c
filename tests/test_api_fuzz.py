"""schemathesis over /openapi.json against `mh serve` on a copy of the demo data (issue:
reliability §2): no operation answers a server error, and each answers only with the status codes
and content types its OpenAPI states.

`make test` runs a bounded pass (a fixed seed, a few examples per operation) as an admin and as a
party; `make test-fuzz` runs the whole API with more examples (MH_FUZZ_EXAMPLES, MH_FUZZ_SEED).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, WORKER, copy_database, drop_database, run_mh

EXAMPLES = int(os.environ.get("MH_FUZZ_EXAMPLES", "3"))
SEED = os.environ.get("MH_FUZZ_SEED", "20261203")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance"
ST = str(Path(sys.executable).parent / "st")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(cluster, demo_template, tmp_path_factory):
    name = f"mh_fuzz_{WORKER or 'main'}"
    url = copy_database(cluster, demo_template.name, name)
    tokens = {}
    for user in ("admin", "party"):
        out = run_mh("tokens", "create", "--username", user, url=url)
        assert out.returncode == 0, out.stderr
        tokens[user] = re.search(r"mh_[A-Za-z0-9_-]+", out.stdout).group(0)
    port = _free_port()
    log = tmp_path_factory.mktemp("fuzz") / "server.log"
    env = {
        **os.environ,
        "MH_DATABASE_URL": url,
        "MH_SERVER__LOOP_GUARD": "raise",
        "MH_VAR_DIR": str(tmp_path_factory.mktemp("fuzz-var")),
    }
    with open(log, "w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "maritime_hub.cli", "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/v1/health", timeout=2)
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.3)
        yield base, tokens, log
    finally:
        proc.terminate()
        proc.wait(15)
        drop_database(cluster, name)


@pytest.mark.parametrize("user", ["admin", "party"])
def test_no_operation_answers_a_server_error_or_an_undocumented_status(server, user):
    base, tokens, log = server
    out = subprocess.run(
        [
            ST,
            "--no-color",
            "run",
            f"{base}/openapi.json",
            "--header",
            f"Authorization: Bearer {tokens[user]}",
            "--checks",
            CHECKS,
            "--max-examples",
            str(EXAMPLES),
            "--seed",
            SEED,
            "--workers",
            "1",
            "--phases",
            "examples,coverage,fuzzing",
            "--generation-deterministic",
            "--request-timeout",
            "30",
            "--warnings",
            "off",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    server_log = log.read_text()
    assert out.returncode == 0, out.stdout[-12000:] + "\n--- server log ---\n" + server_log[-6000:]
    # The server itself logged no unexpected error and no blocked event loop.
    assert "unexpected error on" not in server_log and "event loop" not in server_log, server_log[-6000:]

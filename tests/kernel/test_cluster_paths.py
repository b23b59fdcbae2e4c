"""`make run` as root runs PostgreSQL as the postgres user: a folder on the way to var/ that it
cannot enter stops the start with one clear line naming the folder and the fix, before initdb."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from maritime_hub.db.cluster import Cluster
from maritime_hub.errors import ClusterError


@pytest.mark.skipif(os.geteuid() != 0, reason="the postgres user's access is checked when running as root")
def test_a_folder_postgres_cannot_enter_is_named():
    base = Path(tempfile.mkdtemp(prefix="mh", dir="/tmp"))  # short: the socket path has a limit of its own
    closed = base / "home"
    closed.mkdir(mode=0o700)
    os.chmod(closed, 0o700)  # umask-proof
    os.chmod(base, 0o755)
    cluster = Cluster(root=closed / "project" / "var" / "pg")
    with pytest.raises(ClusterError) as err:
        cluster.up()
    message = str(err.value)
    assert str(closed) in message and "chmod o+x" in message and "MH_VAR_DIR" in message
    assert not (closed / "project").exists()  # refused before anything was created
    shutil.rmtree(base)


def test_a_socket_path_too_long_is_named(tmp_path):
    cluster = Cluster(root=tmp_path / ("x" * 120) / "pg")
    with pytest.raises(ClusterError, match="MH_VAR_DIR"):
        cluster.up()

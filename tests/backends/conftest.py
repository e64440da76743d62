"""The real engines of the backend tests, each opened once per session.

PostgreSQL: the cluster named by ``SCHEMAKIT_TEST_PG`` (a libpq connection
string, exported by ``.ci/setup.d/20-postgres.sh``); when it is unset, the
fixture creates a throwaway cluster itself (as the ``postgres`` user when run
as root, since initdb refuses root) and stops it at the end. When neither
works the tests fail: they never skip. A watchdog process stops a cluster the
fixture started when the test process is gone, even if it was killed before
its teardown.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="session")
def pg_dsn() -> Iterator[str]:
    dsn = os.environ.get("SCHEMAKIT_TEST_PG")
    if dsn:
        yield dsn
        return
    if not (PG_BIN / "initdb").exists():
        pytest.fail("PostgreSQL 15 is not installed and SCHEMAKIT_TEST_PG is unset (see .ci/setup.d/20-postgres.sh)")
    root = Path(tempfile.mkdtemp(prefix="schemakit-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    data = root / "data"
    subprocess.run(
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-E", "UTF8", "--locale=C.UTF-8", "-A", "trust"]),
        check=True,
        capture_output=True,
    )
    options = f"-c listen_addresses='' -c unix_socket_directories='{root}' -c fsync=off"
    subprocess.run(
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-l", str(root / "log"), "-o", options, "start"]),
        check=True,
        capture_output=True,
    )
    # a session killed before its teardown (a timeout's SIGTERM) must not leave the server running:
    # a watchdog stops it once this process is gone
    stop = " ".join(
        shlex.quote(a) for a in _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
    )
    watchdog = (
        f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 2; done; "
        f"{stop} >/dev/null 2>&1; rm -rf {shlex.quote(str(root))}"
    )
    subprocess.Popen(
        ["sh", "-c", watchdog], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield f"host={root} dbname=postgres user=postgres"
    finally:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]), capture_output=True
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg(pg_dsn: str) -> Iterator[Any]:
    import psycopg

    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="session")
def sqlite_conn() -> Iterator[sqlite3.Connection]:
    from schemakit.backends import register_sqlite

    conn = register_sqlite(sqlite3.connect(":memory:"))
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def duck() -> Iterator[Any]:
    import duckdb

    conn = duckdb.connect()
    yield conn
    conn.close()

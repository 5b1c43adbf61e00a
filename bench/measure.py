"""Measurements over HTTP against the running app server: wrk runs, single requests, search latency, open-data
downloads with the workers' memory."""

from __future__ import annotations

import http.client
import os
import re
import statistics
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from bench.harness import AppServer

CONNECTIONS = 16
THREADS = 2
WRK_TIMEOUT_S = 2  # wrk's default, stated: a request slower than this counts as a timeout
PASSWORD = "eccar-demo-2026"  # create_demo_users
COORDINATOR = "dresden-lead"
# Seconds a single request may take. The app server's SQL is cut off sooner (bench/run --statement-timeout), and a
# download of the full measures streams well within this.
TIMEOUT = 120


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    logged_in: bool = False
    # The anonymous public pages the goals speak of (every one cached, cold under 100 ms, p99 under 100 ms).
    public: bool = True


PAGES: tuple[Page, ...] = (
    Page("home", "/de/"),
    Page("directory", "/de/members/"),
    Page("directory, filtered (DE, city, member)", "/de/members/?country=DE&kind=city&status=member"),
    Page("directory search ?q=Schule", "/de/members/?q=Schule"),
    Page("member page, Dresden", "/de/members/dresden/"),
    Page("member page, demo member", "/de/members/demo-stadt-0001/"),
    Page("embedded plan, Dresden", "/de/members/dresden/embed/"),
    Page("embedded plan, demo member", "/en/members/demo-stadt-0001/embed/"),
    Page("embed height (size.json), demo member", "/en/members/demo-stadt-0001/embed/size.json"),
    Page("similar members, demo member", "/de/members/demo-stadt-0001/similar/"),
    Page("compare 4 members", "/de/compare/?members=dresden&members=duesseldorf&members=demo-stadt-0001&members=demo-stadt-0002"),
    Page("compare, pick ?q=Demo", "/de/compare/?members=dresden&q=Demo"),
    Page("commitments", "/de/commitments/"),
    Page("commitment 3 (library)", "/de/commitments/3/"),
    Page("commitment 3 search ?q=Bildung", "/de/commitments/3/?q=Bildung"),
    Page("statistics", "/de/statistics/"),
    Page("reports list", "/de/reports/"),
    Page("working groups", "/de/working-groups/"),
    Page("networks", "/de/networks/"),
    Page("open-data page", "/de/open-data/"),
    Page("/sitemap.xml", "/sitemap.xml"),
    Page("sitemap, members section", "/sitemap-members.xml"),
    Page("sitemap, measures section", "/sitemap-measures.xml"),
    Page("reports feed", "/feeds/de/reports/"),
    Page("members feed", "/feeds/de/members/"),
    Page("member news feed, Dresden", "/feeds/de/members/dresden/"),
    Page("coordinator dashboard", "/de/dashboard/", logged_in=True, public=False),
    Page("plan editor", "/de/dashboard/dresden/plan/", logged_in=True, public=False),
)

# German and English words, typos and prefixes, as people type them.
SEARCH_QUERIES: tuple[str, ...] = (
    "Schule", "Schulen", "Dresden", "Heilbron", "Heilbronn", "Düsseldorf", "Duesseldorf", "Demo-Stadt 0042",
    "Beratung", "Fortbildung", "Wohnung", "Rassismus", "racism", "housing", "training", "school", "Sport",
    "Vielf", "monitor", "Beschwerdestelle",
)
SEARCH_PATHS: dict[str, str] = {"directory": "/de/members/?q={}", "commitment library": "/de/commitments/3/?q={}"}

OPEN_DATA: tuple[str, ...] = (
    "/open-data/measures.csv", "/open-data/measures.json", "/open-data/v2/indicators.csv", "/open-data/v2/indicator-values.csv",
)


def invalidate() -> None:
    """Make the next request of every page cold: called before each "first request" and the search round.

    It moves the public generation (core/public_cache.py) as a committed write would, so that every cached page
    is out of date. It runs in bench/run (os.environ["DATABASE_URL"] is the benchmark's database) and in
    bench/inprocess (Django is set up there, with the same DATABASE_URL).
    """
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("SELECT nextval('core_public_generation')")


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx_3xx: int = 0
    socket_errors: dict[str, int] = field(default_factory=dict)
    # True: the figure is a lower bound (wrk's timeout), because too many requests timed out.
    p50_at_least: bool = False
    p99_at_least: bool = False

    @property
    def errors(self) -> int:
        return self.non_2xx_3xx + sum(self.socket_errors.values())


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> WrkResult:
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    socket_errors = dict(zip(("connect", "read", "write", "timeout"), map(int, errors.groups()), strict=True)) if errors else {}
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    # wrk leaves requests it gave up on (after WRK_TIMEOUT_S) out of its latency distribution; when they are more
    # than the share above a percentile, that percentile is at least the timeout, not the (lower) figure wrk prints.
    timed_out = socket_errors.get("timeout", 0) / max(1, requests)  # wrk counts them among its requests

    def latency(percent: int) -> tuple[float, bool]:
        if timed_out > 1 - percent / 100:
            return WRK_TIMEOUT_S * 1000.0, True
        return _ms(re.search(rf"^\s+{percent}%\s+(\S+)", output, re.M).group(1)), False

    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    (p50, p50_at_least), (p99, p99_at_least) = latency(50), latency(99)
    return WrkResult(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=p50,
        p99_ms=p99,
        requests=requests,
        non_2xx_3xx=int(non_ok.group(1)) if non_ok else 0,
        socket_errors=socket_errors,
        p50_at_least=p50_at_least,
        p99_at_least=p99_at_least,
    )


def run_wrk(wrk: str, url: str, *, duration: float, headers: dict[str, str]) -> WrkResult:
    command = [wrk, "-c", str(CONNECTIONS), "-t", str(THREADS), "-d", f"{duration:g}s", "--timeout", f"{WRK_TIMEOUT_S}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    result = subprocess.run([*command, url], capture_output=True, text=True, timeout=duration + 60, check=True)
    return parse_wrk(result.stdout)


class Client:
    """Sequential requests over one keep-alive connection, timed to the last byte of the body."""

    def __init__(self, base: str, headers: dict[str, str] | None = None):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.headers = headers or {}
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)

    def get(self, path: str, *, chunk: Callable[[bytes], None] | None = None) -> tuple[int, float, int, http.client.HTTPResponse]:
        """(status, milliseconds, body bytes, response)."""
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers=self.headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            self.connection.close()  # the server closed the kept-alive connection: one retry on a new one
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
            started = time.perf_counter()
            self.connection.request("GET", path, headers=self.headers)
            response = self.connection.getresponse()
        size = 0
        while block := response.read(1 << 16):
            size += len(block)
            if chunk:
                chunk(block)
        return response.status, (time.perf_counter() - started) * 1000, size, response

    def close(self) -> None:
        self.connection.close()


class BrowserSession:
    """One visitor with cookies, for the login form (new connection per request, as simple as possible)."""

    def __init__(self, base: str):
        parts = urllib.parse.urlsplit(base)
        self.base, self.host, self.port = base, parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
        headers = {**(headers or {}), **({"Cookie": self.cookie_header} if self.cookies else {})}
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text


def login(base: str) -> str:
    """Log in as the demo lead coordinator through the real form; returns the Cookie header of that session."""
    session = BrowserSession(base)
    path = "/de/accounts/login/"
    status, page = session.request("GET", path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not token:
        raise RuntimeError(f"the login page answered HTTP {status} without a CSRF token")
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), "username": COORDINATOR, "password": PASSWORD})
    form_headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": base + path, "Origin": base}
    status, _ = session.request("POST", path, body, form_headers)
    if status != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"logging in as {COORDINATOR} failed (HTTP {status})")
    return session.cookie_header


@dataclass
class SingleRequests:
    status: int
    first_ms: float  # the median of `repeat` requests, each the first right after an invalidation
    median_ms: float  # the median of `repeat` sequential requests after that (served from the cache)


def single_requests(base: str, path: str, headers: dict[str, str], repeat: int = 5) -> SingleRequests:
    """One request alone, cold and warm. A warm-up request first: on its kept-alive connection the same worker
    then answers, with its templates compiled, so "cold" measures the page's own work after an invalidation, not
    a worker that gunicorn has just recycled."""
    client = Client(base, headers)
    try:
        client.get(path)
        cold = []
        for _ in range(repeat):
            invalidate()
            status, elapsed, _, _ = client.get(path)
            cold.append(elapsed)
        times = [client.get(path)[1] for _ in range(repeat)]
    finally:
        client.close()
    return SingleRequests(status, statistics.median(cold), statistics.median(times))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


@dataclass
class SearchResult:
    name: str
    median_ms: float
    p95_ms: float
    times_ms: dict[str, float]
    failed: dict[str, int]


def search_latency(base: str) -> list[SearchResult]:
    results = []
    for name, template in SEARCH_PATHS.items():
        client = Client(base)
        invalidate()
        times: dict[str, float] = {}
        failed: dict[str, int] = {}  # query: HTTP status other than 200
        try:
            for query in SEARCH_QUERIES:
                status, ms, _, _ = client.get(template.format(urllib.parse.quote(query)))
                times[query] = ms
                if status != 200:
                    failed[query] = status
        finally:
            client.close()
        results.append(SearchResult(name, statistics.median(times.values()), percentile(list(times.values()), 0.95), times, failed))
    return results


def _rss_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in KiB, 0 when it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0, 0
    values = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", text, re.M))
    return int(values.get("VmRSS", 0)), int(values.get("VmHWM", 0))


class RssSampler(threading.Thread):
    """Polls the gunicorn workers' resident memory while a download runs."""

    def __init__(self, server: AppServer, interval: float = 0.05):
        super().__init__(daemon=True)
        self.server, self.interval = server, interval
        self.baseline_kib = max((_rss_kib(pid)[0] for pid in server.worker_pids()), default=0)
        self.peak_kib = self.baseline_kib
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            for pid in self.server.worker_pids():
                self.peak_kib = max(self.peak_kib, _rss_kib(pid)[0])
            time.sleep(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


@dataclass
class Download:
    path: str
    status: int
    seconds: float
    megabytes: float
    mb_per_second: float
    worker_rss_before_mb: float
    worker_rss_peak_mb: float

    @property
    def rss_growth_mb(self) -> float:
        return self.worker_rss_peak_mb - self.worker_rss_before_mb


def download(server: AppServer, path: str) -> Download:
    client = Client(server.base)
    sampler = RssSampler(server)
    sampler.start()
    try:
        status, ms, size, _ = client.get(path)
    finally:
        sampler.stop()
        client.close()
    megabytes = size / 1_000_000
    return Download(
        path, status, ms / 1000, megabytes, megabytes / (ms / 1000) if ms else 0.0,
        sampler.baseline_kib / 1024, sampler.peak_kib / 1024,
    )



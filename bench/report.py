"""The benchmark's results: the goals of the coalition-scale work checked, the table for the terminal and the
README (markdown), and the machine-readable JSON."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# The goals, at 10,000 members x 50 measures and 16 connections.
GOAL_MEMBERS = 10_000
GOAL_MEASURES_PER_MEMBER = 50
MIN_RATIO = 0.5  # of /healthz req/s
MAX_P99_MS = 100.0
MAX_COLD_MS = 100.0
MAX_SEARCH_MEDIAN_MS = 50.0
MIN_CSV_MB_PER_S = 30.0
# "Flat memory": a download streams, so a worker grows by far less than the file. A worker that buffers a 100 MB
# file grows by hundreds of MB; the allowance covers the interpreter's own arenas and the ORM's chunks.
MAX_RSS_GROWTH_MB = 32.0


@dataclass
class Goal:
    name: str
    passed: bool
    shortfalls: list[str]


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def check_goals(results: dict[str, Any]) -> list[Goal]:
    pages = results["pages"]
    public = [p for p in pages if p["public"]]
    coordinator = [p for p in pages if p["logged_in"]]

    def load_shortfalls(subject: list[dict], *, ratio: bool) -> list[str]:
        found = []
        for p in subject:
            problems = []
            if ratio and p["ratio"] < MIN_RATIO:
                problems.append(f"{p['ratio']:.3f} x /healthz (needs {MIN_RATIO})")
            if p["wrk"]["p99_ms"] >= MAX_P99_MS:
                at_least = "≥ " if p["wrk"]["p99_at_least"] else ""
                problems.append(f"p99 {at_least}{p['wrk']['p99_ms']:.0f} ms (over by {at_least}{p['wrk']['p99_ms'] - MAX_P99_MS:.0f} ms)")
            errors = p["wrk"]["non_2xx_3xx"] + sum(p["wrk"]["socket_errors"].values())
            if errors:
                problems.append(f"{errors} errors/timeouts")
            if problems:
                found.append(f"{p['label']}: " + ", ".join(problems))
        return found

    cold = [
        f"{p['label']}: {p['first_ms']:.0f} ms (over by {p['first_ms'] - MAX_COLD_MS:.0f} ms)"
        for p in public
        if p["first_ms"] >= MAX_COLD_MS
    ]
    search = [
        f"{s['name']}: median {s['median_ms']:.0f} ms (over by {s['median_ms'] - MAX_SEARCH_MEDIAN_MS:.0f} ms)"
        for s in results["search"]
        if s["median_ms"] >= MAX_SEARCH_MEDIAN_MS
    ] + [f"{s['name']}: {len(s['failed'])} queries failed ({s['failed']})" for s in results["search"] if s["failed"]]
    # The speed goal is about the big measures file; a few MB of indicators are over before the rate means much.
    csv = [d for d in results["open_data"] if d["path"].endswith("/measures.csv")]
    speed = [f"{d['path']}: {d['mb_per_second']:.1f} MB/s (needs {MIN_CSV_MB_PER_S:.0f})" for d in csv if d["mb_per_second"] < MIN_CSV_MB_PER_S]
    memory = [
        f"{d['path']}: worker grew by {d['worker_rss_peak_mb'] - d['worker_rss_before_mb']:.0f} MB (allowed {MAX_RSS_GROWTH_MB:.0f})"
        for d in results["open_data"]
        if d["worker_rss_peak_mb"] - d["worker_rss_before_mb"] >= MAX_RSS_GROWTH_MB
    ]
    goals = [
        (f"anonymous public pages: >= {MIN_RATIO} x /healthz req/s and p99 < {MAX_P99_MS:.0f} ms", load_shortfalls(public, ratio=True)),
        (f"anonymous public pages cold (median of 5 requests, each right after an invalidation) < {MAX_COLD_MS:.0f} ms", cold),
        (f"search median < {MAX_SEARCH_MEDIAN_MS:.0f} ms", search),
        (f"coordinator pages: p99 < {MAX_P99_MS:.0f} ms", load_shortfalls(coordinator, ratio=False)),
        (f"open data: measures CSV >= {MIN_CSV_MB_PER_S:.0f} MB/s", speed),
        (f"open data: flat memory (worker RSS grows < {MAX_RSS_GROWTH_MB:.0f} MB)", memory),
    ]
    return [Goal(name, not shortfalls, shortfalls) for name, shortfalls in goals]


def _page_rows(results: dict[str, Any]) -> list[list[str]]:
    rows = [["page", "req/s", "p50 ms", "p99 ms", "ratio", "cold ms", "alone ms", "queries"]]
    healthz = results["healthz"]
    rows.append(["/healthz (mean of start and end)", _fmt(healthz["mean_rps"], 0), _fmt(healthz["p50_ms"], 2), _fmt(healthz["p99_ms"], 2), "1", "–", "–", "0"])
    for p in results["pages"]:
        label = p["label"] + (" (logged in)" if p["logged_in"] else "") + ("" if p["status"] == 200 else f" [HTTP {p['status']}]")
        errors = p["wrk"]["non_2xx_3xx"] + sum(p["wrk"]["socket_errors"].values())
        rps = _fmt(p["wrk"]["requests_per_second"]) + (f" ({errors} err)" if errors else "")
        queries = "–" if p.get("queries_cold") is None else f"{p['queries_cold']} / {p['queries_warm']}"
        p50 = ("≥ " if p["wrk"]["p50_at_least"] else "") + _fmt(p["wrk"]["p50_ms"])
        p99 = ("≥ " if p["wrk"]["p99_at_least"] else "") + _fmt(p["wrk"]["p99_ms"])
        rows.append([label, rps, p50, p99, f"{p['ratio']:.3f}", _fmt(p["first_ms"]), _fmt(p["alone_ms"]), queries])
    return rows


def _search_rows(results: dict[str, Any]) -> list[list[str]]:
    return [["search", "median ms", "p95 ms", "queries", "failed"]] + [
        [s["name"], _fmt(s["median_ms"]), _fmt(s["p95_ms"]), str(len(s["times_ms"])), str(len(s["failed"]))] for s in results["search"]
    ]


def _download_rows(results: dict[str, Any]) -> list[list[str]]:
    return [["download", "HTTP", "seconds", "MB", "MB/s", "worker RSS before MB", "worker RSS peak MB"]] + [
        [d["path"], str(d["status"]), _fmt(d["seconds"], 2), _fmt(d["megabytes"]), _fmt(d["mb_per_second"]),
         _fmt(d["worker_rss_before_mb"], 0), _fmt(d["worker_rss_peak_mb"], 0)]
        for d in results["open_data"]
    ]


def _text_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _markdown_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join("---" if i == 0 else "--:" for i in range(len(rows[0]))) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def _header(results: dict[str, Any]) -> list[str]:
    m = results["meta"]
    return [
        f"Run {m['started']} on commit {m['commit']}: {m['members']:,} members ({m['demo_members']:,} demo), "
        f"{m['measures']:,} measures; gunicorn {m['workers']} workers x {m['threads']} threads, cache {m['cache_url']}; "
        f"wrk {m['connections']} connections, {m['wrk_threads']} threads, {m['duration']:g} s per page; "
        f"SQL statements cancelled after {m['statement_timeout']:g} s; "
        f"load average before the run {m['load_average']}.",
        f"/healthz: {results['healthz']['start']['requests_per_second']:,.0f} req/s at the start, "
        f"{results['healthz']['end']['requests_per_second']:,.0f} at the end.",
        "Columns: ratio = req/s / /healthz req/s; cold = median of 5 single requests, each right after an invalidation (after a warm-up on the same connection); "
        "alone = median of 5 sequential requests after those (from the cache); queries = SQL queries cold / warm (Django test client).",
    ]


def _short_sql(sql: str, limit: int = 400) -> str:
    # A long column list says nothing about the plan; FROM … WHERE … does. The list ends at the first FROM outside
    # parentheses (a subquery in the list has FROMs of its own).
    depth = 0
    for match in re.finditer(r"[()]|\bFROM\b", sql):
        token = match.group()
        depth += {"(": 1, ")": -1}.get(token, 0)
        if token == "FROM" and depth == 0:
            if match.start() > 120:
                distinct = "DISTINCT " if sql.startswith("SELECT DISTINCT ") else ""
                sql = f"SELECT {distinct}… {sql[match.start():]}"
            break
    return sql if len(sql) <= limit else sql[:limit] + " …"


def _plans_lines(results: dict[str, Any]) -> list[str]:
    lines = []
    for page in results["queries"]:
        if not page["plans"]:
            continue
        lines.append(f"{page['label']} ({page['cold']} queries cold, the slowest {len(page['plans'])}):")
        for plan in page["plans"]:
            lines.append(f"  - {plan['ms_in_page']:.1f} ms in the page; EXPLAIN ANALYZE: execution {plan['execution_ms']:.1f} ms, planning {plan['planning_ms']:.1f} ms")
            lines.append(f"    SQL: {_short_sql(plan['sql'])}")
            if plan["error"]:
                lines.append(f"    {plan['error']}; the plan:")
            lines += [f"      {node}" for node in plan["nodes"]]
            if plan["big_seq_scans"]:
                lines.append(f"    sequential scans over many rows: {', '.join(plan['big_seq_scans'])}")
    return lines


def _goal_lines(results: dict[str, Any]) -> list[str]:
    meta = results["meta"]
    lines = []
    if meta["demo_members"] < GOAL_MEMBERS or meta["measures"] < GOAL_MEMBERS * GOAL_MEASURES_PER_MEMBER:
        lines.append(f"(The goals are set for {GOAL_MEMBERS:,} x {GOAL_MEASURES_PER_MEMBER}; this run is smaller.)")
    for goal in results["goals"]:
        lines.append(f"{'PASS' if goal['passed'] else 'FAIL'}  {goal['name']}")
        lines += [f"        {shortfall}" for shortfall in goal["shortfalls"]]
    return lines


def as_text(results: dict[str, Any]) -> str:
    sections = [
        "\n".join(_header(results)),
        _text_table(_page_rows(results)),
        _text_table(_search_rows(results)),
        _text_table(_download_rows(results)),
        "Query plans\n\n" + "\n".join(_plans_lines(results)),
        "Goals\n\n" + "\n".join(_goal_lines(results)),
    ]
    return "\n\n".join(sections) + "\n"


def as_markdown(results: dict[str, Any]) -> str:
    sections = [
        "# Benchmark: last run",
        "\n".join(_header(results)),
        "## Pages\n\n" + _markdown_table(_page_rows(results)),
        "## Search\n\n" + _markdown_table(_search_rows(results)),
        "## Open data\n\n" + _markdown_table(_download_rows(results)),
        "## Goals\n\n```\n" + "\n".join(_goal_lines(results)) + "\n```",
        "## Query plans\n\n```\n" + "\n".join(_plans_lines(results)) + "\n```",
    ]
    return "\n\n".join(sections) + "\n"

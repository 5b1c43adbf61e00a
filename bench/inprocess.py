"""SQL per page, in a process of its own against the benchmark's database: `python -m bench.inprocess OUT.json`.

Each page goes through Django's test Client once cold (right after bench.measure.invalidate()) and once warm, with
the queries captured; the slowest queries of the pages that matter are then run again under EXPLAIN ANALYZE. The
SQL is whatever the code runs today, so the plans stay right when the code changes.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

# The pages whose plans are printed: those that did the heavy counting and searching at coalition scale.
EXPLAINED = (
    "home",
    "statistics",
    "directory search ?q=Schule",
    "commitment 3 (library)",
    "member page, demo member",
    "similar members, demo member",
    "compare 4 members",
    "sitemap, members section",
)
SLOWEST = 3
# Any other page whose slowest query takes this long gets its plans printed too.
SLOW_QUERY_MS = 100.0
PLAN_NODES = 8


@dataclass
class QueryPlan:
    ms_in_page: float
    sql: str
    execution_ms: float
    planning_ms: float
    nodes: list[str]
    big_seq_scans: list[str]
    error: str = ""


@dataclass
class PageQueries:
    label: str
    status: int
    cold: int
    warm: int
    plans: list[QueryPlan] = field(default_factory=list)


def _node_line(node: dict, depth: int) -> str:
    relation = f" on {node['Relation Name']}" if "Relation Name" in node else ""
    index = f" using {node['Index Name']}" if "Index Name" in node else ""
    if "Actual Total Time" not in node:  # a plan that was not run: the planner's estimates
        return f"{'  ' * depth}{node['Node Type']}{relation}{index}: estimated cost {node['Total Cost']:,.0f}, rows {node['Plan Rows']:,}"
    loops = node.get("Actual Loops", 1)
    return (
        f"{'  ' * depth}{node['Node Type']}{relation}{index}: "
        f"{node['Actual Total Time']:.1f} ms, rows {node.get('Actual Rows', 0):g}" + (f" x {loops} loops" if loops > 1 else "")
    )


def _walk(node: dict, depth: int = 0):
    yield node, depth
    for child in node.get("Plans", []):
        yield from _walk(child, depth + 1)


def explain(sql: str, ms_in_page: float) -> QueryPlan:
    from django.db import DatabaseError, connection, transaction

    def run(options: str) -> dict:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN ({options}) {sql}")
            (result,) = cursor.fetchone()
            transaction.set_rollback(True)
        return (json.loads(result) if isinstance(result, str) else result)[0]

    try:
        document = run("ANALYZE, FORMAT JSON")
    except DatabaseError as error:  # cancelled by the statement timeout: the plan without running it
        document = run("FORMAT JSON")
        document["Error"] = f"{type(error).__name__}: not run to the end ({str(error).splitlines()[0]})"
    nodes = list(_walk(document["Plan"]))
    return QueryPlan(
        error=document.get("Error", ""),
        ms_in_page=ms_in_page,
        sql=" ".join(sql.split()),
        execution_ms=document.get("Execution Time", 0.0),
        planning_ms=document.get("Planning Time", 0.0),
        nodes=[_node_line(node, depth) for node, depth in nodes[:PLAN_NODES]],
        big_seq_scans=[
            f"{node['Relation Name']} ({node.get('Actual Rows', 0) * node.get('Actual Loops', 1):,.0f} rows)"
            for node, _ in nodes
            if node["Node Type"] == "Seq Scan" and node.get("Actual Rows", 0) * node.get("Actual Loops", 1) > 10_000
        ],
    )


def measure_pages() -> list[PageQueries]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.measure import COORDINATOR, PAGES, invalidate

    # A failing page (say, a statement cancelled by the timeout) is a 500 here, counted like any other.
    anonymous, coordinator = Client(raise_request_exception=False), Client(raise_request_exception=False)
    coordinator.force_login(get_user_model().objects.get(username=COORDINATOR))
    results = []
    for page in PAGES:
        client = coordinator if page.logged_in else anonymous
        invalidate()
        with CaptureQueriesContext(connection) as cold:
            response = client.get(page.path)
            _consume(response)
        with CaptureQueriesContext(connection) as warm:
            _consume(client.get(page.path))
        entry = PageQueries(page.label, response.status_code, len(cold.captured_queries), len(warm.captured_queries))
        selects = [q for q in cold.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
        slowest_ms = max((float(q["time"]) * 1000 for q in selects), default=0.0)
        if page.label in EXPLAINED or slowest_ms >= SLOW_QUERY_MS:
            for query in sorted(selects, key=lambda q: float(q["time"]), reverse=True)[:SLOWEST]:
                entry.plans.append(explain(query["sql"], float(query["time"]) * 1000))
        results.append(entry)
    return results


def _consume(response) -> None:
    # Streaming responses run their queries while they are read.
    if getattr(response, "streaming", False):
        for _ in response.streaming_content:
            pass


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eccar_portal.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    # A failing page is recorded with its status; its traceback would only bury the benchmark's own output.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    results = measure_pages()
    Path(sys.argv[1]).write_text(json.dumps([asdict(r) for r in results], indent=1))


if __name__ == "__main__":
    main()

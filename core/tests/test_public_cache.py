"""The shared cache of anonymous public pages: served from the cache, never personal, and new after every write.

These tests commit (transactional_db): the public generation moves when a write commits, as in production.
"""

import contextlib
import math
import datetime as dt
import pickle
import socket

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from actionplan.models import Measure, MeasureStatus
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory, MeasureUpdateFactory
from core import public_cache
from core.public_cache import (
    UNTRACKED_TABLES,
    close_generation_reader,
    current_generation,
    settled_generation,
    tracked_tables,
)
from members.tests.factories import MemberFactory
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE = True
    cache.clear()
    yield
    with contextlib.suppress(Exception):  # a test may have pointed the cache at a server that is not there
        cache.clear()
    close_generation_reader()  # its connection would keep the test database from being dropped
    public_cache._cache_breaker["retry_at"] = -math.inf  # noqa: SLF001 - a failed cache server is retried at once


@pytest.fixture
def measure(dresden, commitments):
    return MeasureFactory(
        plan=ActionPlanFactory(member=dresden), commitment=commitments[2], title="Beratung ausbauen", status=MeasureStatus.PLANNED
    )


def anonymous(path: str, **headers) -> tuple[str, int]:
    """The page as a visitor without a session sees it, and the number of SQL queries it cost."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path, headers=headers)
    assert response.status_code == 200, path
    return response.content.decode(), len(queries)


def assert_served_from_cache(path: str) -> str:
    anonymous(path)
    page, queries = anonymous(path)
    assert queries == 0, f"{path} was rendered again ({queries} queries), not taken from the cache"
    return page


def test_it_serves_every_public_page_from_the_cache_without_a_query(measure):
    ReportFactory(member=measure.plan.member, status=ReportStatus.PUBLISHED)
    anonymous("/de/privacy/")  # its first visit writes the missing page's default text, a change of public data
    for path in [
        "/de/",
        "/en/",
        "/de/members/",
        "/de/members/?q=Dresden",
        "/de/members/dresden/",
        f"/de/members/dresden/measures/{measure.pk}/",
        f"/en/members/dresden/measures/{measure.pk}/",
        "/de/commitments/",
        "/de/commitments/3/",
        "/de/commitments/3/?q=Beratung",
        "/de/statistics/",
        "/de/reports/",
        "/de/working-groups/",
        "/de/networks/",
        "/de/open-data/",
        "/de/privacy/",
        "/sitemap.xml",
        "/sitemap-members.xml",
        "/sitemap-measures.xml",
        "/feeds/de/reports/",
        "/feeds/de/members/",
        "/feeds/de/members/dresden/",
    ]:
        assert_served_from_cache(path)


def test_it_costs_no_query_per_cached_page_whatever_the_data(commitments, django_assert_num_queries):
    for n in range(30):
        member = MemberFactory(slug=f"stadt-{n}", name=f"Stadt {n}")
        plan = ActionPlanFactory(member=member)
        for c in commitments[:3]:
            MeasureFactory(plan=plan, commitment=c)
    anonymous("/de/members/")
    with django_assert_num_queries(0):
        Client().get("/de/members/")


def test_it_shows_a_coordinators_save_at_once(client, dresden_editor, measure):
    assert "Beratung ausbauen" in assert_served_from_cache("/de/members/dresden/")
    assert_served_from_cache("/de/commitments/3/")
    assert "Beratung ausbauen" in assert_served_from_cache(f"/de/members/dresden/measures/{measure.pk}/")
    client.force_login(dresden_editor)
    response = client.post(
        f"/de/dashboard/dresden/measures/{measure.pk}/",
        {
            "version": measure.version,
            "commitment": measure.commitment_id,
            "title": "Beratung verdoppeln",
            "status": MeasureStatus.IN_PROGRESS,
            "progress": "50",
            "is_public": "on",
            "content_language": "de",
            "update-date": "",
            "update-text": "",
        },
    )
    assert response.status_code == 302
    assert "Beratung verdoppeln" in anonymous("/de/members/dresden/")[0]
    assert "Beratung verdoppeln" in anonymous("/de/commitments/3/")[0]
    assert "Beratung verdoppeln" in anonymous(f"/de/members/dresden/measures/{measure.pk}/")[0]


def test_it_shows_a_new_indicator_value_on_the_member_and_comparison_pages_and_in_the_open_data_at_once(
    client, dresden_editor, duesseldorf, measure
):
    from actionplan.tests.factories import IndicatorFactory

    indicator = IndicatorFactory(plan=measure.plan, commitment=measure.commitment, name="Beratungsfälle pro Jahr")
    compare = "/de/compare/?members=dresden&members=duesseldorf"
    for path in ("/de/members/dresden/", compare):
        assert "70 Fälle" not in assert_served_from_cache(path)
    values_csv = "/open-data/v2/indicator-values.csv"
    assert "2024-06-30" not in b"".join(Client().get(values_csv).streaming_content).decode()
    client.force_login(dresden_editor)
    edit = {"name": indicator.name, "unit": indicator.unit, "description": "", "baseline_value": "40",
            "baseline_date": "2022-01-01", "target_value": "100", "target_date": "2027-12-31", "is_public": "on",
            "version": indicator.version, "value-date": "2024-06-30", "value-value": "70", "value-source": "", "value-note": ""}
    assert client.post(f"/de/dashboard/dresden/indicators/{indicator.pk}/", edit).status_code == 302
    assert "50 % des Weges" in anonymous("/de/members/dresden/")[0]
    assert "70 Fälle" in anonymous(compare)[0]
    assert "2024-06-30,70.00" in b"".join(Client().get(values_csv).streaming_content).decode()


@time_machine.travel(dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC))
def test_it_shows_a_new_timeline_entry_at_once(client, dresden_editor, measure):
    assert_served_from_cache("/de/members/dresden/")
    client.force_login(dresden_editor)
    client.post(
        f"/de/dashboard/dresden/measures/{measure.pk}/",
        {
            "version": measure.version,
            "commitment": measure.commitment_id,
            "title": measure.title,
            "status": measure.status,
            "progress": "0",
            "is_public": "on",
            "content_language": "de",
            "update-date": "2026-03-15",
            "update-text": "Erste Beratungen fanden statt.",
        },
    )
    assert "Erste Beratungen fanden statt." in anonymous("/de/members/dresden/")[0]


def test_it_shows_an_entry_dated_today_when_its_day_comes(measure):
    MeasureUpdateFactory(measure=measure, date=dt.date(2026, 6, 2), text="Am Dienstag eröffnet")
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)):
        assert "Am Dienstag eröffnet" not in assert_served_from_cache("/de/members/dresden/")
    # 22:30 UTC is already 2 June in Germany, the portal's time zone.
    with time_machine.travel(dt.datetime(2026, 6, 1, 22, 30, tzinfo=dt.UTC)):
        assert "Am Dienstag eröffnet" in anonymous("/de/members/dresden/")[0]


def test_it_shows_a_published_report_at_once(client, staff, measure):
    report = ReportFactory(member=measure.plan.member, status=ReportStatus.ACCEPTED)
    assert f"/reports/{report.pk}/" not in assert_served_from_cache("/de/reports/")
    assert f"/reports/{report.pk}/" not in assert_served_from_cache("/de/members/dresden/")
    client.force_login(staff)
    client.post("/admin/reports/implementationreport/", {"action": "publish_reports", "_selected_action": [report.pk]})
    assert f"/reports/{report.pk}/" in anonymous("/de/reports/")[0]
    assert f"/reports/{report.pk}/" in anonymous("/de/members/dresden/")[0]


def test_it_shows_an_admin_edit_at_once(client, staff):
    from members.models import SitePage

    page = SitePage.objects.get_or_create(
        key="imprint", defaults={"title_de": "Impressum", "title_en": "Imprint", "body_de": "Alt", "body_en": "Old"}
    )[0]
    assert "Sekretariat in Potsdam" not in assert_served_from_cache("/de/imprint/")
    client.force_login(staff)
    response = client.post(
        f"/admin/members/sitepage/{page.pk}/change/",
        {"key": "imprint", "title_de": "Impressum", "title_en": "Imprint", "body_de": "Sekretariat in Potsdam", "body_en": "Old"},
    )
    assert response.status_code == 302
    assert "Sekretariat in Potsdam" in anonymous("/de/imprint/")[0]


def test_it_shows_a_write_in_plain_sql_at_once(measure):
    assert "Dresden an der Elbe" not in assert_served_from_cache("/de/members/")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE members_member SET name = 'Dresden an der Elbe' WHERE slug = 'dresden'")
    assert "Dresden an der Elbe" in anonymous("/de/members/")[0]


def test_it_shows_an_admin_action_at_once(client, staff, measure):
    assert "Beratung ausbauen" in assert_served_from_cache("/de/commitments/3/")
    client.force_login(staff)
    client.post("/admin/actionplan/measure/", {"action": "retire", "_selected_action": [measure.pk]})
    assert Measure.objects.get().retired_at is not None
    assert "Beratung ausbauen" not in anonymous("/de/commitments/3/")[0]


def test_it_shows_a_lifecycle_change_at_once(client, staff, measure):
    assert "ausgesetzt" not in assert_served_from_cache("/de/members/dresden/").lower()
    client.force_login(staff)
    response = client.post(
        f"/admin/members/member/{measure.plan.member_id}/status/",
        {"to_status": "suspended", "on": "2026-03-01", "reason": "Beitrag offen"},
    )
    assert response.status_code == 302
    assert "ausgesetzt seit märz 2026" in anonymous("/de/members/dresden/")[0].lower()


def test_it_shows_what_the_seed_and_the_demo_data_commands_wrote(commitments):
    assert "Heilbronn" not in assert_served_from_cache("/de/members/")
    call_command("seed_eccar", stdout=None)
    assert "Heilbronn" in assert_served_from_cache("/de/members/")
    call_command("generate_demo", members=2, measures_per_member=1, stdout=None)
    assert "Demo-Stadt" in anonymous("/de/members/")[0]


def test_it_never_serves_or_stores_a_page_for_a_logged_in_user(client, dresden_lead, measure):
    client.force_login(dresden_lead)
    # A logged-in page carries the logout form with the user's CSRF token.
    assert "csrfmiddlewaretoken" in client.get("/de/members/dresden/").content.decode()
    # The coordinator's page was not stored: the visitor's page is rendered now, without the token.
    page, queries = anonymous("/de/members/dresden/")
    assert queries > 1 and "csrfmiddlewaretoken" not in page
    # …and the visitor's stored page is not what the coordinator gets, nor may a shared proxy keep theirs.
    assert_served_from_cache("/de/members/dresden/")
    own = client.get("/de/members/dresden/")
    assert "csrfmiddlewaretoken" in own.content.decode() and own["Cache-Control"] == "private, no-cache"


def test_it_keeps_nothing_personal_in_the_cache(client, dresden_lead, measure):
    anonymous("/de/members/dresden/")
    anonymous("/de/")
    client.force_login(dresden_lead)
    client.get("/de/members/dresden/")
    client.get("/de/statistics/")
    stored = [pickle.loads(value) for value in cache._cache.values()]  # noqa: S301, SLF001 - the tests' own cache
    # The two visitor's pages, not the coordinator's.
    assert len(stored) == 2
    for entry in stored:
        assert "csrfmiddlewaretoken" not in entry["content"].decode()


def test_it_does_not_serve_the_cache_to_a_visitor_with_a_session_or_messages():
    assert_served_from_cache("/de/")
    for cookie in ["sessionid=abc", "messages=abc"]:
        assert _queries_with_cookie("/de/", cookie) > 1, cookie


def _queries_with_cookie(path: str, cookie: str) -> int:
    visitor = Client()
    name, value = cookie.split("=")
    visitor.cookies[name] = value
    with CaptureQueriesContext(connection) as queries:
        assert visitor.get(path).status_code == 200
    return len(queries)


def test_it_answers_an_unchanged_page_with_not_modified(measure):
    first = Client().get("/de/members/dresden/")
    etag = first["ETag"]
    assert etag and first["Cache-Control"] == "public, no-cache" and "Cookie" in first["Vary"]
    again = Client().get("/de/members/dresden/", headers={"if-none-match": etag})
    assert again.status_code == 304
    Measure.objects.filter(pk=measure.pk).update(title="Neu")
    changed = Client().get("/de/members/dresden/", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def number(generation: str) -> int:
    return int(generation.split(".")[1])


def test_it_moves_the_generation_once_per_committed_write(measure):
    before = number(current_generation())
    Measure.objects.filter(pk=measure.pk).update(title="Eins")
    assert number(current_generation()) == before + 1
    Measure.objects.update(progress=10)
    assert number(current_generation()) == before + 2
    # An update that changes nothing changes no page.
    Measure.objects.update(progress=10)
    assert number(current_generation()) == before + 2


def test_it_does_not_move_the_generation_for_a_login_or_a_rolled_back_write(client, dresden_lead, measure):
    from django.db import transaction

    before = current_generation()
    client.force_login(dresden_lead)
    with pytest.raises(RuntimeError), transaction.atomic():
        Measure.objects.update(title="Nie gespeichert")
        raise RuntimeError
    assert current_generation() == before


def test_it_does_not_move_the_generation_while_a_coordinator_types_a_report(dresden, dresden_lead, commitments):

    from reports.services import report_create, report_draft_keep

    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead)
    before = current_generation()
    # The editor's script keeps the typing every few seconds: that must not empty every public page's cache.
    for text in ("B", "Be", "Ber"):
        report_draft_keep(report=report, user=dresden_lead, base_version=report.version, title="", summary="", narratives={3: text})
    assert current_generation() == before


def test_it_moves_the_generation_for_a_truncated_table(measure):
    before = number(current_generation())
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE actionplan_measureupdate")
    assert number(current_generation()) == before + 1


@contextlib.contextmanager
def committing_writer(sql: str):
    """Another connection in the middle of committing `sql`: its deferred trigger has fired (as at commit), its
    transaction is still open. Yields the connection; rolled back at the end unless committed."""
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute(sql)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        yield other
        other.rollback()
    finally:
        other.close()


def test_it_has_no_settled_generation_while_a_writer_is_committing(measure):
    # A writer's trigger takes the shared lock and keeps it until its transaction ends; meanwhile no page may be
    # stored, and nothing waits for it.
    with committing_writer("UPDATE actionplan_measure SET title = 'Noch nicht sichtbar'") as writer:
        assert settled_generation() is None
        writer.commit()
        assert settled_generation() == current_generation()
    assert "Noch nicht sichtbar" in anonymous("/de/members/dresden/")[0]


def test_it_renders_a_page_without_storing_it_while_the_generation_is_not_settled(measure):
    with committing_writer("UPDATE actionplan_measure SET progress = 5"):
        page, _ = anonymous("/de/members/dresden/")
        assert "Beratung ausbauen" in page
        assert not list(cache._cache)  # noqa: SLF001


def test_it_puts_the_triggers_on_every_table_but_the_listed_ones():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname, t.tgdeferrable, t.tginitdeferred FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE 'public_rows_%%'"
        )
        rows = cursor.fetchall()
        existing = set(connection.introspection.table_names(cursor))
    for name, deferred in [("public_rows_changed", True), ("public_rows_updated", True), ("public_rows_truncated", False)]:
        tables = {table for table, trigger, deferrable, initially in rows if trigger == name and (deferrable, initially) == (deferred, deferred)}
        assert tables == set(tracked_tables()), name
    for table in ["members_member", "actionplan_measure", "actionplan_measureupdate", "reports_implementationreport",
                  "reports_reportdocument", "members_workinggroup_initiated_by", "secretariat_opendatalicence"]:
        assert table in tracked_tables()
    assert not any("historical" in table for table in tracked_tables())
    # Every exception names a real table, so a renamed one cannot slip out of the list unnoticed.
    assert set(UNTRACKED_TABLES) <= existing


def test_it_answers_an_unchanged_open_data_download_with_not_modified(measure):
    first = Client().get("/open-data/measures.csv")
    assert first.status_code == 200 and "Beratung ausbauen" in b"".join(first.streaming_content).decode()
    etag = first["ETag"]
    assert Client().get("/open-data/measures.csv", headers={"if-none-match": etag}).status_code == 304
    # Another format is another file.
    assert Client().get("/open-data/measures.json", headers={"if-none-match": etag}).status_code == 200
    Measure.objects.filter(pk=measure.pk).update(title="Beratung verdoppeln")
    changed = Client().get("/open-data/measures.csv", headers={"if-none-match": etag})
    assert changed.status_code == 200 and "Beratung verdoppeln" in b"".join(changed.streaming_content).decode()


def test_it_caches_and_renews_pages_in_a_real_redis(redis_cache, measure):
    assert "Beratung ausbauen" in assert_served_from_cache("/de/members/dresden/")
    Measure.objects.filter(pk=measure.pk).update(title="Beratung verdoppeln")
    assert "Beratung verdoppeln" in assert_served_from_cache("/de/members/dresden/")


def test_it_serves_pages_when_the_cache_server_is_away(settings, measure):
    from core.tests.servers import free_port

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}
    }
    assert "Beratung ausbauen" in anonymous("/de/members/dresden/")[0]
    # Meanwhile the cache is left alone (not asked and waited for at every request), and pages are still served.
    assert public_cache._cache_breaker["retry_at"] > 0  # noqa: SLF001
    assert "Beratung ausbauen" in anonymous("/de/commitments/3/")[0]


def test_it_keeps_the_pages_of_each_host_name_apart(settings, measure):
    settings.ALLOWED_HOSTS = ["testserver", "alias.example"]
    assert "http://alias.example/" in Client().get("/de/members/dresden/", headers={"host": "alias.example"}).content.decode()
    page = assert_served_from_cache("/de/members/dresden/")
    assert "alias.example" not in page and "http://testserver/" in page


def test_it_serves_a_head_request_and_stores_the_full_page(measure):
    assert Client().head("/de/members/dresden/").status_code == 200
    _, queries = anonymous("/de/members/dresden/")
    assert queries == 0


def test_it_does_not_store_pages_for_made_up_query_parameters(measure):
    anonymous("/de/members/?utm_source=zeitung")
    _, queries = anonymous("/de/members/?utm_source=zeitung")
    assert queries > 0
    assert_served_from_cache("/de/members/?country=DE&page=1")


def test_it_serves_pages_when_the_cache_server_hangs(settings, measure):
    # A server that accepts connections and never answers, like a hung Redis.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{listener.getsockname()[1]}/0",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        assert "Beratung ausbauen" in anonymous("/de/members/dresden/")[0]
        assert "Beratung ausbauen" in anonymous("/de/commitments/3/")[0]
    finally:
        listener.close()

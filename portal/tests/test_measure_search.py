"""The public measure search across all commitments (/<lang>/measures/) and its CSV download."""

from __future__ import annotations

import csv
import io

import pytest

from actionplan.models import Commitment, MeasureStatus
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
from members.models import MemberKind, MemberStatus
from members.tests.factories import MemberFactory
from portal.tests.housing import add_housing_measures

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [m.title for m in response.context["measures"]]


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_it_finds_housing_measures_for_racism_in_housing_with_the_most_words_first(client, seeded):
    add_housing_measures()
    response = client.get("/en/measures/", {"q": "racism in housing"})
    assert response.status_code == 200
    found = titles(response)
    assert found[0] == "Racism in housing: testing landlords"
    assert "Fair housing counselling" in found
    body = response.content.decode()
    assert '<a href="/en/members/dresden/measures/' in body
    assert "<mark>" in body  # the snippet marks the words found


def test_it_filters_by_country_kind_status_and_commitment_and_keeps_them_in_the_links(client, seeded):
    add_housing_measures()
    assert "Wohnungsbörse Graz" in titles(client.get("/de/measures/", {"q": "Wohnung"}))
    german = titles(client.get("/de/measures/", {"q": "Wohnung", "country": "DE"}))
    assert german[0] == "Wohnungsvermittlung ohne Diskriminierung" and "Wohnungsbörse Graz" not in german
    planned = titles(client.get("/de/measures/", {"q": "housing", "status": MeasureStatus.PLANNED, "country": "DE"}))
    assert sorted(planned) == ["Fair housing counselling", "Racism in housing: testing landlords"]
    assert titles(client.get("/de/measures/", {"commitment": 6})) == [
        "KommA – Kommunale Allianzen und Strategien gegen Rassismus und Hass"]
    assert titles(client.get("/de/measures/", {"kind": MemberKind.DISTRICT})) == ["Beratung für Vermieter"]  # Aachen
    body = client.get("/de/measures/", {"q": "Wohnung", "country": "DE", "commitment": 7}).content.decode()
    assert 'href="/de/measures.csv?q=Wohnung&amp;country=DE&amp;commitment=7"' in body
    assert 'value="DE" selected' in body and "Deutschland" in body


def test_it_leaves_out_internal_retired_and_applicants_measures(client, db, commitments):
    from django.utils import timezone

    plan = ActionPlanFactory(member=MemberFactory(name="Offenstadt"))
    MeasureFactory(plan=plan, commitment=commitments[0], title="Öffentliche Wohnungsberatung")
    MeasureFactory(plan=plan, commitment=commitments[0], title="Interne Wohnungsberatung", is_public=False)
    MeasureFactory(plan=plan, commitment=commitments[0], title="Alte Wohnungsberatung", retired_at=timezone.now())
    applicant = ActionPlanFactory(member=MemberFactory(name="Bewerberstadt", status=MemberStatus.APPLICANT))
    MeasureFactory(plan=applicant, commitment=commitments[0], title="Bewerber-Wohnungsberatung")
    assert titles(client.get("/de/measures/", {"q": "Wohnungsberatung"})) == ["Öffentliche Wohnungsberatung"]
    rows = csv_rows(client.get("/de/measures.csv", {"q": "Wohnungsberatung"}))
    assert [r["title"] for r in rows] == ["Öffentliche Wohnungsberatung"]


def test_it_downloads_the_hits_as_csv_with_the_same_filters_and_no_formulas(client, seeded):
    add_housing_measures()
    plan = ActionPlanFactory(member=MemberFactory(slug="formelstadt", name="=Formelstadt", country="DE"))
    MeasureFactory(plan=plan, commitment=Commitment.objects.get(number=7), title='=HYPERLINK("http://x","Wohnung")')
    response = client.get("/en/measures.csv", {"q": "Wohnung", "country": "DE"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    found = [r["title"] for r in rows]
    assert found[0] == "Wohnungsvermittlung ohne Diskriminierung"
    assert "Wohnungsbörse Graz" not in found
    formula = next(r for r in rows if "HYPERLINK" in r["title"])
    assert formula["title"] == '=HYPERLINK("http://x","Wohnung")' and formula["member"] == "=Formelstadt"  # the exact text
    excel = client.get("/en/measures.excel.csv", {"q": "Wohnung", "country": "DE"})
    text = b"".join(excel.streaming_content).decode()
    assert text.startswith("\ufeff")
    excel_rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert [r["title"].removeprefix("'") for r in excel_rows] == found
    formula = next(r for r in excel_rows if "HYPERLINK" in r["title"])
    assert formula["title"].startswith("'=") and formula["member"] == "'=Formelstadt"
    first = rows[0]
    assert first["member"] == "Landeshauptstadt Dresden" and first["country"] == "DE" and first["commitment_number"] == "7"
    assert first["status"] == "in_progress" and first["status_label"] == "In progress"
    assert first["measure_url"].startswith("http://testserver/en/members/dresden/measures/")


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": "Wohnung", "country": "XX", "kind": "castle", "status": "done?", "commitment": "99", "page": "999"},
        {"commitment": "abc", "page": "x"},
        {"q": "\x00' OR 1=1 --"},
        {"q": "!!!"},
    ],
)
def test_it_answers_bad_input_without_error(client, seeded, params):
    add_housing_measures()
    response = client.get("/de/measures/", params)
    assert response.status_code == 200
    assert client.get("/de/measures.csv", params).status_code == 200
    if len(params.get("q", "")) > 200:
        assert "Ihre Suche wurde auf die ersten 200 Zeichen gekürzt." in response.content.decode()


def test_it_keeps_the_query_count_flat(client, db, commitments, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n: int, offset: int) -> None:
        for i in range(n):
            plan = ActionPlanFactory(member=MemberFactory(slug=f"stadt-{offset + i}", country="DE"))
            for commitment in commitments[:3]:
                MeasureFactory(plan=plan, commitment=commitment, title=f"Wohnungsberatung {offset + i}")

    add(2, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/de/measures/", {"q": "Wohnung", "country": "DE"}).status_code == 200
    add(40, 100)
    with django_assert_max_num_queries(len(few)):
        response = client.get("/de/measures/", {"q": "Wohnung", "country": "DE"})
    assert response.context["paginator"].count == 126 and len(response.context["measures"]) == 20
    with django_assert_max_num_queries(len(few)):
        assert client.get("/de/measures/").status_code == 200
    with django_assert_max_num_queries(4):
        assert len(csv_rows(client.get("/de/measures.csv", {"q": "Wohnung"}))) == 126


def test_it_is_linked_from_the_directory_and_the_commitment_pages(client, seeded):
    assert 'href="/de/measures/"' in client.get("/de/members/").content.decode()
    assert 'href="/de/measures/?q=Wohnung"' in client.get("/de/members/", {"q": "Wohnung"}).content.decode()
    assert 'href="/en/measures/"' in client.get("/en/commitments/7/").content.decode()


def test_it_refuses_changes():
    from django.test import Client

    assert Client().post("/de/measures/").status_code == 405
    assert Client().post("/de/measures.csv").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_it_serves_the_search_from_the_page_cache_and_renews_it_after_a_write(settings, commitments):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.public_cache import close_generation_reader

    settings.PUBLIC_PAGE_CACHE = True
    cache.clear()
    try:
        plan = ActionPlanFactory(member=MemberFactory(slug="cachestadt", country="DE"))
        MeasureFactory(plan=plan, commitment=commitments[6], title="Wohnungsberatung")
        for path in ("/de/measures/?commitment=7", "/de/measures/?q=Wohnung&country=DE"):
            Client().get(path)
            with CaptureQueriesContext(connection) as queries:
                assert "Wohnungsberatung" in Client().get(path).content.decode()
            assert len(queries) == 0, path
        MeasureFactory(plan=plan, commitment=commitments[6], title="Wohnungsbörse")
        assert "Wohnungsbörse" in Client().get(path).content.decode()
        # The download answers an unchanged copy with a 304.
        first = Client().get("/de/measures.csv?q=Wohnung")
        assert first.status_code == 200 and first["ETag"]
        assert Client().get("/de/measures.csv?q=Wohnung", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    finally:
        cache.clear()
        close_generation_reader()

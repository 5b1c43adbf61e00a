"""One member's own open-data files: /open-data/members/<slug>/<dataset>.<format>."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory, MeasureFactory
from members.models import MemberStatus
from members.tests.factories import MemberFactory
from portal.opendata import MEMBER_DATASETS
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_members(dresden, duesseldorf):
    for member in (dresden, duesseldorf):
        plan = ActionPlanFactory(member=member)
        measure = MeasureFactory(plan=plan, title=f"Beratung {member.slug}")
        MeasureFactory(plan=plan, title=f"Intern {member.slug}", is_public=False)
        indicator = IndicatorFactory(plan=plan, measure=measure, commitment=measure.commitment, name=f"Fälle {member.slug}")
        IndicatorValueFactory(indicator=indicator)
        ReportFactory(member=member, title=f"Bericht {member.slug}", status=ReportStatus.PUBLISHED)
        ReportFactory(member=member, title=f"Entwurf {member.slug}", status=ReportStatus.DRAFT)
    applicant = MemberFactory(slug="bewerber", status=MemberStatus.APPLICANT)
    MeasureFactory(plan__member=applicant, title="Vom Bewerber")
    return dresden


def rows(client, path: str) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["X-Schema-Version"] == "2"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_it_gives_each_member_its_own_public_rows(client, two_members):
    measures = rows(client, "/open-data/members/dresden/measures.csv")
    assert [r["title"] for r in measures] == ["Beratung dresden"]
    assert measures[0]["commitment_title_de"] and measures[0]["commitment_title_en"]
    assert measures[0]["measure_url"] == f"http://testserver/de/members/dresden/measures/{measures[0]['id']}/"
    assert [r["name"] for r in rows(client, "/open-data/members/dresden/indicators.csv")] == ["Fälle dresden"]
    assert {r["member_slug"] for r in rows(client, "/open-data/members/dresden/indicator-values.csv")} == {"dresden"}
    assert [r["title"] for r in rows(client, "/open-data/members/dresden/reports.csv")] == ["Bericht dresden"]


@pytest.mark.parametrize("fmt", ["csv", "excel.csv", "json", "xlsx"])
def test_it_offers_a_members_files_in_every_format(client, two_members, fmt):
    for slug in MEMBER_DATASETS:
        response = client.get(f"/open-data/members/duesseldorf/{slug}.{fmt}")
        assert response.status_code == 200
        extension = {"excel.csv": "-excel.csv"}.get(fmt, f".{fmt}")
        assert response["Content-Disposition"] == f'attachment; filename="eccar-duesseldorf-{slug}{extension}"'
        raw = b"".join(response.streaming_content)
        if fmt == "json":
            assert all(item["member_slug"] == "duesseldorf" for item in json.loads(raw))
        elif fmt == "xlsx":
            sheet = load_workbook(io.BytesIO(raw)).active
            assert sheet.max_row == 2  # the header and the one public row
        else:
            assert b"dresden" not in raw


def test_it_gives_404_for_a_member_that_is_not_public_or_unknown(client, two_members, dresden_lead):
    assert client.get("/open-data/members/bewerber/measures.csv").status_code == 404
    assert client.get("/open-data/members/nobody/measures.csv").status_code == 404
    # Not even for a coordinator: these are open data, the same for everyone.
    client.force_login(dresden_lead)
    assert client.get("/open-data/members/bewerber/measures.json").status_code == 404


def test_it_gives_404_for_unknown_member_datasets_and_formats(client, two_members):
    assert client.get("/open-data/members/dresden/members.csv").status_code == 404  # the members file is not per member
    assert client.get("/open-data/members/dresden/secrets.csv").status_code == 404
    assert client.get("/open-data/members/dresden/measures.xml").status_code == 404
    assert client.get("/open-data/members/dresden/measures").status_code == 404
    assert client.post("/open-data/members/dresden/measures.csv").status_code == 405


def test_it_links_a_members_files_from_its_page(client, two_members):
    page = client.get("/de/members/dresden/").content.decode()
    for slug in MEMBER_DATASETS:
        for fmt in ("csv", "excel.csv", "xlsx", "json"):
            assert f'href="/open-data/members/dresden/{slug}.{fmt}"' in page
    assert 'id="member-open-data-heading"' in page


def test_it_shows_no_file_links_on_an_applicants_page_to_its_coordinator(client, db):
    from members.models import CoordinatorRole
    from members.tests.factories import AssignmentFactory, UserFactory

    applicant = MemberFactory(slug="bewerber", status=MemberStatus.APPLICANT)
    user = UserFactory()
    AssignmentFactory(user=user, member=applicant, role=CoordinatorRole.LEAD)
    client.force_login(user)
    response = client.get("/de/members/bewerber/")
    assert response.status_code == 200
    assert "/open-data/members/bewerber/" not in response.content.decode()


def test_it_explains_a_members_files_on_the_open_data_page(client, db):
    english = client.get("/en/open-data/").content.decode()
    german = client.get("/de/open-data/").content.decode()
    assert "One member’s data" in english and "/open-data/members/dresden/measures.csv" in english
    assert "Daten eines Mitglieds" in german


def test_it_costs_the_same_queries_however_many_rows(client, two_members, django_assert_max_num_queries):
    from actionplan.models import Measure

    plan = two_members.plan
    for count in (10, 200):
        Measure.objects.bulk_create([Measure(plan=plan, commitment_id=plan.measures.first().commitment_id, title=f"M {i}", is_public=True) for i in range(count)])
        with django_assert_max_num_queries(4):
            response = client.get("/open-data/members/dresden/measures.csv")
            assert len(b"".join(response.streaming_content).splitlines()) > count


@pytest.mark.django_db(transaction=True)
def test_it_answers_an_unchanged_members_file_with_304(settings):
    from django.test import Client

    from core.public_cache import close_generation_reader

    settings.PUBLIC_PAGE_CACHE = True
    try:
        MeasureFactory(plan__member=MemberFactory(slug="dresden"), title="Beratung")
        first = Client().get("/open-data/members/dresden/measures.xlsx")
        etag = first["ETag"]
        assert Client().get("/open-data/members/dresden/measures.xlsx", headers={"if-none-match": etag}).status_code == 304
        MeasureFactory(plan__member__slug="other", title="Neu")
        assert Client().get("/open-data/members/dresden/measures.xlsx", headers={"if-none-match": etag}).status_code == 200
    finally:
        close_generation_reader()

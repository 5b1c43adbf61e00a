"""Public indicators on the member page and the commitment page: only public ones, with bounded queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory, MeasureFactory
from actionplan.views import INDICATORS_SHOWN
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(dresden):
    return ActionPlanFactory(member=dresden)


def test_it_shows_public_indicators_grouped_by_commitment_with_chart_and_share(client, plan, commitments):
    indicator = IndicatorFactory(plan=plan, commitment=commitments[3], name="Geschulte Beschäftigte", unit="Personen")
    for date, value in ((dt.date(2023, 1, 1), "55"), (dt.date(2024, 1, 1), "62,5".replace(",", ".")), (dt.date(2025, 1, 1), "70")):
        IndicatorValueFactory(indicator=indicator, date=date, value=Decimal(value), source="Personalamt")
    body = client.get("/en/members/dresden/").content.decode()
    section = body[body.index('id="indicators-heading"'):]
    assert 'id="indicators-4-heading"' in section and "Geschulte Beschäftigte" in section
    assert "50 % of the way from the baseline to the target has been covered." in section
    assert section.count('class="value-point"') == 3 + 1 and "Personalamt" in section
    commitment_page = client.get("/en/commitments/4/").content.decode()
    assert "Geschulte Beschäftigte" in commitment_page and "/en/members/dresden/#indicators-heading" in commitment_page


def test_it_hides_internal_retired_and_hidden_measures_indicators(client, plan, commitments, dresden_lead):
    internal_measure = MeasureFactory(plan=plan, commitment=commitments[0], is_public=False)
    public_measure = MeasureFactory(plan=plan, commitment=commitments[0], is_public=True)
    IndicatorFactory(plan=plan, commitment=commitments[0], name="Intern", is_public=False)
    IndicatorFactory(plan=plan, commitment=commitments[0], name="Einer internen Maßnahme", measure=internal_measure)
    IndicatorFactory(plan=plan, commitment=commitments[0], name="Ausgemustert").retire(by=dresden_lead)
    IndicatorFactory(plan=plan, commitment=commitments[0], name="Sichtbar", measure=public_measure)
    for url in ("/en/members/dresden/", "/en/commitments/1/"):
        body = client.get(url).content.decode()
        assert "Sichtbar" in body, url
        for hidden in ("Intern<", "Einer internen Maßnahme", "Ausgemustert"):
            assert hidden not in body, (url, hidden)


def test_it_shows_no_section_without_public_indicators(client, plan, commitments):
    IndicatorFactory(plan=plan, commitment=commitments[0], is_public=False)
    assert 'id="indicators-heading"' not in client.get("/en/members/dresden/").content.decode()
    assert 'id="indicators-heading"' not in client.get("/en/commitments/1/").content.decode()


def test_it_bounds_the_commitment_page_and_says_where_the_rest_are(client, commitments):
    for i in range(INDICATORS_SHOWN + 1):
        plan = ActionPlanFactory(member=MemberFactory(name=f"Stadt {i:02d}"))
        IndicatorFactory(plan=plan, commitment=commitments[1], name=f"Indikator {i:02d}")
    body = client.get("/en/commitments/2/").content.decode()
    assert body.count('class="indicator mb-4"') == INDICATORS_SHOWN
    assert "Indikator 19" in body and "Indikator 20" not in body
    assert "The first 20 indicators are shown here" in body


def _fill(commitments, *, members: int, per_member: int) -> None:
    from members.models import Member

    for m in range(members):
        member = Member.objects.get(slug="dresden") if m == 0 else MemberFactory()
        plan = ActionPlanFactory(member=member) if m else member.plan
        for i in range(per_member):
            indicator = IndicatorFactory(plan=plan, commitment=commitments[i % 2], measure=None)
            for d in range(3):
                IndicatorValueFactory(indicator=indicator, date=dt.date(2023 + d, 1, 1))


def _counts(client) -> dict[str, int]:
    counts = {}
    for url in ("/de/members/dresden/", "/de/commitments/1/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    return counts


def test_it_runs_as_many_queries_for_many_indicators_as_for_few(client, plan, commitments):
    _fill(commitments, members=1, per_member=2)
    few = _counts(client)
    _fill(commitments, members=5, per_member=8)
    many = _counts(client)
    assert many == few, (few, many)
    # The indicators and their values are two queries on each page (the member page also finds similar members).
    assert many["/de/members/dresden/"] <= 14 and many["/de/commitments/1/"] <= 7

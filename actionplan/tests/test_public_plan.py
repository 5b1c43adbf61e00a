"""The plan as the public sees it on the member page: public measures only, SQL summary, timeline."""

import pytest

from actionplan.models import MeasureStatus
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory, MeasureUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(dresden, commitments, staff):
    plan = ActionPlanFactory(member=dresden)
    MeasureFactory(plan=plan, commitment=commitments[2], title="Beratungsstelle", status=MeasureStatus.IN_PROGRESS, progress=40)
    MeasureFactory(plan=plan, commitment=commitments[2], title="Schulungen", status=MeasureStatus.PLANNED, progress=0)
    MeasureFactory(plan=plan, commitment=commitments[7], title="Kulturfest", status=MeasureStatus.IMPLEMENTED, progress=100)
    MeasureFactory(plan=plan, commitment=commitments[4], title="Geheime Interna", is_public=False, status=MeasureStatus.PLANNED)
    MeasureFactory(plan=plan, commitment=commitments[5], title="Alte Maßnahme", status=MeasureStatus.PLANNED).retire(by=staff)
    return plan


def test_it_shows_each_commitment_with_its_public_measures_only(client, plan):
    response = client.get("/en/members/dresden/")
    groups = {c.number: [m.title for m in ms] for c, ms in response.context["commitment_groups"]}
    assert groups[3] == ["Beratungsstelle", "Schulungen"] and groups[8] == ["Kulturfest"]
    assert groups[5] == [] and groups[6] == []
    body = response.content.decode()
    assert "Geheime Interna" not in body and "Alte Maßnahme" not in body
    assert body.count('<progress class="measure-progress"') == 3
    assert 'value="40"' in body and 'class="badge badge-status-in_progress"' in body


def test_it_never_shows_internal_or_retired_measures_anywhere_public(client, plan, commitments):
    for url in ["/de/members/dresden/", "/en/members/dresden/", "/de/commitments/5/", "/de/commitments/6/", "/de/", "/de/members/"]:
        body = client.get(url).content.decode()
        assert "Geheime Interna" not in body and "Alte Maßnahme" not in body, url


def test_it_computes_the_summary_in_sql(client, plan):
    summary = client.get("/en/members/dresden/").context["summary"]
    assert summary["measures"] == 3
    assert summary["commitments_covered"] == 2
    assert dict(summary["by_status"]) == {
        "Planned": 1, "In progress": 1, "Implemented": 1, "Continuous": 0, "Discontinued": 0,
    }


def test_it_shows_the_latest_timeline_entries_of_public_measures_only(client, plan):
    public = plan.measures.get(title="Beratungsstelle")
    internal = plan.measures.get(title="Geheime Interna")
    retired = plan.measures.get(title="Alte Maßnahme")
    for day in range(1, 6):
        MeasureUpdateFactory(measure=public, date=f"2026-03-0{day}", text=f"Öffentlicher Schritt {day}")
    MeasureUpdateFactory(measure=internal, text="Interner Vermerk")
    MeasureUpdateFactory(measure=retired, text="Vermerk zur alten Maßnahme")
    body = client.get("/de/members/dresden/").content.decode()
    assert "Interner Vermerk" not in body and "Vermerk zur alten Maßnahme" not in body
    # The measure card shows its three latest entries, newest first.
    card = body.split('id="measure-%d-title"' % public.pk)[1].split("</article>")[0]
    assert card.index("Öffentlicher Schritt 5") < card.index("Öffentlicher Schritt 3")
    assert "Öffentlicher Schritt 2" not in card
    assert "Neueste Einträge zu öffentlichen Maßnahmen" in body


def test_it_keeps_the_query_count_flat_with_many_measures_and_updates(client, plan, commitments, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as few:
        client.get("/de/members/dresden/")
    for i in range(200):
        measure = MeasureFactory(plan=plan, commitment=commitments[i % 10])
        MeasureUpdateFactory(measure=measure)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/de/members/dresden/")
    assert response.content.decode().count('<progress class="measure-progress"') == 203

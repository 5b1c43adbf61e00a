import pytest

from actionplan.models import MeasureStatus
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory, MeasureUpdateFactory

pytestmark = pytest.mark.django_db


def test_it_shows_the_ten_commitments_with_their_measures_and_add_actions(client, dresden_editor, commitments, staff):
    plan = ActionPlanFactory(member=dresden_editor.assignments.get().member)
    MeasureFactory(plan=plan, commitment=commitments[2], title="Öffentlich unter 3")
    MeasureFactory(plan=plan, commitment=commitments[2], title="Intern unter 3", is_public=False)
    MeasureFactory(plan=plan, commitment=commitments[7], title="Zurückgezogen").retire(by=staff)
    client.force_login(dresden_editor)
    response = client.get("/de/dashboard/dresden/plan/")
    assert response.status_code == 200
    groups = dict((c.number, [m.title for m in ms]) for c, ms in response.context["groups"])
    assert groups[3] == ["Intern unter 3", "Öffentlich unter 3"]
    assert groups[8] == []
    assert [m.title for m in response.context["retired"]] == ["Zurückgezogen"]
    body = response.content.decode()
    for number in range(1, 11):
        assert f'href="/de/dashboard/dresden/plan/new/{number}/"' in body
    assert "intern" in body


def test_it_shows_an_empty_plan_for_a_member_without_one(client, dresden_lead, commitments):
    client.force_login(dresden_lead)
    response = client.get("/en/dashboard/dresden/plan/")
    assert response.status_code == 200
    assert response.content.decode().count("No measures under this commitment yet.") == 10


def test_it_runs_as_many_queries_for_200_measures_as_for_2(client, dresden_editor, dresden, commitments, django_assert_max_num_queries):
    plan = ActionPlanFactory(member=dresden)
    for i in range(2):
        MeasureUpdateFactory(measure=MeasureFactory(plan=plan, commitment=commitments[i]))
    client.force_login(dresden_editor)
    # Three of them for the embed code's height: the plan's figures, its counts by commitment and status, the
    # commitments (actionplan/embed_snippet.py).
    with django_assert_max_num_queries(14) as few:
        client.get("/de/dashboard/dresden/plan/")
    for i in range(198):
        measure = MeasureFactory(plan=plan, commitment=commitments[i % 10], status=MeasureStatus.PLANNED)
        if i % 3 == 0:
            MeasureUpdateFactory(measure=measure)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/de/dashboard/dresden/plan/")
    assert response.content.decode().count('class="list-group-item editor-measure"') == 200


def test_it_lists_each_commitments_indicators_with_latest_value_and_share(client, dresden_editor, commitments, staff):
    import datetime as dt
    from decimal import Decimal

    from actionplan.tests.factories import IndicatorFactory, IndicatorValueFactory

    plan = ActionPlanFactory(member=dresden_editor.assignments.get().member)
    indicator = IndicatorFactory(plan=plan, commitment=commitments[4], name="Beratungsfälle", unit="Fälle", is_public=False)
    IndicatorValueFactory(indicator=indicator, date=dt.date(2024, 3, 1), value=Decimal("70"))
    IndicatorFactory(plan=plan, commitment=commitments[4], name="Ausgemustert").retire(by=staff)
    client.force_login(dresden_editor)
    body = client.get("/en/dashboard/dresden/plan/").content.decode()
    item = body[body.index(f'id="indicator-{indicator.pk}"'):]
    item = item[: item.index("</li>")]
    # (70 − 40) ÷ (100 − 40)
    assert "Beratungsfälle" in item and "Latest value: 70 Fälle (01/03/2024)" in item and "50 % of the way to the target" in item
    assert "Ausgemustert" not in body
    for number in range(1, 11):
        assert f'href="/en/dashboard/dresden/indicators/new/?commitment={number}"' in body

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
    assert set(groups) == {3, 8}  # commitments without public measures get no section of their own
    assert [c.number for c in response.context["empty_commitments"]] == [1, 2, 4, 5, 6, 7, 9, 10]
    body = response.content.decode()
    assert body.count("No public measures yet under commitments") == 1
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


def test_it_shows_the_plan_at_a_glance_as_a_table_with_its_text_equivalent(client, plan):
    response = client.get("/en/members/dresden/")
    rows = {row.commitment.number: row for row in response.context["glance"]}
    assert len(rows) == 10
    assert rows[3].total == 2 and [(s[0], s[2]) for s in rows[3].segments] == [("planned", 1), ("in_progress", 1)]
    assert rows[5].total == 0 and rows[5].segments == []
    body = response.content.decode()
    table = body[body.index('class="table table-sm glance-table"'):]
    table = table[: table.index("</table>")]
    assert "<caption" in table and 'scope="row"' in table
    assert "1 Planned, 1 In progress" in table and "1 Implemented" in table
    assert 'aria-hidden="true"' in table  # the bar only repeats the text


def test_it_puts_jump_links_and_the_reports_before_the_long_list(client, plan):
    body = client.get("/de/members/dresden/").content.decode()
    nav = body[body.index('aria-label="Auf dieser Seite"'):]
    for target in ("#glance-heading", "#reports-heading", "#facts-heading", "#plan-heading"):
        assert f'href="{target}"' in nav[: nav.index("</nav>")]
    assert body.index('id="glance-heading"') < body.index('id="reports-heading"') < body.index('id="plan-heading"')


def test_it_never_shows_a_future_dated_entry_to_the_public(client, plan):
    import datetime as dt

    from django.utils import timezone

    public = plan.measures.get(title="Beratungsstelle")
    MeasureUpdateFactory(measure=public, date=timezone.localdate() - dt.timedelta(days=1), text="Gestern geschehen")
    # Stored before dates were checked, or by a script: the public never sees it.
    MeasureUpdateFactory(measure=public, date=dt.date(2030, 1, 1), text="Angeblich 2030")
    body = client.get("/de/members/dresden/").content.decode()
    assert "Gestern geschehen" in body and "Angeblich 2030" not in body


def test_it_marks_german_text_on_english_pages(client, plan, dresden):
    dresden.admission_note = "Mitglied gemäß einem Beschluss des Stadtrates."
    dresden.lead_department = "Bürgermeisteramt"
    dresden.save()
    english = client.get("/en/members/dresden/").content.decode()
    assert '<span lang="de">Mitglied gemäß einem Beschluss des Stadtrates.</span> <span class="language-note' in english
    assert "(in German)" in english
    german = client.get("/de/members/dresden/").content.decode()
    assert "language-note" not in german.split('id="facts-heading"')[1].split("</dl>")[0]

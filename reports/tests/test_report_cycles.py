"""Report cycles: indicators frozen into the snapshot, the public comparison of two published reports, and the
secretariat's view of what changed in a resubmitted report."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplan.models import MeasureStatus
from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory, MeasureFactory
from reports.models import ReportStatus, ReportTransition
from reports.services import report_create
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def deliver(report, *, lead, staff, publish=True):
    report.submit(by=lead)
    report.accept(by=staff)
    if publish:
        report.publish(by=staff)
    report.refresh_from_db()
    return report


def schema_1(number=3, measures=()):
    return {
        "schema": 1, "taken_at": "2021-01-15T10:00:00+00:00", "period": {"start": "2019-01-01", "end": "2020-12-31"},
        "commitments": [{"number": number, "title_de": "Verpflichtung", "title_en": "Commitment", "measures": list(measures)}],
    }


@pytest.fixture
def plan_with_indicator(dresden, commitments):
    plan = ActionPlanFactory(member=dresden)
    counselling = MeasureFactory(plan=plan, commitment=commitments[2], title="Beratungsstelle", status=MeasureStatus.IN_PROGRESS, progress=40)
    training = MeasureFactory(plan=plan, commitment=commitments[2], title="Schulungen", status=MeasureStatus.PLANNED, progress=None)
    indicator = IndicatorFactory(
        plan=plan, commitment=commitments[2], name="Beratungsfälle pro Jahr", unit="Fälle",
        baseline_value=Decimal("40"), baseline_date=dt.date(2022, 1, 1),
        target_value=Decimal("100"), target_date=dt.date(2027, 12, 31),
    )
    for date, value in [(dt.date(2022, 6, 30), 52), (dt.date(2023, 6, 30), 61), (dt.date(2024, 6, 30), 70)]:
        IndicatorValueFactory(indicator=indicator, date=date, value=Decimal(value), source="Jahresbericht")
    # Not in any report: internal, retired, and of an internal measure.
    IndicatorFactory(plan=plan, commitment=commitments[2], name="Intern", is_public=False)
    IndicatorFactory(plan=plan, commitment=commitments[2], name="Ausgemustert", retired_at=timezone.now())
    hidden = MeasureFactory(plan=plan, commitment=commitments[2], is_public=False)
    IndicatorFactory(plan=plan, commitment=commitments[2], measure=hidden, name="Einer internen Maßnahme")
    return {"plan": plan, "counselling": counselling, "training": training, "indicator": indicator}


def test_it_freezes_the_periods_indicator_values_into_the_snapshot(dresden, dresden_lead, staff, plan_with_indicator):
    indicator = plan_with_indicator["indicator"]
    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), by=dresden_lead)
    deliver(report, lead=dresden_lead, staff=staff)
    assert report.snapshot["schema"] == 2
    group = next(c for c in report.snapshot["commitments"] if c["number"] == 3)
    assert [i["name"] for i in group["indicators"]] == ["Beratungsfälle pro Jahr"]
    frozen = group["indicators"][0]
    assert frozen["id"] == indicator.pk and frozen["unit"] == "Fälle" and frozen["measure_id"] is None
    assert frozen["baseline"] == {"date": "2022-01-01", "value": "40.00"}
    assert frozen["target"] == {"date": "2027-12-31", "value": "100.00"}
    assert frozen["values"] == [{"date": "2023-06-30", "value": "61.00", "source": "Jahresbericht"}]  # within the period only
    assert frozen["latest"] == {"date": "2023-06-30", "value": "61.00"}
    assert frozen["share_percent"] == 35  # (61 - 40) / (100 - 40), with the shared formula

    # Later values do not alter the frozen report.
    IndicatorValueFactory(indicator=indicator, date=dt.date(2023, 12, 1), value=Decimal("99"))
    report.refresh_from_db()
    assert next(c for c in report.snapshot["commitments"] if c["number"] == 3)["indicators"][0]["latest"]["value"] == "61.00"


def test_it_knows_the_value_then_even_if_none_falls_into_the_period(dresden, dresden_lead, plan_with_indicator):
    report = report_create(member=dresden, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31), by=dresden_lead)
    report.submit(by=dresden_lead)
    frozen = next(c for c in report.snapshot["commitments"] if c["number"] == 3)["indicators"][0]
    assert frozen["values"] == [] and frozen["latest"] == {"date": "2024-06-30", "value": "70.00"} and frozen["share_percent"] == 50


def test_it_files_a_measures_indicator_under_its_commitment_with_the_measure(dresden, dresden_lead, plan_with_indicator, commitments):
    measure = plan_with_indicator["training"]
    IndicatorFactory(plan=plan_with_indicator["plan"], commitment=commitments[2], measure=measure, name="Geschulte Beschäftigte",
                     target_value=None, target_date=None)
    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), by=dresden_lead)
    report.submit(by=dresden_lead)
    frozen = {i["name"]: i for i in next(c for c in report.snapshot["commitments"] if c["number"] == 3)["indicators"]}
    assert frozen["Geschulte Beschäftigte"]["measure_id"] == measure.pk
    assert frozen["Geschulte Beschäftigte"]["measure_title"] == "Schulungen"
    assert frozen["Geschulte Beschäftigte"]["target"] is None and frozen["Geschulte Beschäftigte"]["share_percent"] is None


def test_it_shows_the_frozen_indicators_on_the_report_page_the_preview_and_the_pdf(client, dresden, dresden_lead, staff, plan_with_indicator):
    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), by=dresden_lead)
    client.force_login(dresden_lead)
    for url in (reverse("reports:edit", args=["dresden", report.pk]), reverse("reports:review", args=["dresden", report.pk])):
        body = client.get(url).content.decode()
        assert "Beratungsfälle pro Jahr" in body and "report-indicators" in body and "Intern" not in body, url
    deliver(report, lead=dresden_lead, staff=staff)
    client.logout()
    body = client.get(f"/en/reports/{report.pk}/").content.decode()
    assert "Beratungsfälle pro Jahr" in body and "35 %" in body and "Ausgemustert" not in body
    response = client.get(reverse("reports:pdf", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_it_still_renders_a_schema_1_snapshot_without_indicators(client, dresden, commitments):
    old = ReportFactory(
        member=dresden, status=ReportStatus.PUBLISHED, published_at=timezone.now(), submitted_at=timezone.now(),
        snapshot=schema_1(measures=[{"id": 1, "title": "Alte Maßnahme", "status": "planned", "progress": None, "responsible_unit": "", "updates": []}]),
    )
    body = client.get(f"/en/reports/{old.pk}/").content.decode()
    assert "Alte Maßnahme" in body and "report-indicators" not in body
    assert client.get(reverse("reports:pdf", args=[old.pk])).status_code == 200


def test_it_compares_two_published_reports_of_one_member_end_to_end(client, dresden, dresden_lead, staff, plan_with_indicator, commitments):
    """The done-when: an indicator with baseline, target and three values is in the report's snapshot, and the
    next report compares with it per commitment."""
    first = deliver(report_create(member=dresden, start=dt.date(2022, 1, 1), end=dt.date(2023, 12, 31), by=dresden_lead), lead=dresden_lead, staff=staff)
    assert client.get(f"/en/reports/{first.pk}/").content.decode().count(reverse("reports:compare", args=[first.pk])) == 0
    assert client.get(reverse("reports:compare", args=[first.pk])).status_code == 404  # nothing earlier

    counselling, training = plan_with_indicator["counselling"], plan_with_indicator["training"]
    counselling.status, counselling.progress = MeasureStatus.IMPLEMENTED, 100
    counselling.save()
    training.retired_at = timezone.now()
    training.save()
    MeasureFactory(plan=plan_with_indicator["plan"], commitment=commitments[4], title="Neues Monitoring", status=MeasureStatus.PLANNED)
    second = deliver(report_create(member=dresden, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead), lead=dresden_lead, staff=staff)

    detail = client.get(f"/en/reports/{second.pk}/").content.decode()
    assert reverse("reports:compare", args=[second.pk]) in detail
    response = client.get(f"/en/reports/{second.pk}/compare/")
    assert response.status_code == 200
    comparison = response.context["comparison"]
    three = next(c for c in comparison.commitments if c.number == 3)
    assert [m.title for m in three.finished] == ["Beratungsstelle"]
    assert [m.title for m in three.gone] == ["Schulungen"]
    assert [m.title for m in next(c for c in comparison.commitments if c.number == 5).added] == ["Neues Monitoring"]
    (row,) = three.indicators
    assert (row.then["value"], row.now["value"], row.then_share, row.now_share) == (Decimal("61"), Decimal("70"), 35, 50)
    body = response.content.decode()
    for text in ["Beratungsstelle", "Schulungen", "Neues Monitoring", "Beratungsfälle pro Jahr", "61", "70", "+9", "35 %", "50 %"]:
        assert text in body, text
    # A measure that is still public links to its page; the retired one stays plain text, never a link to a 404.
    assert f'<a href="/en/members/dresden/measures/{counselling.pk}/" lang="de">Beratungsstelle</a>' in body
    assert f"/measures/{training.pk}/" not in body
    # Live data changed after the second report do not alter the comparison: both sides are snapshots.
    counselling.title = "Umbenannt"
    counselling.save()
    assert "Umbenannt" not in client.get(f"/en/reports/{second.pk}/compare/").content.decode()


@pytest.fixture
def two_cycles(dresden, commitments):
    measures = [{"id": 1, "title": "Alte Maßnahme", "status": "planned", "progress": None, "responsible_unit": "", "updates": []}]
    old = ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, published_at=timezone.now(), period_start=dt.date(2019, 1, 1),
                        period_end=dt.date(2020, 12, 31), snapshot=schema_1(measures=measures))
    new_measures = [{**measures[0], "status": "implemented", "progress": 100}]
    new = ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, published_at=timezone.now(), period_start=dt.date(2021, 1, 1),
                        period_end=dt.date(2022, 12, 31), snapshot={**schema_1(measures=new_measures), "schema": 2})
    return old, new


def test_it_compares_with_a_schema_1_report(client, two_cycles):
    old, new = two_cycles
    response = client.get(f"/en/reports/{new.pk}/compare/")
    assert response.status_code == 200 and response.context["other"] == old
    assert not response.context["comparison"].old_has_indicators
    assert "Alte Maßnahme" in response.content.decode()


def test_it_compares_with_any_earlier_published_report_of_the_member_chosen(client, dresden, two_cycles):
    old, new = two_cycles
    middle = ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, published_at=timezone.now(), period_start=dt.date(2020, 6, 1),
                           period_end=dt.date(2020, 12, 31), snapshot=schema_1())
    assert client.get(f"/en/reports/{new.pk}/compare/").context["other"] == middle  # the previous one by default
    response = client.get(f"/en/reports/{new.pk}/compare/?with={old.pk}")
    assert response.context["other"] == old and 'id="compare-with"' in response.content.decode()


def test_it_refuses_what_cannot_be_compared(client, dresden, duesseldorf, two_cycles):
    old, new = two_cycles
    foreign = ReportFactory(member=duesseldorf, status=ReportStatus.PUBLISHED, period_start=dt.date(2017, 1, 1),
                            period_end=dt.date(2018, 12, 31), snapshot=schema_1())
    unpublished = ReportFactory(member=dresden, status=ReportStatus.ACCEPTED, period_start=dt.date(2017, 1, 1),
                                period_end=dt.date(2018, 12, 31), snapshot=schema_1())
    no_snapshot = ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, period_start=dt.date(2015, 1, 1),
                                period_end=dt.date(2016, 12, 31))
    url = f"/en/reports/{new.pk}/compare/"
    for query in [f"?with={foreign.pk}", f"?with={unpublished.pk}", f"?with={no_snapshot.pk}", f"?with={new.pk}", "?with=x1", "?with=999999"]:
        assert client.get(url + query).status_code == 404, query
    assert client.get(f"/en/reports/{old.pk}/compare/?with={new.pk}").status_code == 404  # later, not earlier
    assert client.get(f"/en/reports/{old.pk}/compare/").status_code == 404  # none before it
    assert client.get(f"/en/reports/{unpublished.pk}/compare/").status_code == 404
    assert client.get(f"/en/reports/{no_snapshot.pk}/compare/").status_code == 404


def test_it_keeps_the_compare_page_queries_flat(client, dresden, dresden_lead, staff, commitments, django_assert_max_num_queries):
    plan = ActionPlanFactory(member=dresden)
    for i in range(60):
        measure = MeasureFactory(plan=plan, commitment=commitments[i % 10])
        indicator = IndicatorFactory(plan=plan, commitment=commitments[i % 10], measure=measure if i % 2 else None)
        IndicatorValueFactory(indicator=indicator, date=dt.date(2023, 3, 1), value=Decimal(50 + i % 7))
        IndicatorValueFactory(indicator=indicator, date=dt.date(2024, 3, 1), value=Decimal(60 + i % 7))
    first = deliver(report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), by=dresden_lead), lead=dresden_lead, staff=staff)
    for n in range(4):
        ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, period_start=dt.date(2010 + 2 * n, 1, 1),
                      period_end=dt.date(2011 + 2 * n, 12, 31), snapshot=schema_1())
    plan.measures.update(status=MeasureStatus.IMPLEMENTED, progress=100)
    second = deliver(report_create(member=dresden, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead), lead=dresden_lead, staff=staff)
    with django_assert_max_num_queries(6):  # one of them: which compared measures still have a public page
        response = client.get(f"/en/reports/{second.pk}/compare/?with={first.pk}")
    assert response.context["comparison"].totals()["finished"] == 60
    assert response.content.decode().count('<a href="/en/members/dresden/measures/') == 60
    assert sum(len(c.indicators) for c in response.context["comparison"].commitments) == 60
    with django_assert_max_num_queries(7):
        assert client.get(f"/en/reports/{second.pk}/").status_code == 200


# --- The secretariat's view of a resubmitted report -------------------------------------------------------------


@pytest.fixture
def resubmitted(dresden, dresden_lead, staff, plan_with_indicator, commitments):
    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), by=dresden_lead)
    report.save_draft(expected_version=report.version, title="Bericht 2023", summary="Erste Fassung", narratives={3: "Beratung begonnen"})
    report.submit(by=dresden_lead)
    report.return_to_member(by=staff, feedback="Bitte die Zahlen ergänzen.")
    counselling = plan_with_indicator["counselling"]
    counselling.progress = 70
    counselling.save()
    IndicatorValueFactory(indicator=plan_with_indicator["indicator"], date=dt.date(2023, 11, 30), value=Decimal("66"))
    report.refresh_from_db()
    report.save_draft(expected_version=report.version, title="Bericht 2023", summary="Zweite Fassung mit Zahlen", narratives={3: "Beratung ausgebaut"})
    report.submit(by=dresden_lead)
    return report


def test_it_keeps_each_submission_on_its_transition(resubmitted):
    first, second = resubmitted.transitions.filter(to_status=ReportStatus.SUBMITTED).order_by("at")
    assert first.submission["texts"]["summary"] == "Erste Fassung" and first.submission["texts"]["3"] == "Beratung begonnen"
    assert second.submission["snapshot"] == resubmitted.snapshot
    assert resubmitted.previous_submission() == first


def test_it_shows_the_secretariat_what_changed_since_the_report_was_returned(client, staff, resubmitted):
    client.force_login(staff)
    response = client.get(reverse("admin:reports_implementationreport_change", args=[resubmitted.pk]))
    assert response.status_code == 200
    comparison = response.context["since_returned"]
    three = next(c for c in comparison.commitments if c.number == 3)
    assert [(m.title, m.old_progress, m.new_progress) for m in three.changed] == [("Beratungsstelle", 40, 70)]
    assert [(i.then["value"], i.now["value"]) for i in three.indicators] == [(Decimal("61"), Decimal("66"))]
    assert [t["key"] for t in response.context["texts_changed"]] == ["summary", "3"]
    body = response.content.decode()
    assert "since-returned" in body and "Erste Fassung" in body and "Beratung ausgebaut" in body
    assert 'id="compare-3-heading"' in body and 'id="compare-1-heading"' not in body  # only what changed


def test_it_shows_no_comparison_for_a_first_submission(client, staff, dresden, dresden_lead, plan_with_indicator):
    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), by=dresden_lead)
    report.submit(by=dresden_lead)
    client.force_login(staff)
    body = client.get(reverse("admin:reports_implementationreport_change", args=[report.pk])).content.decode()
    assert "since-returned" not in body


def test_it_says_so_when_the_earlier_submission_was_not_kept(client, staff, resubmitted):
    ReportTransition.objects.filter(pk=resubmitted.previous_submission().pk).update(submission=None)  # as before they were kept
    client.force_login(staff)
    response = client.get(reverse("admin:reports_implementationreport_change", args=[resubmitted.pk]))
    assert response.context["since_returned"] is None and "since-returned" in response.content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "dresden_editor", "dresden_lead", "bare_staff", "viewer"])
def test_it_shows_what_changed_only_to_reviewers(client, request, resubmitted, persona):
    from django.contrib.auth.models import Permission

    from members.tests.factories import UserFactory

    if persona == "viewer":
        # Staff who may read reports in the admin but not review them.
        user = UserFactory(username="report-reader", is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="view_implementationreport"))
    elif persona != "anonymous":
        user = request.getfixturevalue(persona)
    if persona != "anonymous":
        client.force_login(user)
    response = client.get(reverse("admin:reports_implementationreport_change", args=[resubmitted.pk]))
    if persona == "viewer":
        assert response.status_code == 200 and "since-returned" not in response.content.decode()
    else:
        assert response.status_code in (302, 403)
        assert b"Erste Fassung" not in response.content


def test_it_shows_the_documents_added_and_removed_since_the_report_was_returned(
    client, staff, dresden, dresden_lead, plan_with_indicator, settings, tmp_path
):
    """Finding: the PDF the town added on the secretariat's request was missing from "what changed"."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.tests.pdfs import make_pdf

    settings.MEDIA_ROOT = tmp_path

    def upload(title, language):
        return report.add_document(file=SimpleUploadedFile("x.pdf", make_pdf(title), "application/pdf"), language=language,
                                   title=title, by=dresden_lead)

    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), by=dresden_lead)
    kept, dropped = upload("Bericht 2023", "de"), upload("Entwurf (alt)", "de")
    report.submit(by=dresden_lead)
    report.return_to_member(by=staff, feedback="Bitte die englische Fassung anhängen.")
    report.refresh_from_db()
    report.remove_document(document=dropped, by=dresden_lead)
    upload("Report 2023", "en")
    report.submit(by=dresden_lead)
    assert [d["title"] for d in report.previous_submission().submission["documents"]] == ["Bericht 2023", "Entwurf (alt)"]

    client.force_login(staff)
    response = client.get(reverse("admin:reports_implementationreport_change", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="en")
    changes = response.context["documents_changed"]
    assert [(d["title"], d["language"]) for d in changes["added"]] == [("Report 2023", "en")]
    assert [(d["title"], d["language"]) for d in changes["removed"]] == [("Entwurf (alt)", "de")]
    assert changes["changed"] == [] and kept.pk not in [d["id"] for d in changes["added"] + changes["removed"]]
    body = response.content.decode()
    assert 'Added: <span lang="en">Report 2023</span> (EN)' in body
    assert 'Removed: <span lang="de">Entwurf (alt)</span> (DE)' in body


def test_it_says_so_when_the_earlier_submission_kept_no_documents(client, staff, resubmitted):
    earlier = resubmitted.previous_submission()
    earlier.submission.pop("documents")
    ReportTransition.objects.filter(pk=earlier.pk).update(submission=earlier.submission)  # as kept before documents were
    client.force_login(staff)
    response = client.get(reverse("admin:reports_implementationreport_change", args=[resubmitted.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["documents_changed"] is None
    assert "The documents of the earlier submission were not kept" in response.content.decode()

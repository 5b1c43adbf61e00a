"""The admin history's restore goes through the versioning path and leaves lifecycle fields alone, or is absent."""

import pytest
from django.urls import reverse

from actionplan.tests.factories import MeasureFactory
from reports.models import ImplementationReport, ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def _restore_data(response) -> dict:
    form = response.context["adminform"].form
    return {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}


def test_it_offers_no_restore_of_a_report_and_refuses_a_forged_one(client, superuser, dresden):
    report = ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, summary="Veröffentlicht")
    state = report.history.first()
    ImplementationReport.objects.filter(pk=report.pk).update(summary="Später")
    client.force_login(superuser)
    url = reverse("admin:reports_implementationreport_simple_history", args=[report.pk, state.history_id])
    page = client.get(url)
    assert page.status_code == 200 and page.context["revert_disabled"] is True
    assert client.post(url, {"summary": "Veröffentlicht", "status": "draft", "version": report.version}).status_code == 403
    report.refresh_from_db()
    assert (report.summary, report.status) == ("Später", ReportStatus.PUBLISHED)


def test_it_restores_a_measures_text_but_not_its_retirement(client, superuser):
    measure = MeasureFactory(title="Erster Titel")
    before_retiring = measure.history.first()
    measure.retire(by=superuser)
    type(measure).objects.filter(pk=measure.pk).update(title="Zweiter Titel")
    client.force_login(superuser)
    url = reverse("admin:actionplan_measure_simple_history", args=[measure.pk, before_retiring.history_id])
    page = client.get(url)
    response = client.post(url, _restore_data(page))
    assert response.status_code == 302, response.context["adminform"].form.errors
    measure.refresh_from_db()
    assert measure.title == "Erster Titel" and measure.retired_at is not None
    assert measure.history.first().history_user == superuser


def test_it_refuses_a_restore_based_on_an_old_version(client, superuser):
    measure = MeasureFactory(title="Erster Titel")
    state = measure.history.first()
    client.force_login(superuser)
    url = reverse("admin:actionplan_measure_simple_history", args=[measure.pk, state.history_id])
    data = _restore_data(client.get(url))
    measure.retire(by=superuser)  # someone else moves the version on meanwhile
    response = client.post(url, data)
    assert response.status_code == 200 and "jemand anderes" in response.content.decode().lower()

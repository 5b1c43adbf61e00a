"""Errata: a correction after publication is recorded with author, reason and date, added by the secretariat in the
admin, never changed afterwards, and shown on the public report page and in its PDF."""

import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from core.tests.permissions import ADMIN_LOGIN, PERSONAS, assert_outcome
from reports.models import ReportErratum, ReportStatus, ReportTransitionError
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

ERRATA = "/admin/reports/reporterratum/"
ADD = ERRATA + "add/"


@pytest.fixture
def published(dresden):
    return ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, published_at=timezone.now(), submitted_at=timezone.now(),
                         title="Bericht 2023/24")


def erratum_data(report, **fields) -> dict:
    return {"report": report.pk, "text": "Auf Seite 4 muss es 70 statt 7 Beratungsfälle heißen.",
            "reason": "Tippfehler im eingereichten Bericht.", "language": "de", "corrects": "", **fields}


def test_it_records_an_erratum_with_author_date_and_history(client, staff, published):
    client.force_login(staff)
    page = client.get(f"{ADD}?report={published.pk}")
    assert page.status_code == 200 and 'name="text"' in page.content.decode()
    response = client.post(ADD, erratum_data(published))
    assert response.status_code == 302
    erratum = ReportErratum.objects.get()
    assert (erratum.report, erratum.created_by, erratum.language) == (published, staff, "de")
    assert erratum.text.startswith("Auf Seite 4") and erratum.reason == "Tippfehler im eingereichten Bericht."
    assert timezone.now() - erratum.created_at < timezone.timedelta(minutes=1)
    assert [(h.history_type, h.history_user) for h in erratum.history.all()] == [("+", staff)]
    # Nothing of the report itself changed.
    published.refresh_from_db()
    assert (published.status, published.version, published.title) == (ReportStatus.PUBLISHED, 1, "Bericht 2023/24")


def test_it_offers_the_erratum_on_a_published_reports_page_and_lists_it_there(client, staff, published):
    client.force_login(staff)
    change = reverse("admin:reports_implementationreport_change", args=[published.pk])
    assert f'href="{ADD}?report={published.pk}"' in client.get(change).content.decode()
    published.add_erratum(text="Korrigierte Zahl", reason="Tippfehler", by=staff)
    body = client.get(change).content.decode()
    assert "Korrigierte Zahl" in body and 'name="errata-0-text"' not in body  # listed, not editable
    draft = ReportFactory(member=published.member, period_start=published.period_start.replace(year=2019),
                          period_end=published.period_end.replace(year=2020))
    assert ADD not in client.get(reverse("admin:reports_implementationreport_change", args=[draft.pk])).content.decode()


@pytest.mark.parametrize("status", [ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.ACCEPTED])
def test_it_refuses_an_erratum_for_a_report_that_is_not_published(client, staff, dresden, status):
    report = ReportFactory(member=dresden, status=status)
    client.force_login(staff)
    response = client.post(ADD, erratum_data(report), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Only a published report can be corrected by an erratum." in response.content.decode()
    assert not ReportErratum.objects.exists()
    with pytest.raises(ReportTransitionError):
        report.add_erratum(text="x", reason="y", by=staff)


def test_it_asks_for_the_correction_and_the_reason_and_keeps_what_was_typed(client, staff, published):
    client.force_login(staff)
    response = client.post(ADD, erratum_data(published, reason=""), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["reason"]
    assert "70 statt 7 Beratungsfälle" in response.content.decode()
    response = client.post(ADD, erratum_data(published, text="x" * 5001), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "text" in response.context["adminform"].form.errors
    assert not ReportErratum.objects.exists()


@pytest.mark.parametrize("persona", ["staff", "superuser"])
def test_it_never_changes_or_deletes_an_erratum(client, request, published, staff, persona):
    erratum = published.add_erratum(text="Korrigierte Zahl", reason="Tippfehler", by=staff)
    client.force_login(request.getfixturevalue(persona))
    change = f"{ERRATA}{erratum.pk}/change/"
    page = client.get(change).content.decode()
    assert page and 'name="text"' not in page and 'name="_save"' not in page
    assert client.post(change, erratum_data(published, text="Umgeschrieben")).status_code == 403
    assert client.post(f"{ERRATA}{erratum.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(ERRATA, {"action": "delete_selected", "_selected_action": [erratum.pk], "post": "yes"})
    history = reverse("admin:reports_reporterratum_simple_history", args=[erratum.pk, erratum.history.get().history_id])
    assert client.post(history, erratum_data(published, text="Umgeschrieben")).status_code == 403
    assert list(ReportErratum.objects.values_list("text", flat=True)) == ["Korrigierte Zahl"]
    # Nor in code: a mistake in an erratum is corrected by a new one.
    erratum.text = "Umgeschrieben"
    with pytest.raises(ReportTransitionError):
        erratum.save()
    with pytest.raises(ReportTransitionError):
        erratum.delete()
    assert ReportErratum.objects.get().text == "Korrigierte Zahl"


def test_it_corrects_an_erratum_with_a_new_one_of_the_same_report_only(client, staff, published, duesseldorf):
    first = published.add_erratum(text="70 Fälle", reason="Tippfehler", by=staff)
    other = ReportFactory(member=duesseldorf, status=ReportStatus.PUBLISHED, published_at=timezone.now())
    foreign = other.add_erratum(text="Andere Stadt", reason="x", by=staff)
    client.force_login(staff)
    page = client.get(f"{ADD}?report={published.pk}").content.decode()
    assert f'value="{first.pk}"' in page and f'value="{foreign.pk}"' not in page  # only this report's errata
    response = client.post(ADD, erratum_data(published, corrects=foreign.pk))
    assert response.status_code == 200 and "corrects" in response.context["adminform"].form.errors
    response = client.post(ADD, erratum_data(published, text="Richtig sind 71 Fälle.", corrects=first.pk))
    assert response.status_code == 302
    assert ReportErratum.objects.get(text="Richtig sind 71 Fälle.").corrects == first
    with pytest.raises(ReportTransitionError):
        published.add_erratum(text="x", reason="y", corrects=foreign, by=staff)


def test_it_lets_no_coordinator_add_an_erratum_in_code(published, dresden_lead):
    with pytest.raises(ReportTransitionError):
        published.add_erratum(text="x", reason="y", by=dresden_lead)
    assert not ReportErratum.objects.exists()


EXPECTED = {"anonymous": ADMIN_LOGIN, "outsider": ADMIN_LOGIN, "dresden_editor": ADMIN_LOGIN, "dresden_lead": ADMIN_LOGIN,
            "bare_staff": 403, "staff": 200, "superuser": 200}


@pytest.mark.parametrize("persona", [*PERSONAS, "superuser"])
def test_it_lets_only_the_secretariat_and_superusers_add_errata(client, request, published, staff, persona):
    existing = published.add_erratum(text="Erste Korrektur", reason="Tippfehler", by=staff)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    for url in (ERRATA, ADD, f"{ERRATA}{existing.pk}/change/"):
        assert_outcome(client.get(url), EXPECTED[persona], (url, persona))
    response = client.post(ADD, erratum_data(published, text="Zweite Korrektur"))
    assert_outcome(response, 302 if persona in ("staff", "superuser") else EXPECTED[persona], ("add", persona))
    assert ReportErratum.objects.filter(text="Zweite Korrektur").exists() == (persona in ("staff", "superuser"))


def test_it_shows_the_errata_on_the_public_page_and_in_the_pdf(client, published, staff):
    first = published.add_erratum(text="Es waren 70 Beratungsfälle.", reason="Tippfehler im Bericht.", by=staff)
    published.add_erratum(text="Correct figure: 71 cases.", reason="Counted again.", language="en", corrects=first, by=staff)
    body = client.get(f"/en/reports/{published.pk}/").content.decode()
    with translation.override("en"):
        today = date_format(timezone.localdate(), "DATE_FORMAT")
    assert 'id="errata-heading"' in body and f"Correction of {today}" in body
    assert '<div lang="de"><p>Es waren 70 Beratungsfälle.</p></div>' in body and "Tippfehler im Bericht." in body
    assert f'<a href="#erratum-{first.pk}">corrects the erratum of {today}</a>' in body and '<div lang="en"><p>Correct figure: 71 cases.</p></div>' in body
    assert body.index("Es waren 70") < body.index("Correct figure")
    pdf = client.get(f"/en/reports/{published.pk}/report.pdf")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Errata" in text and "Es waren 70 Beratungsfälle." in text and "Correct figure: 71 cases." in text
    assert "Counted again." in text


def test_it_shows_no_errata_section_without_errata_and_keeps_the_query_count_flat(
    client, published, staff, django_assert_max_num_queries
):
    assert 'id="errata-heading"' not in client.get(f"/de/reports/{published.pk}/").content.decode()
    published.add_erratum(text="Eins", reason="Grund", by=staff)
    with django_assert_max_num_queries(8) as one:
        client.get(f"/de/reports/{published.pk}/")
    for n in range(5):
        published.add_erratum(text=f"Korrektur {n}", reason="Grund", corrects=ReportErratum.objects.last(), by=staff)
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get(f"/de/reports/{published.pk}/").content.decode()
    assert "Korrektur 4" in body and "Berichtigung vom" in body

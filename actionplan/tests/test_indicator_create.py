"""Adding an indicator to a commitment or to a measure of the plan; clear messages for bad input."""

import datetime as dt
from decimal import Decimal

import pytest

from actionplan.models import Indicator
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory

pytestmark = pytest.mark.django_db


def url(lang="de", **query) -> str:
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/{lang}/dashboard/dresden/indicators/new/?{params}"


def data(**overrides) -> dict:
    return {"name": "Beratungsfälle pro Jahr", "unit": "Fälle", "description": "", "baseline_value": "40",
            "baseline_date": "2022-01-01", "target_value": "100", "target_date": "2027-12-31", "version": "1", **overrides}


def test_it_adds_an_indicator_under_a_commitment_with_a_german_decimal_comma(client, dresden, commitments, dresden_editor):
    client.force_login(dresden_editor)
    assert "<h1>New indicator</h1>" in client.get(url("en", commitment=3)).content.decode()
    response = client.post(url(commitment=3), data(baseline_value="12,5"))
    indicator = Indicator.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/de/dashboard/dresden/indicators/{indicator.pk}/#values-heading"
    assert (indicator.commitment, indicator.measure, indicator.plan.member) == (commitments[2], None, dresden)
    assert indicator.baseline_value == Decimal("12.5") and indicator.target_date == dt.date(2027, 12, 31)
    assert indicator.is_public is False  # new indicators start internal
    assert indicator.history.get().history_user == dresden_editor


def test_it_files_a_measures_indicator_under_the_measures_commitment(client, dresden, commitments, dresden_lead):
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[6])
    client.force_login(dresden_lead)
    measure_page = client.get(f"/en/dashboard/dresden/measures/{measure.pk}/").content.decode()
    assert f'href="/en/dashboard/dresden/indicators/new/?measure={measure.pk}"' in measure_page
    assert measure.title in client.get(url(measure=measure.pk)).content.decode()
    assert client.post(url("en", measure=measure.pk), data(baseline_value="12.5")).status_code == 302
    indicator = Indicator.objects.get()
    assert (indicator.measure, indicator.commitment, indicator.baseline_value) == (measure, commitments[6], Decimal("12.5"))
    assert indicator.name in client.get(f"/en/dashboard/dresden/measures/{measure.pk}/").content.decode()


def test_it_refuses_another_members_measure_and_a_missing_target(client, dresden, duesseldorf, commitments, dresden_editor):
    foreign = MeasureFactory(plan=ActionPlanFactory(member=duesseldorf), commitment=commitments[0])
    client.force_login(dresden_editor)
    assert client.get(url(measure=foreign.pk)).status_code == 404
    assert client.get(url()).status_code == 404
    assert client.get(url(commitment=11)).status_code == 404


def test_it_explains_a_target_without_a_date_and_keeps_the_form(client, dresden, commitments, dresden_editor):
    client.force_login(dresden_editor)
    response = client.post(url("en", commitment=1), data(target_date=""))
    assert response.status_code == 400
    body = response.content.decode()
    assert "A target needs the date by which it is to be reached." in body
    assert 'value="Beratungsfälle pro Jahr"' in body
    assert not Indicator.objects.exists()


def test_it_explains_a_figure_that_is_not_a_number(client, dresden, commitments, dresden_editor):
    client.force_login(dresden_editor)
    response = client.post(url("en", commitment=1), data(baseline_value="vierzig", target_value="1,5"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a number such as 1,234.5 or 12.5." in body
    assert "“1,5” is not a number as written here: a comma groups thousands in threes (1,234)" in body
    assert 'value="vierzig"' in body and 'value="1,5"' in body
    assert not Indicator.objects.exists()


@pytest.mark.parametrize(
    ("lang", "baseline", "target"), [("de", "1.234,5", "566.222"), ("de", "1234,5", "566222"), ("en", "1,234.5", "566,222")]
)
def test_it_takes_figures_with_thousands_as_the_language_writes_them(client, dresden, commitments, dresden_editor, lang, baseline, target):
    client.force_login(dresden_editor)
    response = client.post(url(lang, commitment=3), data(baseline_value=baseline, target_value=target))
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert (indicator.baseline_value, indicator.target_value) == (Decimal("1234.5"), Decimal("566222"))


@pytest.mark.parametrize(
    ("lang", "typed", "message"),
    [
        # German: a point groups thousands, a comma separates decimals; "1,234" is one point two three four.
        ("de", "1,234", "Geben Sie höchstens 2 Nachkommastellen ein, z. B. 12,25."),
        ("de", "1.5", "„1.5“ ist keine Zahl, wie man sie hier schreibt: Der Punkt trennt Tausender in Dreiergruppen (1.234)"),
        ("en", "1.234", "Enter at most 2 decimal places, e.g. 12.25."),
    ],
)
def test_it_reads_an_ambiguous_figure_by_the_pages_language(client, dresden, commitments, dresden_editor, lang, typed, message):
    client.force_login(dresden_editor)
    response = client.post(url(lang, commitment=3), data(baseline_value=typed))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and f'value="{typed}"' in body
    assert not Indicator.objects.exists()


def test_it_names_a_baseline_date_that_does_not_exist(client, dresden, commitments, dresden_editor):
    client.force_login(dresden_editor)
    response = client.post(url(commitment=3), data(baseline_date="2022-02-29"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Diesen Tag gibt es nicht: Der Februar 2022 hat 28 Tage." in body and 'value="2022-02-29"' in body


def test_it_explains_a_target_date_before_the_baseline(client, dresden, commitments, dresden_editor):
    client.force_login(dresden_editor)
    response = client.post(url("en", commitment=1), data(target_date="2021-01-01"))
    assert response.status_code == 400
    assert "The target date must be after the baseline date." in response.content.decode()


def test_it_saves_a_form_sent_twice_once(client, dresden, commitments, dresden_editor):
    client.force_login(dresden_editor)
    token = "7a1e3c1e-86a4-4a47-8a3c-9b4a5a2b9d10"
    first = client.post(url(commitment=2), data(form_token=token))
    second = client.post(url(commitment=2), data(form_token=token))
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Indicator.objects.count() == 1

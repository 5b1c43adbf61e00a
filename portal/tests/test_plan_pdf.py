"""A member's plan as a PDF rendered on the server: what the page shows, links written out, nothing fetched."""

import io

import pypdf
import pytest
import weasyprint

from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
from core.pdf import ExternalFetchRefused, no_fetching
from members.models import MemberStatus
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize(("lang", "heading"), [("de", "Aktionsplan der Landeshauptstadt Dresden"), ("en", "Action plan of Landeshauptstadt Dresden")])
def test_it_renders_the_plan_with_its_public_measures_and_written_out_links(client, seeded, commitments, lang, heading):
    from members.models import Member

    plan = ActionPlanFactory(member=Member.objects.get(slug="dresden"))
    MeasureFactory(plan=plan, commitment=commitments[2], title="Beratungsstelle bekannt machen")
    MeasureFactory(plan=plan, commitment=commitments[2], title="Interne Abstimmung", is_public=False)
    text = pdf_text(client.get(f"/{lang}/members/dresden/plan.pdf"))
    assert heading in text.replace("\n", " ")
    assert "Beratungsstelle bekannt machen" in text and "Interne Abstimmung" not in text
    assert f"http://testserver/{lang}/reports/" in text  # the report's link target, written out
    assert "https://www.dresden.de/" in text.replace("\n", "")  # the source's address


def test_it_links_the_pdf_from_the_member_page(client, seeded):
    body = client.get("/de/members/dresden/").content.decode()
    assert 'href="/de/members/dresden/plan.pdf"' in body


def test_it_has_no_pdf_for_an_applicant_or_an_unknown_member(client, db):
    MemberFactory(slug="bewerberstadt", status=MemberStatus.APPLICANT)
    assert client.get("/de/members/bewerberstadt/plan.pdf").status_code == 404
    assert client.get("/de/members/unbekannt/plan.pdf").status_code == 404


def test_it_fetches_nothing_while_rendering():
    fetcher = no_fetching()
    html = '<p>Text</p><img src="https://tracker.example.org/pixel.png"><link rel="stylesheet" href="https://cdn.example.org/x.css">'
    pdf = weasyprint.HTML(string=html, base_url="http://testserver/", url_fetcher=fetcher).write_pdf()
    assert pdf.startswith(b"%PDF")
    # WeasyPrint asked for both, and both were refused before any connection was made.
    assert sorted(fetcher.refused) == ["https://cdn.example.org/x.css", "https://tracker.example.org/pixel.png"]
    with pytest.raises(ExternalFetchRefused):
        fetcher.fetch("https://tracker.example.org/pixel.png")

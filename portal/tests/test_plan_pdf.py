"""A member's plan as a PDF rendered on the server: what the page shows, links written out, nothing fetched."""

import datetime as dt
import io
import logging
import os
from decimal import Decimal

import pypdf
import pytest
import weasyprint
from django.utils import translation
from django.utils.formats import date_format

from actionplan.tests.factories import (
    ActionPlanFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    MeasureUpdateFactory,
)
from core.pdf import ExternalFetchRefused, no_fetching
from core.tests.pdf_checks import assert_tagged, pdf_text, page_text
from members.models import Member, MemberStatus, Source
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("lang", "heading"), [("de", "Aktionsplan der Landeshauptstadt Dresden"), ("en", "Action plan of Landeshauptstadt Dresden")])
def test_it_renders_the_plan_with_its_public_measures_and_written_out_links(client, seeded, commitments, lang, heading):
    from members.models import Member

    plan = ActionPlanFactory(member=Member.objects.get(slug="dresden"))
    MeasureFactory(plan=plan, commitment=commitments[2], title="Beratungsstelle bekannt machen")
    MeasureFactory(plan=plan, commitment=commitments[2], title="Interne Abstimmung", is_public=False)
    response = client.get(f"/{lang}/members/dresden/plan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
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


# Tagged, accessible, and saying what the member page says.

LANGUAGES = ["de", "en"]


def plan_pdf_and_page(client, slug: str, lang: str) -> tuple[str, str, bytes]:
    """The plan PDF's text, the member page's text, the PDF."""
    response = client.get(f"/{lang}/members/{slug}/plan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    if os.environ.get("PDF_DUMP_DIR"):  # to look at the PDFs: PDF_DUMP_DIR=/tmp/pdfs pytest …
        with open(os.path.join(os.environ["PDF_DUMP_DIR"], f"plan-{slug}-{lang}.pdf"), "wb") as out:
            out.write(response.content)
    return pdf_text(response.content), page_text(client.get(f"/{lang}/members/{slug}/")), response.content


def source_line(source: Source, lang: str) -> str:
    with translation.override(lang):
        return f"{translation.gettext('Source:')} {source.publisher}: „{source.title}“"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_tags_the_plan_pdf_of_every_seeded_member(client, seeded, lang):
    slugs = list(Member.objects.public().values_list("slug", flat=True))
    assert len(slugs) >= 5
    for slug in slugs:
        response = client.get(f"/{lang}/members/{slug}/plan.pdf")
        assert_tagged(response.content, language=lang)
        assert pypdf.PdfReader(io.BytesIO(response.content)).metadata.title.startswith("Aktionsplan" if lang == "de" else "Action plan")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_prints_each_seeded_members_facts_as_the_member_page_does(client, seeded, lang):
    for member in Member.objects.public().select_related("source").order_by("slug"):
        text, page, pdf = plan_pdf_and_page(client, member.slug, lang)
        measures = list(member.plan.measures.filter(is_public=True))
        with translation.override(lang):
            facts = [member.name, member.get_kind_display()]
            facts += [m.title for m in measures] + [m.get_status_display() for m in measures]
        # The member's source as the page gives it: publisher and title, and no empty "()" for a missing address.
        facts.append(source_line(member.source, lang))
        for fact in facts:
            assert fact in page, (member.slug, fact)
            assert fact in text, (member.slug, fact)
        assert "()" not in text, member.slug


def test_it_prints_a_source_without_an_address_as_the_page_does(client, dresden, commitments):
    source = Source.objects.create(key="demo-synthetic", publisher="ECCAR Portal", title="Demo data – synthetic", url="")
    plan = ActionPlanFactory(member=dresden, source=source)
    MeasureFactory(plan=plan, commitment=commitments[0], title="Demo-Maßnahme", source=source)
    text, page, _ = plan_pdf_and_page(client, "dresden", "de")
    line = "Quelle: ECCAR Portal: „Demo data – synthetic“"
    assert line in page and line in text
    assert "()" not in text and "synthetic ()" not in text


@pytest.fixture
def plan_with_figures(dresden, commitments):
    """A plan whose measure has five timeline entries and an indicator with values and a target."""
    plan = ActionPlanFactory(member=dresden)
    measure = MeasureFactory(plan=plan, commitment=commitments[2], title="Beratungsstelle bekannt machen", progress=60)
    for day, text in enumerate(["Erster Schritt", "Zweiter Schritt", "Flyer gedruckt", "Website online", "Beratung eröffnet"], start=1):
        MeasureUpdateFactory(measure=measure, date=dt.date(2024, 3, day), text=text)
    indicator = IndicatorFactory(
        plan=plan, commitment=commitments[2], measure=measure, name="Beratungsfälle pro Jahr", unit="Fälle",
        baseline_value=Decimal("40"), target_value=Decimal("100"),
    )
    IndicatorValueFactory(indicator=indicator, date=dt.date(2023, 6, 30), value=Decimal("52.5"))
    IndicatorValueFactory(indicator=indicator, date=dt.date(2024, 6, 30), value=Decimal("70"))
    return plan


@pytest.mark.parametrize(
    ("lang", "values", "more", "status"),
    [
        ("de", ["40", "52,5", "70", "100"], "2 frühere Einträge auf der Seite der Maßnahme", "In Umsetzung"),
        ("en", ["40", "52.5", "70", "100"], "2 earlier entries on the measure's page", "In progress"),
    ],
)
def test_it_prints_the_indicators_and_the_latest_timeline_entries_as_the_page_shows_them(
    client, plan_with_figures, lang, values, more, status
):
    from actionplan.indicator_chart import indicator_chart

    text, page, _ = plan_pdf_and_page(client, "dresden", lang)
    indicator = plan_with_figures.indicators.get()
    with translation.override(lang):
        share = indicator_chart(indicator).share_text
        dates = [date_format(day, "SHORT_DATE_FORMAT") for day in (*(dt.date(2024, 3, d) for d in (5, 4, 3)), dt.date(2024, 6, 30), dt.date(2027, 12, 31))]
    facts = ["Beratungsfälle pro Jahr", "(Fälle)", share, status, *values, "Beratung eröffnet", "Website online", "Flyer gedruckt", *dates, more]
    for fact in facts:
        assert fact in page, fact
        assert fact in text, fact
    # The latest three entries, not the earlier two: the measure's page has them.
    for older in ("Erster Schritt", "Zweiter Schritt"):
        assert older not in text and older not in page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_tags_a_plan_with_indicators_and_timeline_entries(client, plan_with_figures, lang, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        response = client.get(f"/{lang}/members/dresden/plan.pdf")
    assert_tagged(response.content, language=lang)
    # WeasyPrint names what PDF/UA misses (an image without alt text, no language, a link to no anchor) as errors.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_it_keeps_the_plan_pdfs_queries_flat_with_many_measures_and_indicators(client, dresden, commitments, django_assert_max_num_queries):
    plan = ActionPlanFactory(member=dresden)
    for n in range(30):
        measure = MeasureFactory(plan=plan, commitment=commitments[n % 10], title=f"Maßnahme Nummer {n}")
        for day in range(1, 6):
            MeasureUpdateFactory(measure=measure, date=dt.date(2024, 1, day))
        indicator = IndicatorFactory(plan=plan, commitment=commitments[n % 10], measure=measure if n % 2 else None)
        for year in (2023, 2024):
            IndicatorValueFactory(indicator=indicator, date=dt.date(year, 6, 30))
    # As many queries as for a plan of one measure (measured: see the test of the page's query count).
    with django_assert_max_num_queries(PLAN_PDF_QUERIES):
        response = client.get("/en/members/dresden/plan.pdf")
    text = pdf_text(response.content)
    assert "Maßnahme Nummer 29" in text and "2 earlier entries on the measure's page" in text


def test_it_costs_a_small_plan_as_many_queries(client, dresden, commitments, django_assert_max_num_queries):
    plan = ActionPlanFactory(member=dresden)
    measure = MeasureFactory(plan=plan, commitment=commitments[0])
    MeasureUpdateFactory(measure=measure, date=dt.date(2024, 1, 1))
    IndicatorValueFactory(indicator=IndicatorFactory(plan=plan, commitment=commitments[0]))
    with django_assert_max_num_queries(PLAN_PDF_QUERIES) as queries:
        assert client.get("/en/members/dresden/plan.pdf").status_code == 200
    assert len(queries) == PLAN_PDF_QUERIES  # the bound above is tight: the large plan costs no more


PLAN_PDF_QUERIES = 16

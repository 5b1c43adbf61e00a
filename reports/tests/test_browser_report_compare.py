"""The comparison of two published reports in Chromium: axe-clean in German and English, at 1280 and 375 px."""

import datetime as dt

import pytest
from django.utils import timezone

from core.tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser]


def _snapshot(start, end, measures, indicators):
    return {
        "schema": 2, "taken_at": timezone.now().isoformat(), "period": {"start": start, "end": end},
        "commitments": [
            {"number": 3, "title_de": "Bessere Unterstützung", "title_en": "Better support", "measures": measures, "indicators": indicators},
            {"number": 5, "title_de": "Chancengleichheit", "title_en": "Equal opportunities", "measures": [], "indicators": []},
        ],
    }


def _measure(id, title, status, progress):
    return {"id": id, "title": title, "status": status, "progress": progress, "responsible_unit": "", "updates": []}


def _indicator(latest, share):
    return {
        "id": 1, "name": "Beratungsfälle pro Jahr", "unit": "Fälle", "measure_id": 1, "measure_title": "Antidiskriminierungsberatung",
        "baseline": {"date": "2022-01-01", "value": "40.00"}, "target": {"date": "2027-12-31", "value": "100.00"},
        "values": [], "latest": latest, "share_percent": share,
    }


@pytest.fixture
def two_reports(transactional_db, live_server):
    from members.tests.factories import MemberFactory
    from reports.models import ReportStatus
    from reports.tests.factories import ReportFactory

    dresden = MemberFactory(slug="dresden", name="Landeshauptstadt Dresden")
    old = _snapshot("2023-01-01", "2023-12-31", [_measure(1, "Antidiskriminierungsberatung", "in_progress", 60),
                                                   _measure(2, "Beschwerdestelle", "planned", None)],
                    [_indicator({"date": "2023-06-30", "value": "61.00"}, 35)])
    new = _snapshot("2024-01-01", "2024-12-31", [_measure(1, "Antidiskriminierungsberatung", "implemented", 100),
                                                   _measure(3, "Monitoring rassistischer Vorfälle", "planned", None)],
                    [_indicator({"date": "2024-06-30", "value": "70.00"}, 50)])
    published = {"member": dresden, "status": ReportStatus.PUBLISHED, "published_at": timezone.now(), "submitted_at": timezone.now()}
    ReportFactory(period_start=dt.date(2023, 1, 1), period_end=dt.date(2023, 12, 31), snapshot=old, **published)
    report = ReportFactory(period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31), snapshot=new, **published)
    return live_server.url, report


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_shows_the_comparison_accessibly(page, two_reports, lang, width):
    origin, report = two_reports
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{origin}/{lang}/reports/{report.pk}/")
    page.click(f"a[href='/{lang}/reports/{report.pk}/compare/']")
    assert page.url.endswith(f"/{lang}/reports/{report.pk}/compare/")
    assert axe_violations(page) == [], (lang, width)
    body = page.inner_text("main")
    for text in ["Antidiskriminierungsberatung", "Beschwerdestelle", "Monitoring rassistischer Vorfälle", "61", "70", "+9"]:
        assert text in body, text
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing sticks out sideways
    screenshot(page, f"report-compare-{lang}-{width}")

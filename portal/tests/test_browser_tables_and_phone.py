"""Readers on phones, in Chromium: every table wider than its box scrolls in a focusable, named region that says
so; the main navigation reaches Statistics, Open data and Compare; the home page's search is on the first screen.
Zero axe violations on the changed pages, de and en, 1280 and 375 px. Screenshots go to screenshots/."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from core.tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery"

# For every visible table in main: its scroll box (the nearest .table-responsive), whether it is wider than the
# box, and what a reader gets there.
TABLES = """() => Array.from(document.querySelectorAll('main table')).filter(t => t.offsetParent !== null).map(t => {
  const box = t.closest('.table-responsive') || t.parentElement;
  const hint = box.previousElementSibling;
  return {
    caption: (t.caption ? t.caption.textContent : t.textContent).trim().slice(0, 60),
    wide: t.getBoundingClientRect().width > box.clientWidth + 1,
    inBox: box.classList.contains('table-responsive'),
    scrolls: ['auto', 'scroll'].includes(getComputedStyle(box).overflowX) && box.scrollWidth > box.clientWidth,
    focusable: box.getAttribute('tabindex') === '0',
    region: box.getAttribute('role') === 'region',
    named: Boolean((box.getAttribute('aria-label') || '').trim() || box.getAttribute('aria-labelledby')),
    cue: box.classList.contains('is-scrollable') && hint !== null && hint.classList.contains('table-scroll-hint')
      && hint.getBoundingClientRect().height > 0,
  };
})"""


def _snapshot() -> dict:
    values = [{"date": f"20{y}-06-30", "value": f"{40 + 10 * (y - 20)}.00"} for y in range(20, 25)]
    indicator = {
        "id": 1, "name": "Beratungsfälle der Antidiskriminierungsstelle pro Jahr", "unit": "Fälle", "measure_id": 1,
        "measure_title": "Antidiskriminierungsberatung", "baseline": {"date": "2019-01-01", "value": "40.00"},
        "target": {"date": "2027-12-31", "value": "100.00"}, "values": values, "latest": values[-1], "share_percent": 50,
    }
    measure = {"id": 1, "title": "Antidiskriminierungsberatung", "status": "in_progress", "progress": 60, "responsible_unit": "", "updates": []}
    return {
        "schema": 2, "taken_at": timezone.now().isoformat(), "period": {"start": "2020-01-01", "end": "2024-12-31"},
        "commitments": [{"number": 3, "title_de": "Bessere Unterstützung", "title_en": "Better support",
                         "measures": [measure], "indicators": [indicator]}],
    }


@pytest.fixture
def world(seeded_live, dresden_lead):
    from actionplan.models import Commitment
    from actionplan.tests.factories import ActionPlanFactory, IndicatorFactory, IndicatorValueFactory, MeasureFactory
    from members.models import Member
    from reports.models import ReportStatus
    from reports.tests.factories import ReportFactory

    dresden = Member.objects.get(slug="dresden")
    six = Commitment.objects.get(number=6)
    plan = ActionPlanFactory(member=dresden)
    measure = MeasureFactory(plan=plan, commitment=six, title="Fortbildung Antidiskriminierung", is_public=True)
    indicator = IndicatorFactory(
        plan=plan, commitment=six, measure=measure, name="Geschulte Beschäftigte", unit="Personen",
        baseline_value=Decimal("40"), baseline_date=dt.date(2022, 1, 1), target_value=Decimal("400"), target_date=dt.date(2027, 12, 31),
    )
    for year, value, source in ((2023, "95", "Personalamt, Jahresbericht der Fortbildungsabteilung"), (2024, "162.5", "Personalbericht 2023")):
        IndicatorValueFactory(indicator=indicator, date=dt.date(year, 1, 1), value=Decimal(value), source=source, author=dresden_lead)
    report = ReportFactory(
        member=dresden, status=ReportStatus.PUBLISHED, period_start=dt.date(2020, 1, 1), period_end=dt.date(2024, 12, 31),
        published_at=timezone.now(), submitted_at=timezone.now(), snapshot=_snapshot(),
    )
    return seeded_live.url, report, indicator, measure


def _login(page, origin: str, lang: str) -> None:
    page.goto(f"{origin}/{lang}/accounts/login/")
    page.locator("#id_username").fill("dresden-lead")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_lets_every_wide_table_scroll_in_a_named_focusable_region_that_says_so(page, world, lang):
    origin, report, indicator, measure = world
    public = [f"/{lang}/reports/{report.pk}/", f"/{lang}/members/dresden/", f"/{lang}/statistics/", f"/{lang}/open-data/",
              f"/{lang}/commitments/6/", f"/{lang}/commitments/2/", f"/{lang}/members/"]
    coordinator = [f"/{lang}/dashboard/dresden/indicators/{indicator.pk}/", f"/{lang}/dashboard/dresden/team/",
                   f"/{lang}/dashboard/dresden/measures/{measure.pk}/history/"]
    wide_seen = []
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for path in public + [None] + coordinator:
            if path is None:
                _login(page, origin, lang)
                continue
            assert page.goto(origin + path).status == 200, path
            # Data tables behind a <details> are checked open.
            page.evaluate("() => document.querySelectorAll('main details').forEach(d => { d.open = true; })")
            page.wait_for_timeout(50)
            for table in page.evaluate(TABLES):
                if table["wide"]:
                    wide_seen.append((path, width, table["caption"]))
                    assert table["inBox"] and table["scrolls"], (path, width, table)
                    assert table["focusable"] and table["region"] and table["named"], (path, width, table)
                    assert table["cue"], (path, width, table)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
            assert axe_violations(page) == [], (path, width)
        page.context.clear_cookies()
    # The report's indicator table is the wide one the finding was about: at 375 px it scrolls, at 1280 px it fits.
    assert any(path.endswith(f"/reports/{report.pk}/") and width == 375 for path, width, _caption in wide_seen), wide_seen
    assert not any(width == 1280 and "/reports/" in path for path, width, _caption in wide_seen), wide_seen
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{origin}/{lang}/reports/{report.pk}/")
    box = page.locator(".table-responsive.is-scrollable").first
    box.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert box.evaluate("el => el.scrollLeft") > 0  # the keyboard scrolls it
    screenshot(page, f"report-wide-table-{lang}-375")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_reaches_statistics_open_data_and_compare_from_the_main_navigation_at_both_widths(page, seeded_live, lang):
    names = {"de": ["Statistik", "Offene Daten", "Vergleichen"], "en": ["Statistics", "Open data", "Compare"]}[lang]
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 700})
        page.goto(f"{seeded_live.url}/{lang}/")
        nav = page.locator("#main-nav")
        if width == 375:
            assert not nav.get_by_role("link", name=names[0], exact=True).is_visible()
            page.locator(".navbar-toggler").click()
            nav.get_by_role("link", name=names[-1], exact=True).wait_for(state="visible")
        for name in names:
            assert nav.get_by_role("link", name=name, exact=True).is_visible(), (name, width)
        assert axe_violations(page) == [], width
        screenshot(page, f"nav-{lang}-{width}")
    page.locator("#main-nav").get_by_role("link", name=names[0], exact=True).click()
    assert page.url.endswith(f"/{lang}/statistics/")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_puts_the_home_pages_search_on_the_first_phone_screen(page, seeded_live, lang):
    for width, height in ((375, 700), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{seeded_live.url}/{lang}/")
        box = page.locator("#home-q").bounding_box()
        assert box["y"] + box["height"] < height, (width, box)
        assert page.locator(".home-search button[type=submit]").bounding_box()["y"] < height
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == [], width
        screenshot(page, f"home-{lang}-{width}")

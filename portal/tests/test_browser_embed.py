"""The plan at a glance inside a page of another origin, in real Chromium: the coordinator copies the snippet from
the plan editor, a "municipal" page on another port of 127.0.0.1 carries it, and the frame renders there without
a cookie and without any request to a third origin. Screenshots go to screenshots/."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from actionplan.models import Commitment
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
from core.tests.browser import axe_violations, screenshot
from members.models import CoordinatorRole, Member
from members.tests.factories import AssignmentFactory, UserFactory
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = [pytest.mark.browser]

HOST_PAGE = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Landeshauptstadt Dresden: Vielfalt und Teilhabe</title>
<style>*, *::before, *::after {{ box-sizing: border-box; }}</style></head>
<body><main><h1>Vielfalt und Teilhabe</h1><p>Unser Aktionsplan gegen Rassismus:</p>
{snippet}
</main></body></html>"""


class ForeignSite:
    """A page on another origin (another port of 127.0.0.1) that carries the snippet."""

    def __init__(self) -> None:
        self.html = ""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                body = site.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def foreign_site():
    site = ForeignSite()
    yield site
    site.close()


@pytest.fixture
def portal(seeded_live, settings) -> str:
    origin = f"http://127.0.0.1:{seeded_live.thread.port}"
    settings.PORTAL_URL = origin  # the snippet's absolute address
    dresden = Member.objects.get(slug="dresden")
    user = UserFactory(username="dresden-lead")
    AssignmentFactory(user=user, member=dresden, role=CoordinatorRole.LEAD)
    plan = ActionPlanFactory(member=dresden)
    for number, status in [(1, "planned"), (1, "implemented"), (1, "implemented"), (3, "in_progress"), (5, "continuous"),
                           (8, "in_progress"), (8, "discontinued")]:
        MeasureFactory(plan=plan, commitment=Commitment.objects.get(number=number), status=status)
    return origin


@pytest.fixture
def busy_plan(portal) -> str:
    """Commitment 2 with more titles than are shown, long ones, in every status; a published report."""
    plan = Member.objects.get(slug="dresden").plan
    for i, status in enumerate(["planned", "in_progress", "implemented", "continuous", "discontinued"] * 2):
        title = f"Maßnahme {i}: " + "Antidiskriminierungsberatung in allen Stadtteilen und Ortschaften " * 3
        MeasureFactory(plan=plan, commitment=Commitment.objects.get(number=2), status=status, title=title)
    ReportFactory(member=plan.member, status=ReportStatus.PUBLISHED, title="Umsetzungsbericht " + "sehr lang " * 20)
    return portal


def copy_snippet(page, portal: str, lang: str, *, field_id: str = "", width: int = 1280) -> str:
    """The snippet as the coordinator copies it with the button in the plan editor."""
    field_id = field_id or f"embed-code-{lang}"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=portal)
    page.goto(f"{portal}/{lang}/accounts/login/")
    page.locator("#id_username").fill("dresden-lead")
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{portal}/{lang}/dashboard/")
    page.goto(f"{portal}/{lang}/dashboard/dresden/plan/")
    page.set_viewport_size({"width": width, "height": 900})
    page.locator("details.embed-snippet summary").click()
    field = page.locator(f"#{field_id}")
    expect(field).to_be_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    button = page.locator(f"button[data-copy-from='{field_id}']")
    expect(button).to_be_visible()  # shown by the script; without it the code is selected by hand
    button.click()
    expect(page.locator(f"[data-copy-status='{field_id}']")).not_to_be_empty()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == field.input_value()
    screenshot(page, f"embed-snippet-{lang}-{width}")
    page.context.clear_cookies()  # the visitor of the municipal site is not logged in to the portal
    return copied


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_shows_the_plan_inside_a_page_of_another_origin(page, portal, foreign_site, lang):
    snippet = copy_snippet(page, portal, lang)
    assert f'src="{portal}/{lang}/members/dresden/embed/"' in snippet
    assert 'loading="lazy"' in snippet and 'width="100%"' in snippet and 'title="' in snippet and 'height="' in snippet
    foreign_site.html = HOST_PAGE.format(snippet=snippet)

    requests, responses = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: responses.append(response))
    for width in (320, 800):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(foreign_site.origin)
        frame_element = page.locator("iframe")
        frame_element.scroll_into_view_if_needed()  # loading="lazy"
        frame = page.frame_locator("iframe")
        title = Commitment.objects.get(number=1).title_en if lang == "en" else Commitment.objects.get(number=1).title_de
        expect(frame.locator("ol.commitments li.commitment").first).to_contain_text(title)
        expect(frame.locator("ol.commitments li.commitment")).to_have_count(10)
        expect(frame.locator("p.summary")).to_contain_text("7")
        embed = next(f for f in page.frames if f.url.startswith(f"{portal}/{lang}/members/dresden/embed/"))
        # Nothing cut off sideways, in the host page or inside the frame.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert embed.evaluate("document.documentElement.scrollWidth") <= embed.evaluate("window.innerWidth")
        screenshot(page, f"embed-{lang}-{width}")

    origins = {f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" for url in requests}
    assert origins == {foreign_site.origin, portal}, origins
    portal_responses = [r for r in responses if r.url.startswith(portal)]
    assert portal_responses and all(r.status == 200 for r in portal_responses)
    assert all("set-cookie" not in r.all_headers() for r in portal_responses)
    assert page.context.cookies() == []


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_passes_axe_and_fits_320_px_on_its_own(page, seeded_live, lang):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{seeded_live.url}/{lang}/members/dresden/embed/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert axe_violations(page) == []
    # The links leave the frame for a new tab of the portal.
    links = page.locator("main a")
    assert links.count() >= 1
    for i in range(links.count()):
        assert links.nth(i).get_attribute("target") == "_blank"
        assert links.nth(i).get_attribute("rel") == "noopener"


def test_it_leaves_the_snippet_selectable_without_javascript(browser, portal):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{portal}/de/accounts/login/")
    page.locator("#id_username").fill("dresden-lead")
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("main button[type=submit]").click()
    page.goto(f"{portal}/de/dashboard/dresden/plan/")
    page.locator("details.embed-snippet summary").click()  # a native disclosure: no script needed
    field = page.locator("#embed-code-de")
    expect(field).to_be_visible()
    expect(field).to_have_attribute("readonly", "")
    expect(page.locator("button[data-copy-from='embed-code-de']")).to_be_hidden()
    field.select_text()
    assert page.evaluate("getSelection().toString() || document.activeElement.value.slice(document.activeElement.selectionStart, document.activeElement.selectionEnd)").startswith("<iframe")
    context.close()


def embed_frame(page, portal: str, lang: str):
    expect(page.frame_locator("iframe").locator("p.more a")).to_be_attached()
    frame = next(f for f in page.frames if f.url.startswith(f"{portal}/{lang}/members/dresden/embed/"))
    frame.wait_for_load_state("load")  # its stylesheet too: before it the page is taller
    return frame


def assert_fits(page, frame, lang: str) -> None:
    """No scrolling inside the frame, and its last link is on the host page in full."""
    inner = frame.evaluate("[document.documentElement.scrollHeight, document.documentElement.clientHeight, innerWidth]")
    assert inner[0] <= inner[1], (inner, page.evaluate("[innerWidth, document.querySelector('iframe').style.height]"))
    last = frame.locator("p.more a")
    expect(last).to_be_visible()
    # The box of the link's lines (the link's own rectangle would count the words cut off after them).
    box = frame.evaluate("(() => { const r = document.querySelector('p.more').getBoundingClientRect(); return [r.bottom, innerHeight]; })()")
    assert box[0] <= box[1], box
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_fits_its_content_with_the_script_at_375_and_1280_px(page, busy_plan, foreign_site, lang):
    snippet = copy_snippet(page, busy_plan, lang, width=375)
    script = copy_snippet(page, busy_plan, lang, field_id="embed-code-script")
    assert "/static/js/embed-resize.js" in script
    foreign_site.html = HOST_PAGE.format(snippet=snippet + "\n" + script)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    heights = {}
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(foreign_site.origin)
        page.locator("iframe").scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('iframe').style.height !== ''")
        frame = embed_frame(page, busy_plan, lang)
        expect(frame.locator("ul.measures li")).not_to_have_count(0)
        assert_fits(page, frame, lang)
        # Exactly as tall as the content (give or take the rounding of a pixel): no gap under the last link.
        inner = frame.evaluate("[document.documentElement.scrollHeight, document.documentElement.clientHeight]")
        assert inner[1] - inner[0] <= 2, inner
        heights[width] = inner[1]
        screenshot(page, f"embed-script-{lang}-{width}")
    assert heights[375] > heights[1280]  # the narrow layout is taller
    # Resizing the host page refits the frame.
    page.set_viewport_size({"width": 375, "height": 800})
    page.wait_for_function(f"document.querySelector('iframe').clientHeight > {heights[1280] + 10}")
    assert_fits(page, embed_frame(page, busy_plan, lang), lang)
    origins = {f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" for url in requests}
    assert origins == {foreign_site.origin, busy_plan}, origins
    assert page.context.cookies() == []


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_fits_with_the_height_of_its_code_alone_at_375_and_1280_px(page, busy_plan, foreign_site, lang):
    snippet = copy_snippet(page, busy_plan, lang)
    foreign_site.html = HOST_PAGE.format(snippet=snippet)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(foreign_site.origin)
        page.locator("iframe").scroll_into_view_if_needed()
        frame = embed_frame(page, busy_plan, lang)
        expect(frame.locator("p.more a")).to_be_visible()
        assert_fits(page, frame, lang)


@pytest.mark.parametrize("width", [320, 375, 639, 640, 800, 1280])
def test_it_is_as_tall_as_its_layout_says(page, busy_plan, width):
    """The fixed heights of static/css/embed.css and actionplan/embed_layout.py agree, at every layout."""
    sizes = page.request.get(f"{busy_plan}/de/members/dresden/embed/size.json").json()["layouts"]
    layout = sizes[0] if width < 640 else sizes[1]
    page.set_viewport_size({"width": width, "height": 400})
    page.goto(f"{busy_plan}/de/members/dresden/embed/")
    rendered = page.evaluate("document.documentElement.scrollHeight")
    assert abs(rendered - layout["height_rem"] * 16) <= 1, (rendered, layout)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("width", [375, 1280])
def test_it_passes_axe_with_its_titles(page, busy_plan, lang, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{busy_plan}/{lang}/members/dresden/embed/")
    expect(page.locator("ul.measures a").first).to_be_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The keyboard focus is drawn inside the cut-off line, not hidden by it.
    page.locator("ul.measures a").first.focus()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_offers_the_snippet_on_an_axe_clean_page_at_375_px(page, portal, lang):
    copy_snippet(page, portal, lang, width=375)

"""The admin speaks the staff member's language on every page, whatever the browser asks for, and its header
switches it: an English admin page holds none of the portal's German texts, a German one none of its English."""

import html
import re
from functools import cache
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from core.tests.permissions import ADMIN_LOGIN, PERSONAS, assert_outcome
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

PO = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")


@cache
def portal_texts() -> dict[str, set[str]]:
    """Pieces (20+ characters between placeholders) of the portal's own texts, by language."""
    texts = {"de": set(), "en": set()}
    for entry in polib.pofile(str(PO)):
        if entry.obsolete or not entry.msgstr or entry.msgstr == entry.msgid:
            continue
        for lang, text in (("de", entry.msgstr), ("en", entry.msgid)):
            texts[lang] |= {piece.strip() for piece in PLACEHOLDER.split(text) if len(piece.strip()) >= 20}
    return texts


def page_text(body: str) -> str:
    body = re.sub(r"<script.*?</script>|<svg.*?</svg>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def key_pages(dresden) -> list[str]:
    report = ReportFactory(member=dresden, status=ReportStatus.SUBMITTED)
    return [
        reverse("admin:index"), reverse("secretariat_queue"), reverse("admin:members_member_changelist"),
        reverse("admin:members_member_change", args=[dresden.pk]), reverse("admin:members_invitation_changelist"),
        reverse("admin:reports_implementationreport_change", args=[report.pk]),
        reverse("admin:members_membershipapplication_changelist"), reverse("admin:secretariat_announcement_add"),
    ]


def assert_in_language(client, pages: list[str], lang: str, browser: str) -> None:
    other = "en" if lang == "de" else "de"
    for url in pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=browser)
        assert response.status_code == 200, url
        assert f'<html lang="{lang}"' in response.content.decode(), url
        text = page_text(response.content.decode())
        foreign = sorted(piece for piece in portal_texts()[other] if piece in text)
        assert not foreign, (url, foreign[:5])


def test_it_keeps_the_admin_in_one_language_and_switches_it_from_the_header(client, staff, dresden):
    client.force_login(staff)
    pages = key_pages(dresden)
    assert_in_language(client, pages, "de", browser="de-DE,de;q=0.9")
    index = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert f'action="{reverse("admin_language")}"' in index and 'name="language" value="en"' in index
    response = client.post(reverse("admin_language"), {"language": "en", "next": pages[3]})
    assert response.headers["Location"] == pages[3]
    staff.refresh_from_db()
    assert staff.language == "en"  # the language of the mails the account gets, too
    # The choice holds on every page, whatever the browser asks for.
    assert_in_language(client, pages, "en", browser="de-DE,de;q=0.9")
    assert 'name="language" value="de"' in client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    client.post(reverse("admin_language"), {"language": "de", "next": pages[0]})
    assert_in_language(client, pages, "de", browser="en-GB,en;q=0.9")


def test_it_goes_back_only_to_a_page_of_the_portal_and_ignores_an_unknown_language(client, staff):
    client.force_login(staff)
    for target in ("https://evil.example/", "//evil.example/x", ""):
        response = client.post(reverse("admin_language"), {"language": "en", "next": target})
        assert response.headers["Location"] == reverse("admin:index")
    staff.refresh_from_db()
    assert staff.language == "en"
    response = client.post(reverse("admin_language"), {"language": "fr"})
    assert "django_language" not in response.cookies or response.cookies["django_language"].value == "en"
    staff.refresh_from_db()
    assert staff.language == "en"


MATRIX_URL_NAMES = {"admin_language"}
EXPECTED = {"anonymous": ADMIN_LOGIN, "outsider": ADMIN_LOGIN, "dresden_editor": ADMIN_LOGIN, "dresden_lead": ADMIN_LOGIN,
            "bare_staff": 302, "staff": 302}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_staff_switch_the_admin_language(client, request, persona):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    if user is not None:
        client.force_login(user)
    response = client.post(reverse("admin_language"), {"language": "en", "next": "/admin/members/"})
    assert_outcome(response, EXPECTED[persona], (persona,))
    if EXPECTED[persona] == 302:
        assert response.headers["Location"] == "/admin/members/"
        assert response.cookies["django_language"].value == "en"
    if user is not None:
        user.refresh_from_db()
        assert (user.language == "en") == user.is_staff
    if user is not None and user.is_staff:
        assert client.get(reverse("admin_language")).status_code == 405

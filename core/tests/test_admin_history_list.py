"""An object's history in the admin shows a dash where no one signed in saved it and no reason was given, never
the raw "None"."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_shows_no_raw_none_in_a_history_saved_by_a_command(client, staff, dresden, lang):
    dresden.region = "Sachsen"
    dresden.save()  # as a command or the seed would: no user, no reason
    client.force_login(staff)
    body = client.get(reverse("admin:members_member_history", args=[dresden.pk]), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>|<svg.*?</svg>", "", body, flags=re.S))
    assert "Sachsen" in text or dresden.name in text
    assert not re.search(r"\bNone\b|Keine/r", text)

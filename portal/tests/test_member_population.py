"""A member's population is written one way on its page: with the language's thousands separator."""

import pytest

from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang, shown, other", [("de", "74.000", "74,000"), ("en", "74,000", "74.000")])
def test_it_writes_the_population_the_same_way_in_the_facts_and_among_similar_members(client, lang, shown, other):
    MemberFactory(slug="bamberg", name="Bamberg", population=74000, country="DE")
    MemberFactory(slug="passau", name="Passau", population=74000, country="DE")
    page = client.get(f"/{lang}/members/bamberg/").content.decode()
    assert page.count(shown) >= 2  # the facts and the similar member
    assert "74000" not in page and other not in page

"""The public pages run the same number of queries however many members and measures there are."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

PAGES = [
    "/de/",
    "/de/members/",
    "/de/members/?country=DE",
    "/de/members/?q=Schule",
    "/de/members/demo-stadt-0002/",
    "/de/commitments/",
    "/de/commitments/{n}/",
    "/de/commitments/{n}/?q=Demo",  # every demo measure says "Demo": the search finds some at both sizes
    "/de/commitments/{n}/?status=implemented",
    "/de/statistics/",
    "/sitemap.xml",
    "/sitemap-members.xml",
]


def query_counts(client, commitment: int) -> dict[str, int]:
    counts = {}
    for url in (page.format(n=commitment) for page in PAGES):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


@pytest.mark.django_db
def test_it_runs_as_many_queries_for_sixty_members_as_for_five(client, seeded):
    # Five members of thirty measures: every list above has something to show already.
    from actionplan.models import Indicator

    call_command("generate_demo", members=5, measures_per_member=30, stdout=None)
    # A library page with demo indicators at both sizes (their commitment follows the plans' ids), so that both
    # sizes run the indicators' values query.
    commitment = Indicator.objects.public().values_list("commitment__number", flat=True).order_by("pk").first()
    few = query_counts(client, commitment)
    call_command("generate_demo", members=60, measures_per_member=30, stdout=None)
    many = query_counts(client, commitment)
    assert many == few
    assert max(many.values()) <= 16


@pytest.mark.django_db
def test_it_keeps_the_coordinator_pages_bounded(client, commitments, dresden, dresden_lead, django_assert_max_num_queries):
    from actionplan.tests.factories import ActionPlanFactory, MeasureFactory, MeasureUpdateFactory

    plan = ActionPlanFactory(member=dresden)
    for i in range(30):
        measure = MeasureFactory(plan=plan, commitment=commitments[i % 10], is_public=i % 3 != 0)
        MeasureUpdateFactory(measure=measure)
    client.force_login(dresden_lead)
    for url in ("/de/dashboard/", "/de/dashboard/dresden/plan/"):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200

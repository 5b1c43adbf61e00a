"""The member admin list, with each of its filters and the report-due column, costs the same number of queries
with 10 and with 10,000 members."""

import pytest

from secretariat.tests.bulk import bulk_members

pytestmark = pytest.mark.django_db

URL = "/admin/members/member/"
FILTERS = ["", "?status__exact=member", "?kind__exact=city", "?country=DE", "?coordinator=none", "?report_overdue=yes",
           "?report_overdue=no", "?on_hold_proposed=yes",
           "?q=Stadt", "?o=5", "?admitted_on__year=2020"]


def _queries(client, django_assert_max_num_queries, bound: int) -> dict[str, int]:
    counts = {}
    for query in FILTERS:
        with django_assert_max_num_queries(bound) as captured:
            response = client.get(URL + query)
        assert response.status_code == 200, query
        counts[query] = len(captured.captured_queries)
    return counts


def test_it_lists_members_with_the_same_queries_at_ten_thousand_as_at_ten(client, staff, django_assert_max_num_queries):
    client.force_login(staff)
    bulk_members(10)
    few = _queries(client, django_assert_max_num_queries, 30)
    bulk_members(9990, offset=10)
    many = _queries(client, django_assert_max_num_queries, max(few.values()))
    assert many == few

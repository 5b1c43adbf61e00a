"""Every URL that is not public must be walked by a permission matrix, so a missing check fails a test."""

from django.urls import URLPattern, URLResolver, get_resolver

from actionplan.tests.test_permission_matrix import MATRIX_URL_NAMES as ACTIONPLAN_MATRIX
from core.tests.test_admin_language import MATRIX_URL_NAMES as ADMIN_LANGUAGE_MATRIX
from members.tests.test_permission_matrix import MATRIX_URL_NAMES as MEMBERS_MATRIX
from members.tests.test_two_factor import ACCOUNT_URL_NAMES
from reports.tests.test_permission_matrix import MATRIX_URL_NAMES as REPORTS_MATRIX
from secretariat.tests.test_queue_pages import MATRIX_URL_NAMES as SECRETARIAT_MATRIX

# Pages for everyone: the public portal, the login and password-reset flow, machine endpoints.
PUBLIC = {
    "home", "healthz", "readyz", "robots_txt", "sitemap", "sitemap_index", "feed_members", "feed_member_news", "reports_feed",
    "feed_members_moved", "feed_member_news_moved", "reports_feed_moved", "favicon",
    "open_data_index", "open_data_download", "open_data_download_v2",
    # The open data described for machines, and one member's files (a member that is not public is a 404:
    # portal/tests/test_open_data_member.py).
    "open_data_package", "open_data_catalog", "open_data_member_download",
    # The search of public measures and its downloads (portal/tests/test_measure_search.py).
    "members:measure_search", "members:measure_search_csv", "members:measure_search_excel_csv",
    "members:list", "members:detail", "members:working_groups", "members:networks", "members:statistics",
    "members:open_data", "members:privacy", "members:imprint", "members:accessibility",
    "actionplan:commitments", "actionplan:commitment", "actionplan:resolution_download",
    "reports:list", "reports:detail", "reports:document", "reports:pdf", "members:plan_pdf",
    # The plan at a glance for other sites (its persona matrix: members/tests/test_permission_matrix.py PUBLIC_MATRIX).
    "members:embed", "members:embed_size",
    "members:similar", "members:compare",
    # A public measure's page (its persona matrix: portal/tests/test_measure_page.py).
    "members:measure",
    "accounts:login", "accounts:logout", "accounts:password_reset", "accounts:password_reset_done",
    "accounts:password_reset_confirm", "accounts:password_reset_complete",
    # Opened with a one-time token by a person who has no account yet.
    "accounts:invitation_accept",
    # The way in for a town that applies: public by design, protected by a honeypot, a rate limit and e-mail confirmation.
    "members:apply", "members:apply_sent", "members:apply_confirm",
}


def url_names(patterns, namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            yield from url_names(pattern.url_patterns, f"{namespace}:{inner}" if namespace and inner else inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_it_covers_every_non_public_url_with_a_permission_matrix():
    names = {n for n in url_names(get_resolver().url_patterns) if not n.startswith("admin:")}
    uncovered = names - PUBLIC - ACCOUNT_URL_NAMES - ACTIONPLAN_MATRIX - MEMBERS_MATRIX - REPORTS_MATRIX - SECRETARIAT_MATRIX
    uncovered -= ADMIN_LANGUAGE_MATRIX
    assert uncovered == set(), "add these URLs to a permission matrix (or, if public, to PUBLIC)"


def test_it_lists_no_stale_public_names():
    names = set(url_names(get_resolver().url_patterns))
    assert PUBLIC <= names

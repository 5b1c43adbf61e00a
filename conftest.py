import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def seeded(db):
    from seeding.services import seed_eccar

    seed_eccar()


@pytest.fixture
def seeded_live(transactional_db, live_server):
    """The live server for browser tests, with the real seed data."""
    from seeding.services import seed_eccar

    seed_eccar()
    return live_server


@pytest.fixture
def commitments(db):
    from actionplan.models import Commitment
    from seeding.seed_data import COMMITMENTS

    return [
        Commitment.objects.get_or_create(number=n, defaults={"title_de": de, "title_en": en})[0] for n, de, en in COMMITMENTS
    ]


@pytest.fixture
def dresden(db):
    from members.tests.factories import MemberFactory

    return MemberFactory(slug="dresden", name="Landeshauptstadt Dresden")


@pytest.fixture
def duesseldorf(db):
    from members.tests.factories import MemberFactory

    return MemberFactory(slug="duesseldorf", name="Landeshauptstadt Düsseldorf")


@pytest.fixture
def dresden_editor(dresden):
    from members.models import CoordinatorRole
    from members.tests.factories import AssignmentFactory, UserFactory

    user = UserFactory(username="dresden-editor")
    AssignmentFactory(user=user, member=dresden, role=CoordinatorRole.EDITOR)
    return user


@pytest.fixture
def dresden_lead(dresden):
    from members.models import CoordinatorRole
    from members.tests.factories import AssignmentFactory, UserFactory

    user = UserFactory(username="dresden-lead")
    AssignmentFactory(user=user, member=dresden, role=CoordinatorRole.LEAD)
    return user


@pytest.fixture
def outsider(duesseldorf):
    """A coordinator of Düsseldorf: must never see or change Dresden's non-public data."""
    from members.models import CoordinatorRole
    from members.tests.factories import AssignmentFactory, UserFactory

    user = UserFactory(username="duesseldorf-lead")
    AssignmentFactory(user=user, member=duesseldorf, role=CoordinatorRole.LEAD)
    return user


@pytest.fixture
def staff(db):
    """The secretariat: a staff user whose powers come from the "Secretariat" group, as in production."""
    from members.tests.factories import UserFactory
    from secretariat.permissions import secretariat_group

    user = UserFactory(username="secretariat", is_staff=True)
    user.groups.add(secretariat_group())
    return user


@pytest.fixture
def bare_staff(db):
    """Staff without permissions: may open the admin's door, but has no power over any member."""
    from members.tests.factories import UserFactory

    return UserFactory(username="staff-without-permissions", is_staff=True)


@pytest.fixture
def superuser(db):
    from members.tests.factories import UserFactory

    return UserFactory(username="operator", is_staff=True, is_superuser=True)


@pytest.fixture
def public_client(client):
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Personas are created for almost every test; the real hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The live server finds static files through the finders, which know no hashed names;
    # `make test` still builds the real manifest with collectstatic before pytest runs.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    # The page cache follows commits, and most tests never commit (they run in a transaction that is rolled
    # back), so it is off unless a test asks for it; core/tests/test_public_cache.py and the scale-out test
    # run it against real commits.
    settings.PUBLIC_PAGE_CACHE = False


@pytest.fixture(autouse=True)
def _german_by_default():
    # Every test starts in the portal's default language, whatever a test before it left active: reverse()
    # of a page under /de/ or /en/ follows the active language.
    from django.utils import translation

    with translation.override("de"):
        yield


@pytest.fixture(autouse=True)
def _staff_logins_carry_the_second_factor(monkeypatch):
    # In production staff reach nothing before their second factor (core/two_factor.py). Tests that log staff
    # in with force_login stand for a finished login: the persona gets a confirmed authenticator app and the
    # session is marked verified. The two-factor tests themselves log in through the real forms.
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if user.is_staff:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


# --- Real servers (core/tests/servers.py): started once, on first use, and stopped at the end of the run. ---


@pytest.fixture(scope="session")
def redis_server():
    from core.tests.servers import RedisServer, running

    with running(RedisServer) as server:
        yield server


@pytest.fixture(scope="session")
def object_store():
    from core.tests.servers import ObjectStore, running

    with running(ObjectStore) as store:
        yield store


@pytest.fixture
def redis_cache(settings, redis_server):
    """Django's cache on the real redis-server, emptied before the test."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_server.url(1)}}
    cache.clear()
    return cache


@pytest.fixture
def s3_bucket(settings, object_store) -> str:
    """Uploads go to a fresh bucket of the real object store for this test; its name."""
    bucket = object_store.create_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": object_store.storage_settings(bucket)}
    return bucket


# --- Every test that uses the database finds the rows the data migrations made. ------------------------------

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    # A transactional test (the browser tests, the page cache's) ends with a flush that also empties what the data
    # migrations wrote: the Secretariat group and the legal pages. pytest-django runs the tests it does not see
    # using the database after the transactional ones, so those rows are put back, inside the test's own
    # transaction, before any test that uses the database.
    fixtures = getattr(item, "fixturenames", ())
    if item.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(fixtures):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            from django.contrib.auth.models import Group

            from members.models import SitePage
            from members.site_page_defaults import PAGES
            from secretariat.permissions import SECRETARIAT_GROUP, secretariat_group

            if not Group.objects.filter(name=SECRETARIAT_GROUP).exists():
                secretariat_group()
            if SitePage.objects.count() < len(PAGES):
                for key, (title_de, title_en, body_de, body_en) in PAGES.items():
                    SitePage.objects.get_or_create(
                        key=key, defaults={"title_de": title_de, "title_en": title_en, "body_de": body_de, "body_en": body_en}
                    )
    yield

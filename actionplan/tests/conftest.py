import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The personas are created for almost every test here; the real hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

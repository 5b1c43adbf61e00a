"""Django's cache on a real redis-server (core/tests/servers.py), as CACHE_URL=redis://… configures it."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches


def test_it_maps_a_redis_cache_url_to_djangos_own_redis_backend(redis_server):
    env = {**os.environ, "CACHE_URL": redis_server.url(3), "DJANGO_SETTINGS_MODULE": "eccar_portal.settings"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default'])"
    out = subprocess.run([sys.executable, "-c", code], cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, check=True).stdout
    assert "'BACKEND': 'django.core.cache.backends.redis.RedisCache'" in out
    assert f"'LOCATION': '{redis_server.url(3)}'" in out


def test_it_keeps_the_local_memory_cache_by_default():
    assert django_settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_it_gets_sets_counts_and_deletes_in_redis(redis_cache, redis_server):
    import redis

    redis_cache.set("page:1", {"body": "Dresden"}, timeout=60)
    redis_cache.set_many({"page:2": "Düsseldorf", "page:3": b"\x00bytes"}, timeout=60)
    assert redis_cache.get("page:1") == {"body": "Dresden"}
    assert redis_cache.get_many(["page:1", "page:2", "page:3", "page:4"]) == {
        "page:1": {"body": "Dresden"},
        "page:2": "Düsseldorf",
        "page:3": b"\x00bytes",
    }
    assert redis_cache.get("page:4", "default") == "default"
    assert redis_cache.add("generation", 1) is True and redis_cache.add("generation", 5) is False
    assert redis_cache.incr("generation") == 2 and redis_cache.incr("generation", 10) == 12
    assert redis_cache.touch("page:1", 600) is True and redis_cache.touch("missing", 600) is False
    redis_cache.delete_many(["page:1", "page:2"])
    assert redis_cache.get_many(["page:1", "page:2", "page:3"]) == {"page:3": b"\x00bytes"}
    # Really in the server (another client sees it), not in this process.
    raw = redis.Redis.from_url(redis_server.url(1))
    assert raw.ttl(redis_cache.make_key("page:3")) > 0
    assert int(raw.get(redis_cache.make_key("generation"))) == 12


def test_it_shares_the_cache_between_two_connections_like_two_app_servers(redis_cache):
    other = caches.create_connection("default")  # a second client, as another process would have
    redis_cache.set("shared", "from A")
    assert other.get("shared") == "from A"
    other.delete("shared")
    assert redis_cache.get("shared") is None

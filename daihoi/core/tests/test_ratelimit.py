"""The client's address behind trusted proxies, and a counter shared by every worker."""

from __future__ import annotations

import os

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory, override_settings

from daihoi.core import ratelimit


def _request(remote: str = "10.0.0.9", forwarded: str | None = None) -> object:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert ratelimit.client_address(_request(forwarded="1.2.3.4")) == "10.0.0.9"


@override_settings(DAIHOI_TRUSTED_PROXIES=1)
def test_one_trusted_proxy_gives_the_address_it_appended() -> None:
    # The client wrote "6.6.6.6" itself; the proxy appended the address it saw.
    assert ratelimit.client_address(_request(forwarded="6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    assert ratelimit.client_address(_request(forwarded="203.0.113.7")) == "203.0.113.7"
    assert ratelimit.client_address(_request(forwarded="not-an-ip")) == "10.0.0.9"
    assert ratelimit.client_address(_request()) == "10.0.0.9"


@override_settings(DAIHOI_TRUSTED_PROXIES=2)
def test_two_trusted_proxies() -> None:
    forwarded = "6.6.6.6, 198.51.100.2, 10.0.0.1"
    assert ratelimit.client_address(_request(forwarded=forwarded)) == "198.51.100.2"
    assert ratelimit.client_address(_request(forwarded="198.51.100.2")) == "10.0.0.9"


def test_api_client_is_the_token_hash_never_the_key() -> None:
    request = RequestFactory().get("/", HTTP_AUTHORIZATION="Bearer secret-key-123")
    who = ratelimit.api_client(request)
    assert who.startswith("t") and "secret" not in who
    assert ratelimit.api_client(RequestFactory().get("/", HTTP_X_API_TOKEN="secret-key-123")) == who


REDIS = os.environ.get("DAIHOI_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


def _redis_or_skip() -> None:
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except Exception as exc:  # no Redis here: the counter is tested where CI has one
        pytest.skip(f"Redis not reachable at {REDIS}: {exc}")


def test_the_counter_is_shared_by_workers_through_redis() -> None:
    """Two cache clients (as two worker processes hold) count into one limit."""
    _redis_or_skip()
    config = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    with override_settings(CACHES={"default": config}):
        worker_a = caches.create_connection("default")
        worker_b = caches.create_connection("default")
        assert isinstance(worker_a, RedisCache)
        worker_a.clear()
        results = []
        for worker in (worker_a, worker_b, worker_a, worker_b):
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(ratelimit, "cache", worker)
                results.append(ratelimit.hit("test", "203.0.113.7", limit=3))
        assert results == [False, False, False, True]
        worker_a.clear()

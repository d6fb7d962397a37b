"""Production wiring against the real servers: the Redis cache and the health check."""

import pytest
from django.core.cache import caches
from django.test import override_settings

from conftest import service_unavailable
from core.health_checks import redis_up

REDIS = "redis://127.0.0.1:6379/15"


@pytest.mark.django_db
def test_health_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.service
@pytest.mark.django_db
def test_health_with_the_redis_cache_of_production(client):
    if not redis_up():
        service_unavailable("Redis is not running on 127.0.0.1:6379")
    redis_cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}}
    with override_settings(CACHES=redis_cache):
        caches["default"].clear()
        response = client.get("/healthz")
        assert response.json()["checks"]["cache"] == "ok"
        assert caches["default"].get("health:ping") == "pong"  # really stored in Redis


@pytest.mark.django_db
def test_health_says_503_when_the_cache_is_gone(client):
    dead = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=dead):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("error")

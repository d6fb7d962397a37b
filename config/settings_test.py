"""Test settings: the production settings with captcha test mode and a cheaper Argon2."""

from .settings import *  # noqa: F401,F403

CAPTCHA_TEST_MODE = True
PASSWORD_HASHERS = ["core.testing.FastArgon2PasswordHasher"]
MAP_TILE_URL = ""  # no network in tests
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="elevator-media-")
CELERY_TASK_ALWAYS_EAGER = True
# Each test process keeps its own cache (the login counters of accounts/throttle.py); conftest clears it per test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

"""Settings of bench/mobile_bench.py: the test settings, with static files collected and compressed as in
production (WhiteNoise serves the gzip copies), not read through the finders."""

import os

from config.settings_test import *  # noqa: F401,F403

STATIC_ROOT = os.environ["MOBILE_BENCH_STATIC"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

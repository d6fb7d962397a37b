"""Settings for the elevator maintenance platform (电梯维保管理平台).

One module, driven by the environment. Defaults give the embedded mode (SQLite, eager
tasks, local files); docs/deployment.md lists what production sets.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import xstatic.pkg.bootstrap
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "ninja",  # the API docs' Swagger UI from our static files, not a CDN (the CSP allows no other origin)
    "captcha",
    "csp",
    "axes",
    "simple_history",
    "core",
    "organizations",
    "accounts",
    "elevators",
    "imports",
    "maintenance",
    "records",
    "mobile",
    "notifications",
    "applications",
    "pilot",
    "drills",
    "alerts",
    "contracts",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.ForcePasswordChangeMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

FORM_RENDERER = "core.rendering.FastFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.platform",
                "portal.context_processors.menu",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# Database: SQLite (WAL) by default, PostgreSQL through DATABASE_URL.
DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}", conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short OLTP queries: PostgreSQL's JIT spent 400 ms compiling plans that run in 10 ms (bench/README.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UnitModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# The initial password of every new account, as in the seed manual (六个1).
INITIAL_PASSWORD = "111111"
API_TOKEN_LIFETIME = timedelta(hours=int(os.environ.get("API_TOKEN_HOURS", 12)))

# 维保验证: the largest face distance that still counts as the same person (dlib's ResNet: same person
# 0.33-0.43, different people 0.82-0.88 on the test photos).
FACE_MATCH_TOLERANCE = float(os.environ.get("FACE_MATCH_TOLERANCE", 0.6))

# Wrong passwords (accounts/throttle.py): five lock a username at one address (django-axes), an address that
# sprays many usernames waits, and a username failing from many addresses loses the token endpoint (the web
# login keeps its captcha). Locking a username everywhere would let anyone lock anyone out.
# The empty choice of every list filter (django-filters), translated when rendered.
FILTERS_EMPTY_CHOICE_LABEL = _("全部")

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 30)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False
LOGIN_ADDRESS_LIMIT = int(os.environ.get("LOGIN_ADDRESS_LIMIT", 30))
LOGIN_ADDRESS_WINDOW = timedelta(minutes=int(os.environ.get("LOGIN_ADDRESS_MINUTES", 15)))
LOGIN_USERNAME_LIMIT = int(os.environ.get("LOGIN_USERNAME_LIMIT", 50))
LOGIN_USERNAME_WINDOW = timedelta(minutes=int(os.environ.get("LOGIN_USERNAME_MINUTES", 60)))
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Captcha (django-simple-captcha ships its own font).
CAPTCHA_LENGTH = 4
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.random_char_challenge"
CAPTCHA_TIMEOUT = 5
CAPTCHA_TEST_MODE = False

# Internationalisation: Chinese by default, complete English through locale/en.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
    ("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR),
    ("vendor/leaflet-markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR),
]
WHITENOISE_USE_FINDERS = True

# Uploads: local files in the embedded mode, S3-compatible storage when configured.
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media-not-public/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if os.environ.get("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL"),
            "access_key": os.environ.get("S3_ACCESS_KEY"),
            "secret_key": os.environ.get("S3_SECRET_KEY"),
            "region_name": os.environ.get("S3_REGION"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Background work: Celery on Redis in production; eager in the embedded default.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", os.environ.get("REDIS_URL", "memory://"))
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", None)
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL.startswith("memory://")
CELERY_TIMEZONE = TIME_ZONE
# `celery -A config beat` runs these (the embedded mode has no beat: run `manage.py notify_unconfirmed` hourly and
# `manage.py send_alerts` daily from cron)
CELERY_BEAT_SCHEDULE = {
    "records-notify-unconfirmed": {"task": "records.notify_unconfirmed", "schedule": 3600},  # hourly
    "alerts-send-alerts": {"task": "alerts.send_alerts", "schedule": crontab(hour=7, minute=0)},  # daily, 07:00
    # the bureaus' home-page figures, cached 5 minutes, computed again before they expire (portal.dashboard)
    "portal-refresh-dashboards": {"task": "portal.refresh_dashboards", "schedule": 240},
}

# Email: the daily digest of new red warnings (alerts.digest). SMTP where EMAIL_HOST is set (production), else
# the console (the embedded mode: the digest is written to the job's output).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 30))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

REDIS_URL = os.environ.get("REDIS_URL", "")
# The cache holds rate limits and cached counts: Redis in production,
# process memory in the embedded default.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "TIMEOUT": 300}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
MQTT_URL = os.environ.get("MQTT_URL", "mqtt://127.0.0.1:1883")

# Maps: tiles are configurable (store WGS-84, convert at the edge for GCJ-02 providers).
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "© OpenStreetMap")
MAP_DEFAULT_CENTER = (29.5630, 106.5516)  # Chongqing, Jiefangbei


def tile_source(url: str) -> list[str]:
    """The CSP source of a tile URL template: https://t{s}.tianditu.gov.cn/… → https://*.tianditu.gov.cn."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return []
    labels = parts.netloc.split(".")
    if "{" in labels[0]:
        labels[0] = "*"
    if any("{" in label for label in labels[1:]):
        return [f"{parts.scheme}:"]
    return [f"{parts.scheme}://{'.'.join(labels)}"]


# Content-Security-Policy on every response (django-csp): the platform serves its own scripts and styles from
# static/ and has no inline script, style attribute or javascript: URL; images also from the map tiles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *tile_source(MAP_TILE_URL)],  # data: Bootstrap's select arrows and close icons
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

PLATFORM_NAME = _("电梯维保管理平台")
# A unit select with more choices than this becomes a search (the operator sees a city's 12,000 use units).
UNIT_PICKER_THRESHOLD = int(os.environ.get("UNIT_PICKER_THRESHOLD", 300))
# The address printed in QR signs (https://lift.example.cn); empty: the address of the request.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_on_one_line": {"()": "core.logfilters.ClientErrorsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_on_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Behind a reverse proxy (docs/deployment.md): TRUSTED_PROXY=1 trusts its X-Forwarded-Proto (without it, HTTPS
# through the proxy reads as HTTP and SECURE_HSTS's redirect loops) and its X-Forwarded-For / X-Real-IP for the
# client's address (core.net.client_ip: audit events, problem-report limits, lockout records). PROXY_COUNT: how many
# proxies of ours stand in front (1 for one nginx). Without them every request is taken as it arrives.
TRUSTED_PROXY = env_bool("TRUSTED_PROXY", False)
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", 1 if TRUSTED_PROXY else 0))
if TRUSTED_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"

# Problem reports from the public QR page: per address and elevator, and per elevator from every address.
PROBLEM_REPORTS_PER_ADDRESS_HOUR = int(os.environ.get("PROBLEM_REPORTS_PER_ADDRESS_HOUR", 5))
PROBLEM_REPORTS_PER_ELEVATOR_HOUR = int(os.environ.get("PROBLEM_REPORTS_PER_ELEVATOR_HOUR", 20))

# 获取登录账号 (accounts.services.obtain_unit_account): requests per address and hour (whatever their outcome), and
# failed checks per credit code and day (from any address; beyond, the code waits and the bureau helps).
UNIT_ACCOUNT_REQUESTS_PER_ADDRESS_HOUR = int(os.environ.get("UNIT_ACCOUNT_REQUESTS_PER_ADDRESS_HOUR", 10))
UNIT_ACCOUNT_FAILURES_PER_CODE_DAY = int(os.environ.get("UNIT_ACCOUNT_FAILURES_PER_CODE_DAY", 10))

if not DEBUG and env_bool("SECURE_HSTS", False):
    SECURE_HSTS_SECONDS = 31536000
    SECURE_SSL_REDIRECT = True

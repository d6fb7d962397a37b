"""Production behind the documented nginx: HTTPS through the proxy, the client's address, limits per elevator."""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import RequestFactory

from core.net import client_ip
from elevators.models import ProblemReport
from tests.factories import make_elevator

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(django_settings.BASE_DIR) / "config" / "settings.py"


def load_settings(monkeypatch, **env):
    """config/settings.py evaluated afresh under these environment variables (the running settings stay)."""
    for name in ("TRUSTED_PROXY", "PROXY_COUNT", "SECURE_HSTS", "DEBUG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hsts_behind_a_trusted_proxy_reads_its_forwarded_proto(monkeypatch):
    production = load_settings(monkeypatch, SECURE_HSTS="1", TRUSTED_PROXY="1")
    assert production.SECURE_SSL_REDIRECT and production.SECURE_HSTS_SECONDS
    assert production.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert production.PROXY_COUNT == 1
    plain = load_settings(monkeypatch, SECURE_HSTS="1")
    assert not hasattr(plain, "SECURE_PROXY_SSL_HEADER") and plain.PROXY_COUNT == 0
    assert load_settings(monkeypatch, TRUSTED_PROXY="1", PROXY_COUNT="2").PROXY_COUNT == 2


def test_the_redirect_to_https_stops_once_the_proxy_says_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/healthz", headers={"X-Forwarded-Proto": "http"}).status_code == 301
    response = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200  # behind nginx every request arrived as http: the redirect looped
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize(
    "proxies, headers, expected",
    [
        (0, {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "127.0.0.1"),  # not configured: the header is anyone's
        (1, {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "203.0.113.9"),
        (1, {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9"}, "203.0.113.9"),  # the client wrote 1.2.3.4
        (2, {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9, 10.0.0.2"}, "203.0.113.9"),
        (1, {"HTTP_X_REAL_IP": "2001:db8::1"}, "2001:db8::1"),
        (1, {"HTTP_X_FORWARDED_FOR": "not-an-address"}, "127.0.0.1"),
        (1, {}, "127.0.0.1"),
    ],
)
def test_client_address_trusts_the_proxy_only_when_configured(settings, proxies, headers, expected):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", **headers)
    assert client_ip(request) == expected


def report(client, elevator, **headers):
    data = {"category": "noise", "description": "运行时有异响", "captcha_0": "x", "captcha_1": "PASSED"}
    return client.post(elevator.public_path, data, **headers)


@pytest.fixture
def behind_nginx(settings):
    cache.clear()
    settings.PROXY_COUNT = 1
    yield settings
    cache.clear()


def test_behind_the_proxy_each_passenger_has_their_own_limit(world, client, behind_nginx):
    elevator = make_elevator(world)
    for _ in range(behind_nginx.PROBLEM_REPORTS_PER_ADDRESS_HOUR):
        assert report(client, elevator, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 200
    assert report(client, elevator, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    # another passenger behind the same proxy (REMOTE_ADDR 127.0.0.1 for all) is not held back
    assert report(client, elevator, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 200
    report_row = ProblemReport.objects.order_by("-id").first()
    assert report_row.reporter_ip == "203.0.113.2"


def test_reports_are_capped_per_elevator_across_addresses(world, client, behind_nginx):
    behind_nginx.PROBLEM_REPORTS_PER_ELEVATOR_HOUR = 3
    elevator, other = make_elevator(world), make_elevator(world)
    for n in range(3):
        assert report(client, elevator, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code == 200
    response = report(client, elevator, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429
    assert "这台电梯近一小时的问题上报已达上限" in response.content.decode()
    assert ProblemReport.objects.filter(elevator=elevator).count() == 3
    assert report(client, other, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 200


def test_a_refused_address_does_not_use_up_the_elevators_reports(world, client, behind_nginx):
    behind_nginx.PROBLEM_REPORTS_PER_ADDRESS_HOUR = 1
    behind_nginx.PROBLEM_REPORTS_PER_ELEVATOR_HOUR = 2
    elevator = make_elevator(world)
    assert report(client, elevator, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    for _ in range(5):
        assert report(client, elevator, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert report(client, elevator, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_audit_events_record_the_forwarded_address(world, client_for, behind_nginx):
    from core.models import AuditEvent

    client = client_for(world.admin_a)
    url = f"/organizations/units/{world.company_a.pk}/edit/"
    form = client.get(url).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data = {k: v for k, v in data.items() if not isinstance(v, list | dict)}
    data.update({"contact_name": "新联系人", "reason": "换人"})
    client.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.7")
    event = AuditEvent.objects.filter(action="update").order_by("-id").first()
    assert event is not None and event.ip_address == "203.0.113.7"


def test_mail_goes_by_smtp_where_a_host_is_set_else_to_the_console(monkeypatch):
    for name in ("EMAIL_HOST", "EMAIL_BACKEND", "EMAIL_PORT", "EMAIL_USE_SSL"):
        monkeypatch.delenv(name, raising=False)
    embedded = load_settings(monkeypatch)
    assert embedded.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    production = load_settings(monkeypatch, EMAIL_HOST="smtp.example.cn", EMAIL_PORT="465", EMAIL_USE_SSL="1")
    assert production.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    assert (production.EMAIL_HOST, production.EMAIL_PORT, production.EMAIL_USE_SSL) == ("smtp.example.cn", 465, True)
    assert production.CELERY_BEAT_SCHEDULE["alerts-send-alerts"]["task"] == "alerts.send_alerts"

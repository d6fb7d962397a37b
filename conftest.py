"""Fixtures shared by every test: the demo-like world, logged-in clients, the browser."""

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from tests.factories import make_world

# Playwright's sync API runs an event loop in the test thread; the ORM calls that tests and
# fixtures make there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).parent / "test-artifacts"

# Property tests check rules, not speed (speed is bench/'s): no per-example deadline, which a busy 2-core
# machine (two pytest workers, a browser) misses now and then and reports as a flaky failure.
hypothesis_settings.register_profile("project", deadline=None)
hypothesis_settings.load_profile("project")


def service_unavailable(reason: str):
    """Skip a test whose server is missing, except where REQUIRE_SERVICES=1 (CI): there it fails."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user."""
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture
def api(client):
    """api(user) -> a function that calls the API with that user's bearer token."""

    def for_user(user):
        from tests.factories import TEST_PASSWORD

        response = client.post(
            "/api/v1/auth/token",
            {"username": user.username, "password": TEST_PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        token = response.json()["token"]

        def call(method, path, body=None):
            return client.generic(
                method,
                f"/api/v1{path}",
                data=None if body is None else json.dumps(body),
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )

        return call

    return for_user


# --- browser -----------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):  # before Playwright tries (and fails obscurely) to launch its own download
        service_unavailable("Chromium is not installed at /usr/bin/chromium (make browser-deps installs it)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def browser_page(page, live_server):
    """A Playwright page against the live server (Chromium's absence is reported by browser_type_launch_args)."""
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    return page


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache outlives a test (login failure counters, cached counts): every test starts with it empty."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Requests leave their language active in the thread; every test starts in Chinese."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


def browser_login(page, username: str, password: str) -> None:
    """Log in through the real login page (the captcha accepts PASSED in tests)."""
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.fill("#id_captcha_1", "PASSED")
    page.click("button[type=submit]")
    page.wait_for_url(page.base_url + "/")


def watch_csp(page) -> list[str]:
    """Collect the console's CSP reports (and any uncaught script error) from now on."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: seen.append(f"{page.url}: {error}"))
    return seen

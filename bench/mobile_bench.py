#!/usr/bin/env python
"""The phone app's first load: the bytes of HTML, CSS and JS it needs and the time until the worker can tap
扫码开始维保, under Chromium's "Slow 3G" emulation; then the same for a later load (service worker and cache).

    .venv/bin/python bench/mobile_bench.py [--runs 3]

Serves the platform as production does (a temporary SQLite database with the test world, `collectstatic` into a
temporary folder with gzip copies, WhiteNoise serving them) from a thread, and drives Debian's Chromium with
Playwright at a phone's size. "Slow 3G" is DevTools' preset: 400 ms × 5 latency, 500 kbit/s × 0.8 down and up.
Bytes are what crossed the network (`encodedDataLength`, headers included) for the app's page and its files;
the login before it is not counted. Times are medians of --runs, each in a new browser context (cold cache).
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="mobile-bench-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.mobile_settings"
os.environ["MOBILE_BENCH_STATIC"] = str(WORK / "static")

SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 50000, "uploadThroughput": 50000}
SITE = {"latitude": 29.5952, "longitude": 106.5383, "accuracy": 8}


def prepare():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from decimal import Decimal

    from django.utils import timezone

    from maintenance.models import GroupAssignment, MaintenanceGroup
    from maintenance.services.plans import generate_year
    from tests.factories import make_elevator, make_world, qualify

    world = make_world()
    qualify(world.worker_a)
    group = MaintenanceGroup.objects.create(organization=world.company_a, name="一组", leader=world.worker_a)
    today = timezone.localdate()
    for n in range(12):  # a worker's realistic day and week: a dozen elevators of his group
        elevator = make_elevator(world, latitude=Decimal("29.595") + Decimal(n) / 1000, longitude=Decimal("106.538"))
        GroupAssignment.objects.create(elevator=elevator, group=group)
        generate_year(elevator, today, actor=world.admin_a, avoid=frozenset(), today=today)
    return world


def serve():
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def measure(context, base, *, slow=True):
    """(seconds to the tappable agenda, {kind: bytes}) for one load of /m/ in this context."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    if slow:
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    kinds, sizes = {}, {}
    cdp.on("Network.responseReceived", lambda e: kinds.__setitem__(e["requestId"], (e["type"], e["response"]["url"])))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    started = time.perf_counter()
    page.goto(base + "/m/", wait_until="commit")
    page.locator("[data-testid=scan-start]").wait_for(timeout=120000)
    page.locator("[data-testid=section-today], [data-testid=section-upcoming]").first.wait_for(timeout=120000)
    elapsed = time.perf_counter() - started
    page.wait_for_timeout(300)
    totals = {}
    for request_id, size in sizes.items():
        kind, url = kinds.get(request_id, ("Other", ""))
        if "/api/" in url:
            kind = "API"
        totals[kind] = totals.get(kind, 0) + size
    page.close()
    return elapsed, totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    prepare()
    base = serve()
    from playwright.sync_api import sync_playwright

    from tests.factories import TEST_PASSWORD

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        options = {
            "viewport": {"width": 390, "height": 844},
            "device_scale_factor": 2,
            "is_mobile": True,
            "has_touch": True,
            "locale": "zh-CN",
            "geolocation": SITE,
            "permissions": ["geolocation"],
        }
        login = browser.new_context(**options)
        page = login.new_page()
        page.goto(base + "/accounts/login/?next=/m/")
        page.fill("#id_username", "worker_a")
        page.fill("#id_password", TEST_PASSWORD)
        page.fill("#id_captcha_1", "PASSED")
        page.click("button[type=submit]")
        page.wait_for_url(base + "/m/")
        state = login.storage_state()
        login.close()

        first, later, first_bytes, later_bytes = [], [], None, None
        for _ in range(args.runs):
            context = browser.new_context(**options, storage_state=state)
            seconds, first_bytes = measure(context, base)
            first.append(seconds)
            time.sleep(1)  # the service worker installs and fills its cache
            seconds, later_bytes = measure(context, base)
            later.append(seconds)
            context.close()
        browser.close()

    def fmt(totals):
        return ", ".join(f"{kind} {size / 1024:.1f} KiB" for kind, size in sorted(totals.items()))

    def runs(values):
        return ", ".join(f"{v:.2f}" for v in values)

    print(f"first load under Slow 3G: {statistics.median(first):.2f} s to the agenda (runs: {runs(first)})")
    print(f"  over the network: {fmt(first_bytes)}; total {sum(first_bytes.values()) / 1024:.1f} KiB")
    print(f"later load under Slow 3G: {statistics.median(later):.2f} s (runs: {runs(later)})")
    print(f"  over the network: {fmt(later_bytes)}; total {sum(later_bytes.values()) / 1024:.1f} KiB")


if __name__ == "__main__":
    main()

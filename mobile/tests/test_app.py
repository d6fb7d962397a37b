"""The phone app: its shell, service worker and manifest, the agenda it caches, and the start API's phone
inputs (a scanned QR sign, a join code chosen offline)."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from maintenance.models import GroupAssignment, MaintenanceGroup
from maintenance.services.plans import generate_year
from mobile import services as mobile
from records import services
from tests.factories import UserFactory, make_elevator, make_world, png_upload, qualify

pytestmark = pytest.mark.django_db
SITE = {"latitude": "29.5952", "longitude": "106.5383", "accuracy": "10"}


@pytest.fixture
def team(monkeypatch):
    from elevators.models import Component

    monkeypatch.setattr(services, "verify_face", lambda user, data: (True, 0.3))
    world = make_world()
    world.second = UserFactory(organization=world.company_a, category="maintenance_worker", role="staff")
    for worker in (world.worker_a, world.second):
        qualify(worker)
    world.elevator = make_elevator(
        world, latitude=Decimal("29.5951"), longitude=Decimal("106.5382"), building="近处大厦"
    )
    Component.objects.create(elevator=world.elevator, name="曳引钢丝绳", installed_on=date(2025, 6, 1))
    world.far = make_elevator(world, latitude=Decimal("29.7000"), longitude=Decimal("106.6000"), building="远处花园")
    world.other_group = make_elevator(world, building="别组电梯")
    group = MaintenanceGroup.objects.create(organization=world.company_a, name="一组", leader=world.worker_a)
    group.members.add(world.worker_a, world.second)
    other = MaintenanceGroup.objects.create(organization=world.company_a, name="二组", leader=world.admin_a)
    GroupAssignment.objects.create(elevator=world.elevator, group=group)
    GroupAssignment.objects.create(elevator=world.far, group=group)
    GroupAssignment.objects.create(elevator=world.other_group, group=other)
    today = timezone.localdate()
    for elevator in (world.elevator, world.far, world.other_group):
        generate_year(elevator, today, actor=world.admin_a, avoid=frozenset(), today=today)
    return world


def test_the_shell_is_small_installable_and_needs_a_login(team, client_for, client):
    assert client.get("/m/").status_code == 302
    page = client_for(team.worker_a).get("/m/")
    html = page.content.decode()
    assert page.status_code == 200 and 'rel="manifest"' in html and "mobile/app.js" in html
    assert "<script>" not in html  # the Content-Security-Policy forbids inline scripts; the config is JSON data
    config = json.loads(html.split('id="m-config" type="application/json">')[1].split("</script>")[0])
    assert config["user"]["id"] == team.worker_a.pk and config["strings"]["scan_start"] == "扫码开始维保"
    manifest = client.get("/m/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert (
        data["start_url"] == "/m/"
        and data["display"] == "standalone"
        and {i["sizes"] for i in data["icons"]}
        == {
            "192x192",
            "512x512",
        }
    )
    worker = client.get("/m/sw.js")
    assert worker["Content-Type"].startswith("application/javascript") and worker["Service-Worker-Allowed"] == "/m/"
    body = worker.content.decode()
    assert "/static/mobile/app.js" in body and "/static/vendor/jsqr/jsQR.min.js" in body
    english = client_for(team.worker_a)
    english.cookies["django_language"] = "en"
    assert (
        json.loads(english.get("/m/").content.decode().split('type="application/json">')[1].split("</script>")[0])[
            "strings"
        ]["scan_start"]
        == "Scan to start"
    )


def test_the_agenda_is_the_workers_groups_nearest_first_with_their_items(team, client_for):
    api = client_for(team.worker_a)
    day = api.get("/api/v1/mobile/agenda", {"latitude": "29.5952", "longitude": "106.5383"}).json()
    codes = [v["elevator"]["register_code"] for v in day["visits"]]
    assert codes == [team.elevator.register_code, team.far.register_code]  # not the other group's elevator
    first = day["visits"][0]
    assert first["when"] == "today" and first["distance_m"] < 50 and first["work_type"] == "HM"
    items = day["catalogues"][first["catalogue"]]
    assert len(items) == 31 and {"item_id", "code", "needs_photo", "judgement"} <= set(items[0])
    assert first["elevator"]["qr_token"] == team.elevator.qr_token
    assert "曳引钢丝绳" in [c["name"] for c in first["elevator"]["components"]]
    packed = api.get("/api/v1/mobile/agenda", HTTP_ACCEPT_ENCODING="gzip")
    assert (
        packed["Content-Encoding"] == "gzip" and len(packed.content) < len(api.get("/api/v1/mobile/agenda").content) / 3
    )
    refused = api.get("/api/v1/mobile/agenda", {"latitude": "999", "longitude": "1"})
    assert refused.status_code == 422 and "位置坐标无效" in str(refused.json())
    assert client_for(team.worker_b).get("/api/v1/mobile/agenda").json()["visits"] == []


def test_the_agenda_lists_overdue_first_and_costs_few_queries(team, client_for, django_assert_max_num_queries):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with django_assert_max_num_queries(12):
        day = mobile.agenda(team.worker_a, today=tomorrow)
    assert [v["when"] for v in day["visits"]][:2] == ["overdue", "overdue"]
    for n in range(5):
        extra = make_elevator(team, building=f"加测{n}")
        GroupAssignment.objects.create(elevator=extra, group=MaintenanceGroup.objects.get(name="一组"))
        generate_year(extra, timezone.localdate(), actor=team.admin_a, avoid=frozenset(), today=timezone.localdate())
    with django_assert_max_num_queries(12):
        assert len(mobile.agenda(team.worker_a, today=tomorrow)["visits"]) == 7


def test_a_visit_starts_from_the_qr_sign_and_keeps_an_offline_join_code(team, client_for):
    first = client_for(team.worker_a)
    started = first.post(
        "/api/v1/maintenance/records",
        {
            "elevator": f"https://lift.example.cn/e/{team.elevator.qr_token}",
            **SITE,
            "join_code": "246810",
            "started_at": timezone.now().isoformat(),
            "selfie": png_upload(),
        },
    )
    assert started.status_code == 201, started.content
    record = started.json()
    assert record["join_code"] == "246810" and record["register_code"] == team.elevator.register_code
    state = first.get(f"/api/v1/mobile/records/{record['id']}").json()
    assert len(state["items"]) == 31 and all(i["record_item_id"] for i in state["items"])
    assert first.get("/api/v1/mobile/agenda").json()["in_progress"][0]["id"] == record["id"]
    # the second worker's phone, offline until now, sends the code it read from the first phone
    joined = client_for(team.second).post(
        "/api/v1/maintenance/records/join", {"code": "246810", **SITE, "selfie": png_upload()}
    )
    assert joined.status_code == 200, joined.content
    # another company's worker: the sign is not his elevator, and the record is not his to read
    outsider = client_for(team.worker_b)
    assert outsider.get(f"/api/v1/mobile/records/{record['id']}").status_code == 404
    scanned = outsider.post(
        "/api/v1/maintenance/records",
        {"elevator": f"/e/{team.far.qr_token}", **SITE, "selfie": png_upload()},
    )
    assert scanned.status_code == 404


def test_a_join_code_in_use_is_not_taken_twice(team):
    from records.models import MaintenanceRecord

    assert services._join_code("12345") != "12345" and len(services._join_code("abcdef")) == 6
    assert services._join_code("１２３４５６").isascii()  # full-width digits are digits, not a code to type
    MaintenanceRecord.objects.create(
        organization=team.company_a,
        elevator=team.far,
        cycle="half_month",
        work_type="HM",
        started_at=timezone.now(),
        join_code="111111",
    )
    assert services._join_code("111111") != "111111" and services._join_code("222222") == "222222"


def test_elevator_for_visit_reads_codes_urls_and_tokens(team):
    find = services.elevator_for_visit
    assert find(team.worker_a, team.elevator.register_code) == team.elevator
    assert find(team.worker_a, f"http://x/e/{team.elevator.qr_token}?a=1") == team.elevator
    assert find(team.worker_a, team.elevator.qr_token) == team.elevator
    assert find(team.worker_a, "http://x/e/") is None and find(team.worker_a, "") is None
    assert find(team.worker_b, team.elevator.register_code) is None

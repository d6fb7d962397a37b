"""维保小组: the rules of members and qualifications, bulk assignment of elevators, the pages and the API."""

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import WorkerQualification
from core.models import AuditEvent
from elevators.models import Elevator, new_qr_token
from maintenance import services
from maintenance.models import GroupAssignment, MaintenanceGroup
from tests.cases import audit_events
from tests.factories import UserFactory, make_elevator, qualify

pytestmark = pytest.mark.django_db


# per 1,000 elevators one read and one upsert (which SQLite splits into statements of 333 rows), then the lock, the
# audit event and the savepoint: about ten statements for 2,100 elevators on PostgreSQL, twenty on SQLite
MAX_STATEMENTS = 20


def many_elevators(world, n, *, company=None, use_unit=None, building="批量花园", region_code="500112", **fields):
    """n elevators copied from one made the ordinary way, each with its own codes (bulk_create: seconds, not
    minutes)."""
    template = make_elevator(
        world, company=company, use_unit=use_unit, region_code=region_code, building=building, **fields
    )
    copies = []
    base = 900000 if region_code == "500112" else 800000
    # rescue codes are unique in a city: never the template's own (made by the factory's counter, which runs on
    # through every test of the process)
    rescue_codes = (f"{code:06d}" for code in range(base, base + n + 1) if f"{code:06d}" != template.rescue_code)
    for i in range(n - 1):
        copy = Elevator.objects.get(pk=template.pk)
        copy.pk = None
        copy.register_code = f"3110{region_code}2099{i:06d}"[:20]
        copy.rescue_code = next(rescue_codes)
        copy.qr_token = new_qr_token()
        copies.append(copy)
    Elevator.objects.bulk_create(copies, batch_size=1000)
    return Elevator.objects.filter(building=building)


def group_of(world, name="一组", leader=None, members=(), actor=None):
    return services.create_group(
        actor=actor or world.admin_a,
        data={"name": name, "leader": leader or world.admin_a, "members": list(members)},
    )


# --- members and qualifications --------------------------------------------------------------------------


def test_the_leader_is_always_a_member_and_the_creation_is_audited(world):
    qualify(world.worker_a)
    group = services.create_group(
        actor=world.admin_a, data={"name": "渝北一组", "leader": world.worker_a, "members": [], "note": "渝北片区"}
    )
    assert group.organization == world.company_a
    assert set(group.members.all()) == {world.worker_a}
    event = audit_events(group, "create", world.admin_a).get()
    assert event.changes["name"] == [None, "渝北一组"]
    assert event.changes["members"] == [None, world.worker_a.display_name]
    # changing the leader keeps the old one as a member unless removed, and adds the new one
    updated = services.update_group(group, actor=world.admin_a, data={"leader": world.admin_a}, reason="换组长")
    assert updated.leader == world.admin_a
    assert set(updated.members.all()) == {world.worker_a, world.admin_a}
    assert audit_events(group, "update", world.admin_a).get().reason == "换组长"


def test_a_worker_whose_qualification_expired_cannot_join(world):
    worker = UserFactory(
        username="zhangsan", full_name="张三", organization=world.company_a, category="maintenance_worker", role="staff"
    )
    qualify(worker, valid_until=date(2026, 1, 31))
    with pytest.raises(ValidationError) as exc:
        group_of(world, members=[worker])
    assert exc.value.message_dict["members"] == ["张三的资质已过期（2026-01-31），不能加入维保小组。"]
    with pytest.raises(ValidationError) as exc:
        group_of(world, leader=worker)
    assert "张三的资质已过期" in exc.value.message_dict["leader"][0]
    assert not MaintenanceGroup.objects.exists()


def test_a_worker_without_qualification_cannot_join_but_a_manager_may(world):
    with pytest.raises(ValidationError) as exc:
        group_of(world, members=[world.worker_a])
    assert "没有资质认证" in exc.value.message_dict["members"][0]
    manager = UserFactory(username="manager", organization=world.company_a, role="staff")
    assert set(group_of(world, members=[manager]).members.all()) == {manager, world.admin_a}


def test_only_active_people_of_the_company_join(world):
    qualify(world.worker_b)
    with pytest.raises(ValidationError) as exc:
        group_of(world, members=[world.worker_b])
    assert "members" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        group_of(world, leader=world.admin_b)
    assert "leader" in exc.value.message_dict
    retired = UserFactory(username="retired", organization=world.company_a, is_active=False)
    with pytest.raises(ValidationError):
        group_of(world, members=[retired])


def test_a_member_whose_qualification_expires_later_is_flagged(world, client_for):
    qualify(world.worker_a, valid_until=timezone.localdate() + timedelta(days=30))
    group = group_of(world, members=[world.worker_a])
    assert services.expired_members(MaintenanceGroup.objects.all()) == {}
    ended = timezone.localdate() - timedelta(days=1)
    WorkerQualification.objects.filter(user=world.worker_a).update(valid_until=ended)

    assert services.expired_members([group]) == {world.worker_a.pk: ended}
    assert services.with_counts(MaintenanceGroup.objects.all()).get().flagged_count == 1
    client = client_for(world.admin_a)
    page = client.get(reverse("maintenance:group_detail", args=[group.pk])).content.decode()
    assert f"资质已过期（{ended.isoformat()}）" in page
    listed = client.get(reverse("maintenance:group_list")).content.decode()
    assert 'data-testid="flagged">1<' in listed
    # the flagged member stays: editing other fields does not refuse them
    services.update_group(group, actor=world.admin_a, data={"note": "照常"})
    assert world.worker_a in group.members.all()


def test_the_name_is_unique_in_the_company(world):
    group_of(world, name="一组")
    with pytest.raises(ValidationError) as exc:
        group_of(world, name=" 一组 ")
    assert exc.value.message_dict["name"] == ["本单位已有名为“一组”的维保小组。"]
    assert group_of(world, name="一组", leader=world.admin_b, actor=world.admin_b).organization == world.company_b


# --- elevators --------------------------------------------------------------------------------------------


def test_thousands_of_elevators_by_ids_in_a_few_statements(world, django_assert_max_num_queries):
    elevators = many_elevators(world, 2100)
    group = group_of(world)
    ids = list(elevators.values_list("pk", flat=True))
    with django_assert_max_num_queries(MAX_STATEMENTS):
        assert services.assign_elevators(group, ids, actor=world.admin_a) == 2100
    assert GroupAssignment.objects.filter(group=group).count() == 2100
    event = audit_events(group, "assign", world.admin_a).get()
    assert len(event.changes) == services.groups.AUDIT_CODES + 1 and event.changes["…"] == [None, "另 2050 台"]
    assert services.assign_elevators(group, ids[:10], actor=world.admin_a) == 0  # already there


def test_thousands_of_elevators_by_filter_in_a_few_statements(world, django_assert_max_num_queries):
    from elevators.filters import ElevatorFilter

    many_elevators(world, 2100, building="筛选花园")
    make_elevator(world, building="别处大厦")
    group = group_of(world)
    base = services.assignable_elevators(group)
    elevators = ElevatorFilter({"building": "筛选花园"}, queryset=base, user=world.admin_a).qs
    with django_assert_max_num_queries(MAX_STATEMENTS):
        assert services.assign_elevators(group, elevators, actor=world.admin_a) == 2100
    assert not GroupAssignment.objects.filter(elevator__building="别处大厦").exists()


def test_another_companys_elevator_is_refused_without_naming_it(world):
    own = make_elevator(world)
    other = make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    group = group_of(world)
    with pytest.raises(ValidationError) as exc:
        services.assign_elevators(group, [own.pk, other.pk, 987654], actor=world.admin_a)
    assert exc.value.messages == ["不能分配：2 台电梯不存在或不由本单位维保。没有分配任何电梯。"]
    assert other.register_code not in exc.value.messages[0]
    assert not GroupAssignment.objects.exists()


def test_a_scrapped_elevator_is_refused_by_its_code(world):
    scrapped = make_elevator(world)
    Elevator.objects.filter(pk=scrapped.pk).update(status="scrapped")
    group = group_of(world)
    with pytest.raises(ValidationError) as exc:
        services.assign_elevators(group, [scrapped.pk, make_elevator(world).pk], actor=world.admin_a)
    assert f"1 台电梯已报废（{scrapped.register_code}）" in exc.value.messages[0]
    assert not GroupAssignment.objects.exists()


def test_an_elevator_moves_from_its_previous_group(world):
    elevator = make_elevator(world)
    first, second = group_of(world, name="一组"), group_of(world, name="二组")
    services.assign_elevators(first, [elevator.pk], actor=world.admin_a)
    assert services.assign_elevators(second, [elevator.pk], actor=world.admin_a) == 1
    assert GroupAssignment.objects.get(elevator=elevator).group == second
    assert audit_events(second, "assign").get().changes == {elevator.register_code: ["一组", "二组"]}
    assert audit_events(first, "unassign").get().changes == {elevator.register_code: ["一组", "二组"]}


def test_unassign_and_delete(world):
    a, b, c = (make_elevator(world) for _i in range(3))
    group = group_of(world)
    services.assign_elevators(group, [a.pk, b.pk, c.pk], actor=world.admin_a)
    assert services.unassign_elevators(group, [a.pk, 987654], actor=world.admin_a) == 1
    assert audit_events(group, "unassign").get().changes == {a.register_code: ["一组", None]}
    with pytest.raises(ValidationError):
        services.unassign_elevators(group, [], actor=world.admin_a)
    assert services.delete_group(group, actor=world.admin_a, reason="撤销") == 2
    assert not GroupAssignment.objects.exists() and Elevator.objects.filter(pk=b.pk).exists()
    assert AuditEvent.objects.filter(action="delete", target_id=str(group.pk), reason="撤销").exists()


# --- pages ------------------------------------------------------------------------------------------------


def test_assign_page_by_codes_and_by_filter(world, client_for):
    typed = [make_elevator(world, building="代码大厦") for _i in range(2)]
    filtered = [make_elevator(world, building="条件花园") for _i in range(3)]
    other = make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    group = group_of(world)
    client = client_for(world.admin_a)
    url = reverse("maintenance:group_assign", args=[group.pk])
    assert client.get(url).status_code == 200

    refused = client.post(
        url, {"mode": "codes", "codes": f"{typed[0].register_code}\nNOSUCHCODE {other.register_code}"}
    )
    assert refused.status_code == 200
    assert "找不到本单位维保的这些电梯：NOSUCHCODE、" in refused.content.decode()
    assert not GroupAssignment.objects.exists()
    assert client.post(url, {"mode": "codes", "codes": "  ，"}).status_code == 200

    codes = f"{typed[0].register_code.lower()}，{typed[1].register_code}"
    assert client.post(url, {"mode": "codes", "codes": codes}).status_code == 302
    assert GroupAssignment.objects.filter(group=group).count() == 2

    page = client.get(url, {"building": "条件花园"})
    assert "符合条件的电梯 3 台" in page.content.decode()
    assert client.post(f"{url}?building=条件花园", {"mode": "selected"}).status_code == 200  # nothing checked
    response = client.post(f"{url}?building=条件花园", {"mode": "filter"})
    assert response.status_code == 302
    assert set(GroupAssignment.objects.filter(group=group).values_list("elevator_id", flat=True)) == {
        e.pk for e in typed + filtered
    }
    assert client.post(f"{url}?region=notanumber", {"mode": "filter"}).status_code == 200


def test_unassign_from_the_group_page(world, client_for):
    elevators = [make_elevator(world) for _i in range(2)]
    group = group_of(world)
    services.assign_elevators(group, [e.pk for e in elevators], actor=world.admin_a)
    client = client_for(world.admin_a)
    detail = client.get(reverse("maintenance:group_detail", args=[group.pk])).content.decode()
    assert elevators[0].register_code in detail and 'data-testid="unassign"' in detail
    url = reverse("maintenance:group_unassign", args=[group.pk])
    assert client.post(url, {"selection": [elevators[0].pk]}).status_code == 302
    assert list(GroupAssignment.objects.values_list("elevator_id", flat=True)) == [elevators[1].pk]
    assert client.post(url, {}).status_code == 302  # a message, no change
    assert client_for(world.worker_a).post(url, {"selection": [elevators[1].pk]}).status_code == 403
    worker_page = client_for(world.worker_a).get(reverse("maintenance:group_detail", args=[group.pk])).content.decode()
    assert 'data-testid="unassign"' not in worker_page and 'name="selection"' not in worker_page


def test_the_form_refuses_an_expired_worker_by_name(world, client_for):
    qualify(world.worker_a, valid_until=date(2026, 1, 31))
    client = client_for(world.admin_a)
    url = reverse("maintenance:group_create")
    assert "资质已过期 2026-01-31" in client.get(url).content.decode()
    response = client.post(url, {"name": "三组", "leader": world.admin_a.pk, "members": [world.worker_a.pk]})
    assert response.status_code == 200
    assert "的资质已过期（2026-01-31），不能加入维保小组。" in response.content.decode()
    assert not MaintenanceGroup.objects.exists()


def test_the_menu_shows_groups_to_companies_only(world, client_for):
    assert "维保小组管理" in client_for(world.worker_a).get("/").content.decode()
    assert "维保小组管理" not in client_for(world.use_admin_a).get("/").content.decode()


# --- API --------------------------------------------------------------------------------------------------


def test_api_assigns_by_ids_and_by_filter_and_removes(world, client_for):
    client = client_for(world.admin_a)
    group = group_of(world)
    one = make_elevator(world)
    [make_elevator(world, building="接口花园") for _i in range(2)]
    path = f"/api/v1/maintenance/groups/{group.pk}/elevators"

    def call(method, body):
        return client.generic(method, path, json.dumps(body), content_type="application/json")

    assert call("POST", {"elevator_ids": [one.pk]}).json() == {"count": 1}
    assert call("POST", {"filter": {"building": "接口花园"}}).json() == {"count": 2}
    assert call("POST", {}).status_code == 422
    assert call("POST", {"filter": {"region": "x"}}).status_code == 422
    refused = call("POST", {"elevator_ids": [987654]})
    assert refused.status_code == 422 and "不由本单位维保" in str(refused.json()["detail"])
    assert client.get(f"/api/v1/maintenance/groups/{group.pk}").json()["elevator_count"] == 3
    assert call("DELETE", {"elevator_ids": [one.pk]}).json() == {"count": 1}
    assert client.get("/api/v1/maintenance/groups", {"q": "一组"}).json()["items"][0]["elevator_count"] == 2
    assert client_for(world.use_admin_a).get("/api/v1/maintenance/groups").status_code == 403

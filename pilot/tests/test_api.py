"""/api/v1/pilot-applications: the applicant starts, fills, adds the batch, uploads and submits; the bureau the routing
rule names accepts, reviews, approves or returns. Each step is allowed only to its party, and only once."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.tests.builders import in_use
from core.models import Attachment
from organizations.models import Organization, Region, ServiceRelation
from pilot import services
from pilot.models import Document, PilotApplication, PilotStatus
from tests.cases import audit_events
from tests.factories import region

from .test_services import ANSWERS, pdf, ready

pytestmark = pytest.mark.django_db
URL = "/pilot-applications"


@pytest.fixture
def pilot_district(world):
    """渝北 (company A's elevators) is a pilot district, 九龙坡 (company B's) is not."""
    Region.objects.filter(code="500112").update(in_pilot=True)
    Region.objects.filter(code="500107").update(in_pilot=False)


def _fields(response) -> dict:
    """A 422's messages by field (None for the application as a whole)."""
    assert response.status_code == 422, response.content
    return {error["field"]: error["messages"] for error in response.json()["detail"]}


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def _conflict(response, words=""):
    assert response.status_code == 409, response.content
    assert words in response.json()["detail"], response.json()
    return response


def _upload(client, pk, document, upload):
    return client.post(f"/api/v1{URL}/{pk}/documents", {"document": document, "file": upload})


def _start(call, identity="maintenance_company"):
    response = call("POST", URL, {"identity": identity, "agree": True})
    assert response.status_code == 201, response.content
    return response.json()


def _submitted(world, elevators=None, **answers):
    """A complete application of company A, submitted to the Yubei bureau."""
    application = ready(world, elevators or [in_use(world)], **answers)
    services.submit(application, actor=world.admin_a)
    application.refresh_from_db()
    return application


def today():
    return timezone.localdate()


# --- the list -------------------------------------------------------------------------------------------------


def test_the_list_filters_by_status_and_search(api, world, pilot_district):
    first, second = in_use(world), in_use(world)
    draft = ready(world, [first])
    submitted = _submitted(world, [second])
    call = api(world.admin_a)

    everything = call("GET", f"{URL}?limit=100")
    assert _ids(everything) == [submitted.pk, draft.pk]  # newest first
    row = everything.json()["items"][1]
    assert row["number"] == draft.number and row["identity"] == "maintenance_company" and row["agree"] is True
    assert row["status"] == "draft" and row["status_label"] == "未提交" and row["regulator_id"] is None
    assert row["applicant_id"] == world.company_a.pk and row["use_unit_id"] == world.use_unit_a.pk
    assert [e["register_code"] for e in row["elevators"]] == [first.register_code]
    assert everything.json()["items"][0]["regulator"] == world.yubei_bureau.name

    assert _ids(call("GET", f"{URL}?status=submitted")) == [submitted.pk]
    assert _ids(call("GET", f"{URL}?status=draft")) == [draft.pk]
    assert _ids(call("GET", f"{URL}?status=approved")) == []
    assert _ids(call("GET", f"{URL}?q={draft.number}")) == [draft.pk]
    assert _ids(call("GET", f"{URL}?q={second.register_code}")) == [submitted.pk]
    assert _ids(call("GET", f"{URL}?q={second.register_code[:-2]}&status=submitted")) == [submitted.pk]
    assert _ids(call("GET", f"{URL}?q=甲物业")) == [submitted.pk, draft.pk]  # the use unit's name
    assert _ids(call("GET", f"{URL}?q=没有这家单位")) == []
    assert _ids(call("GET", f"{URL}?q=SD²")) == []  # a digit that is no number (it raised ValueError: a 500)
    assert set(_fields(call("GET", f"{URL}?status=lost"))) == {"status"}

    # the bureau lists what was submitted in its area, never a draft
    assert _ids(api(world.yubei_admin)("GET", URL)) == [submitted.pk]
    assert _ids(api(world.city_admin)("GET", f"{URL}?status=submitted")) == [submitted.pk]
    assert _ids(api(world.jlp_admin)("GET", URL)) == []
    assert _ids(api(world.admin_b)("GET", URL)) == []
    assert _ids(api(world.use_admin_a)("GET", URL)) == []  # the use unit did not apply
    refused = api(world.worker_a)("GET", URL)  # only the units' administrators apply
    assert refused.status_code == 403


# --- starting and filling -------------------------------------------------------------------------------------


def test_an_application_starts_with_the_callers_own_identity_and_the_agreement(api, world):
    call = api(world.admin_a)
    created = call("POST", URL, {"identity": "maintenance_company", "agree": True})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["agree"] is True and body["identity"] == "maintenance_company"
    assert body["applicant_id"] == body["maintenance_company_id"] == world.company_a.pk
    assert body["use_unit_id"] is None and body["regulator_id"] is None and body["elevators"] == []
    assert body["company_name"] == world.company_a.name  # prefilled from the ledger
    assert body["company_credit_code"] == world.company_a.credit_code and body["use_unit_name"] == ""
    assert body["required_documents"] == ["application_letter", "commitment"] and body["documents"] == []
    assert "请添加试点电梯。" in body["missing"] and "请填写使用单位名称。" in body["missing"]
    application = PilotApplication.objects.get(pk=body["id"])
    assert audit_events(application, "create", world.admin_a).exists()
    assert call("GET", f"{URL}/{application.pk}").json()["number"] == application.number

    before = PilotApplication.objects.count()
    not_mine = call("POST", URL, {"identity": "use_unit", "agree": True})
    assert "您的单位是维保单位" in _fields(not_mine)["identity"][0]
    not_agreed = call("POST", URL, {"identity": "maintenance_company", "agree": False})
    assert "同意" in _fields(not_agreed)[None][0]
    unknown = call("POST", URL, {"identity": "spaceship", "agree": True})
    assert unknown.status_code == 422 and [e["loc"][-1] for e in unknown.json()["detail"]] == ["identity"]
    assert call("POST", URL, {"identity": "maintenance_company"}).status_code == 422  # agree is required
    assert api(world.worker_a)("POST", URL, {"identity": "maintenance_company", "agree": True}).status_code == 403
    assert api(world.yubei_admin)("POST", URL, {"identity": "maintenance_company", "agree": True}).status_code == 403
    assert PilotApplication.objects.count() == before

    as_use_unit = _start(api(world.use_admin_a), "use_unit")
    assert as_use_unit["use_unit_id"] == world.use_unit_a.pk and as_use_unit["maintenance_company_id"] is None
    assert as_use_unit["use_unit_credit_code"] == world.use_unit_a.credit_code


def test_the_information_is_patched_by_field_and_frozen_once_submitted(api, world, pilot_district):
    call = api(world.admin_a)
    draft = _start(call)
    url = f"{URL}/{draft['id']}"

    patched = call("PATCH", url, {**ANSWERS, "use_unit_contact": "王经理"})
    assert patched.status_code == 200, patched.content
    body = patched.json()
    assert body["use_unit_contact"] == "王经理" and body["information_system_url"] == ANSWERS["information_system_url"]
    assert body["accident_in_three_years"] is False and body["iot_monitoring"] is False
    assert body["company_name"] == world.company_a.name  # a field not sent stays
    application = PilotApplication.objects.get(pk=draft["id"])
    assert audit_events(application, "update", world.admin_a).exists()

    bad_code = call("PATCH", url, {"company_credit_code": "123"})
    assert set(_fields(bad_code)) == {"company_credit_code"}
    bad_url = call("PATCH", url, {"information_system_url": "javascript:alert(1)"})
    assert set(_fields(bad_url)) == {"information_system_url"}
    both = call("PATCH", url, {"use_unit_credit_code": "91500112MA5U00000X", "information_system_url": "ftp//x"})
    assert set(_fields(both)) == {"use_unit_credit_code", "information_system_url"}
    assert PilotApplication.objects.get(pk=draft["id"]).company_credit_code == world.company_a.credit_code

    # null empties a text (the columns hold no NULL) and unsets a yes/no answer
    cleared = call("PATCH", url, {"use_unit_contact": None, "full_package": None})
    assert cleared.status_code == 200, cleared.content
    assert cleared.json()["use_unit_contact"] == "" and cleared.json()["full_package"] is None
    assert "请填写使用单位联系人。" in cleared.json()["missing"]
    assert "请选择：实施“大包维保”、“全包维保”。" in cleared.json()["missing"]

    submitted = _submitted(world)
    _conflict(call("PATCH", f"{URL}/{submitted.pk}", {"use_unit_contact": "改"}), "只能查看")
    assert PilotApplication.objects.get(pk=submitted.pk).use_unit_contact == world.use_unit_a.contact_name


# --- the batch ------------------------------------------------------------------------------------------------


def test_elevators_are_added_by_the_batch_rule_and_removed(api, world, pilot_district):
    other_unit = Organization.objects.create(
        kind="use_unit", name="丁物业", credit_code="91500112MA5U000007", region=region("500112"), address="x"
    )
    ServiceRelation.objects.create(use_unit=other_unit, maintenance_company=world.company_a)
    first, second, elsewhere = in_use(world), in_use(world), in_use(world, use_unit=other_unit)
    theirs = in_use(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    call = api(world.admin_a)
    url = f"{URL}/{_start(call)['id']}"

    added = call("POST", f"{url}/elevators", {"elevator_ids": [first.pk]})
    assert added.status_code == 200, added.content
    body = added.json()
    assert [e["id"] for e in body["elevators"]] == [first.pk] and body["use_unit_id"] == world.use_unit_a.pk
    assert body["use_unit_name"] == world.use_unit_a.name  # the batch's use unit, prefilled

    mixed = _fields(call("POST", f"{url}/elevators", {"elevator_ids": [second.pk, elsewhere.pk]}))
    assert list(mixed) == ["elevator_ids"]
    assert "同一批次只能添加使用单位和维保单位一致的电梯" in mixed["elevator_ids"][0]
    not_ours = _fields(call("POST", f"{url}/elevators", {"elevator_ids": [theirs.pk]}))
    assert "所选电梯不存在或不属于本单位" in not_ours["elevator_ids"][0]
    assert _fields(call("POST", f"{url}/elevators", {"elevator_ids": [999999]})) == not_ours  # the same words
    assert "请先勾选" in _fields(call("POST", f"{url}/elevators", {"elevator_ids": []}))["elevator_ids"][0]
    assert set(_fields(call("POST", f"{url}/elevators", {}))) == {"elevator_ids"}
    assert [e["id"] for e in call("GET", url).json()["elevators"]] == [first.pk]  # nothing of a refusal was added

    both = call("POST", f"{url}/elevators", {"elevator_ids": [second.pk]})
    assert sorted(e["id"] for e in both.json()["elevators"]) == sorted([first.pk, second.pk])
    removed = call("DELETE", f"{url}/elevators/{first.pk}")
    assert removed.status_code == 200 and [e["id"] for e in removed.json()["elevators"]] == [second.pk]
    application = PilotApplication.objects.get(pk=removed.json()["id"])
    assert audit_events(application, "remove_elevators", world.admin_a).exists()
    again = call("DELETE", f"{url}/elevators/{first.pk}")  # not in the batch (any more): nothing changes
    assert again.status_code == 200 and [e["id"] for e in again.json()["elevators"]] == [second.pk]
    assert audit_events(application, "remove_elevators").count() == 1
    assert call("DELETE", f"{url}/elevators/{second.pk}").json()["elevators"] == []
    anew = call("POST", f"{url}/elevators", {"elevator_ids": [elsewhere.pk]})  # an empty batch starts anew
    assert anew.status_code == 200 and anew.json()["use_unit_id"] == other_unit.pk

    submitted = _submitted(world)
    _conflict(call("POST", f"{URL}/{submitted.pk}/elevators", {"elevator_ids": [first.pk]}), "只能查看")
    _conflict(call("DELETE", f"{URL}/{submitted.pk}/elevators/{submitted.elevators.get().pk}"))


# --- documents ------------------------------------------------------------------------------------------------


def test_documents_are_uploaded_checked_replaced_and_removed(client_for, world, pilot_district):
    application = ready(world, [in_use(world)])
    services.detach(application, Document.COMMITMENT, actor=world.admin_a)
    client = client_for(world.admin_a)

    uploaded = _upload(client, application.pk, "commitment", pdf("承诺书.pdf"))
    assert uploaded.status_code == 201, uploaded.content
    document = uploaded.json()
    assert document["document"] == "commitment" and document["name"] == "承诺书.pdf"
    assert document["url"] == f"/attachments/{document['id']}/"
    assert client.get(document["url"]).status_code == 200
    assert client_for(world.admin_b).get(document["url"]).status_code == 404
    assert audit_events(application, "attach", world.admin_a).exists()

    page = SimpleUploadedFile("承诺书.html", b"<html><script>alert(1)</script></html>", content_type="text/html")
    assert "不支持的文件类型" in _fields(_upload(client, application.pk, "commitment", page))["file"][0]
    assert set(_fields(_upload(client, application.pk, "passport", pdf()))) == {"document"}
    no_file = client.post(f"/api/v1{URL}/{application.pk}/documents", {"document": "insurance"})
    assert set(_fields(no_file)) == {"file"}

    again = _upload(client, application.pk, "commitment", pdf("承诺书（盖章）.pdf"))  # replaces the first
    assert again.status_code == 201
    detail = client.get(f"/api/v1{URL}/{application.pk}").json()
    commitments = [d for d in detail["documents"] if d["document"] == "commitment"]
    assert [d["id"] for d in commitments] == [again.json()["id"]] and detail["missing"] == []
    assert not Attachment.objects.filter(pk=document["id"]).exists()

    # a document of another application is not removed through this one
    other = ready(world, [in_use(world)])
    foreign = services.documents_of(other).first()
    refused = client.delete(f"/api/v1{URL}/{application.pk}/documents/{foreign.pk}")
    assert refused.status_code == 422 and Attachment.objects.filter(pk=foreign.pk).exists()

    removed = client.delete(f"/api/v1{URL}/{application.pk}/documents/{again.json()['id']}")
    assert removed.status_code == 204
    assert not Attachment.objects.filter(pk=again.json()["id"]).exists()
    assert audit_events(application, "detach", world.admin_a).exists()
    assert client.delete(f"/api/v1{URL}/{application.pk}/documents/{again.json()['id']}").status_code == 422
    assert client.get(f"/api/v1{URL}/{application.pk}").json()["missing"] == ["请上传“承诺书”。"]

    services.submit(other, actor=world.admin_a)
    assert _upload(client, other.pk, "insurance", pdf()).status_code == 409
    assert client.delete(f"/api/v1{URL}/{other.pk}/documents/{foreign.pk}").status_code == 409
    assert Attachment.objects.filter(pk=foreign.pk).exists()


# --- submission -----------------------------------------------------------------------------------------------


def test_submit_lists_what_is_missing_then_names_the_bureau(api, world, pilot_district):
    call = api(world.admin_a)
    url = f"{URL}/{_start(call)['id']}"
    elevator = in_use(world)
    assert call("POST", f"{url}/elevators", {"elevator_ids": [elevator.pk]}).status_code == 200

    missing = _fields(call("POST", f"{url}/submit"))
    assert list(missing) == [None]
    assert "请填写使用单位联系人。" not in missing[None]  # prefilled from the batch's use unit
    assert "请选择：近三年是否发生过电梯安全责任事故。" in missing[None]
    assert missing[None][-2:] == ["请上传“试点申请书”。", "请上传“承诺书”。"]
    application = PilotApplication.objects.get(pk=int(url.rsplit("/", 1)[-1]))
    assert application.status == PilotStatus.DRAFT and application.regulator is None

    assert call("PATCH", url, ANSWERS).status_code == 200
    for document in ("application_letter", "commitment"):
        assert _upload_api(world.admin_a, application.pk, document).status_code == 201
    submitted = call("POST", f"{url}/submit")
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert body["status"] == "submitted" and body["submitted_at"] is not None and body["missing"] == []
    assert body["regulator_id"] == world.yubei_bureau.pk and body["regulator"] == world.yubei_bureau.name
    assert "1000 台以下" in body["routing_note"] and "渝北区" in body["routing_note"]
    assert audit_events(application, "submit", world.admin_a).exists()
    _conflict(call("POST", f"{url}/submit"), "只能查看")
    waiting = api(world.yubei_admin)("GET", "/notifications?kind=application_submitted").json()["items"]
    pilots = [n for n in waiting if n["about"] == "pilot.pilotapplication"]  # beside the elevator's registration
    assert [n["about_id"] for n in pilots] == [application.pk] and application.number in pilots[0]["title"]


def _upload_api(user, pk, document):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return _upload(client, pk, document, pdf())


def test_outside_the_pilot_districts_the_seeds_refusal_is_said(api, world, pilot_district):
    elevator = in_use(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    application = ready(world, [elevator], actor=world.admin_b)
    refused = _fields(api(world.admin_b)("POST", f"{URL}/{application.pk}/submit"))
    assert refused == {None: ["贵单位因管理或者维护保养电梯数量或电梯所在区域为非当前试点区县不能申请试点!"]}
    application.refresh_from_db()
    assert application.status == PilotStatus.DRAFT and application.regulator is None
    assert api(world.jlp_admin)("GET", f"{URL}/{application.pk}").status_code == 404


# --- the bureau's steps ---------------------------------------------------------------------------------------


def test_accepted_reviewed_and_approved_the_batch_goes_on_demand(api, world, pilot_district):
    first, second = in_use(world), in_use(world)
    application = _submitted(world, [first, second], iot_monitoring=True)
    bureau, applicant = api(world.yubei_admin), api(world.admin_a)
    url = f"{URL}/{application.pk}"

    _conflict(bureau("POST", f"{url}/review", {}))  # not accepted yet
    accepted = bureau("POST", f"{url}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    event = audit_events(application, "accept", world.yubei_admin).get()
    assert event.ip_address == "127.0.0.1"  # the step is audited with the request, as every other step
    _conflict(bureau("POST", f"{url}/accept"), "不能从“已受理”变为“已受理”")
    _conflict(applicant("PATCH", url, {"use_unit_contact": "改"}))

    reviewed = bureau("POST", f"{url}/review", {"reason": "材料齐全"})
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "reviewed"
    assert audit_events(application, "review", world.yubei_admin).get().reason == "材料齐全"
    _conflict(bureau("POST", f"{url}/review", {}))

    starts = today() + timedelta(days=7)
    for days in (14, 61):
        refused = bureau("POST", f"{url}/approve", {"interval_days": days, "starts_on": str(starts)})
        assert set(_fields(refused)) == {"interval_days"}, days
    past = bureau("POST", f"{url}/approve", {"interval_days": 30, "starts_on": str(today() - timedelta(days=1))})
    assert "不能早于今天" in _fields(past)["starts_on"][0]
    assert "开始日期" in _fields(bureau("POST", f"{url}/approve", {"interval_days": 30}))["starts_on"][0]
    assert "间隔" in _fields(bureau("POST", f"{url}/approve", {"starts_on": str(starts)}))["interval_days"][0]
    assert PilotApplication.objects.get(pk=application.pk).status == PilotStatus.REVIEWED

    approved = bureau("POST", f"{url}/approve", {"interval_days": 60, "starts_on": str(starts), "reason": "同意"})
    assert approved.status_code == 200, approved.content
    body = approved.json()
    assert body["status"] == "approved" and body["interval_days"] == 60 and body["starts_on"] == str(starts)
    _conflict(bureau("POST", f"{url}/approve", {"interval_days": 30, "starts_on": str(starts)}))
    _conflict(bureau("POST", f"{url}/return", {"reason": "晚了"}))

    on_demand = {row["elevator_id"]: row for row in applicant("GET", "/maintenance/on-demand").json()["items"]}
    assert set(on_demand) == {first.pk, second.pk}
    for row in on_demand.values():
        assert row["interval_days"] == 60 and row["starts_on"] == str(starts) and application.number in row["note"]
        assert row["iot_monitoring"] is True and row["full_package"] is False
    assert set(_ids(bureau("GET", "/maintenance/on-demand"))) == {row["id"] for row in on_demand.values()}

    told = _pilot_notices(applicant)
    assert [n["about_id"] for n in told] == [application.pk] * 2
    assert "已审批通过" in told[0]["title"] and application.number in told[0]["title"]
    assert "60 天" in told[0]["body"] and "已受理" in told[1]["title"]
    assert told[0]["url"] == f"/pilot/{application.pk}/"
    assert _pilot_notices(api(world.admin_b)) == []


def _pilot_notices(call):
    """The decisions on pilot applications the caller was told of, newest first (beside the registrations')."""
    told = call("GET", "/notifications?kind=application_decided&limit=100").json()["items"]
    return [n for n in told if n["about"] == "pilot.pilotapplication"]


def test_returned_with_a_reason_then_corrected_and_submitted_again(api, client_for, world, pilot_district):
    application = _submitted(world)
    bureau, applicant = api(world.yubei_admin), api(world.admin_a)
    url = f"{URL}/{application.pk}"

    assert bureau("POST", f"{url}/accept").status_code == 200
    assert "退回原因" in _fields(bureau("POST", f"{url}/return", {}))["reason"][0]
    assert "退回原因" in _fields(bureau("POST", f"{url}/return", {"reason": "   "}))["reason"][0]
    returned = bureau("POST", f"{url}/return", {"reason": "承诺书未盖章"})
    assert returned.status_code == 200, returned.content
    assert returned.json()["status"] == "returned" and returned.json()["decision_reason"] == "承诺书未盖章"
    _conflict(bureau("POST", f"{url}/return", {"reason": "承诺书未盖章"}))
    _conflict(bureau("POST", f"{url}/accept"))
    told = _pilot_notices(applicant)
    assert "退回申请" in told[0]["title"] and told[0]["body"] == "承诺书未盖章"
    assert told[0]["about_id"] == application.pk

    # the applicant corrects and submits again; the routing rule runs again
    assert applicant("PATCH", url, {"company_contact": "李工"}).status_code == 200
    assert _upload(client_for(world.admin_a), application.pk, "commitment", pdf("盖章.pdf")).status_code == 201
    again = applicant("POST", f"{url}/submit")
    assert again.status_code == 200 and again.json()["status"] == "submitted"
    assert again.json()["regulator_id"] == world.yubei_bureau.pk and again.json()["missing"] == []


def test_each_step_is_allowed_only_to_its_party(api, client_for, world, pilot_district):
    draft = ready(world, [in_use(world)])
    url = f"{URL}/{draft.pk}"
    approval = {"interval_days": 30, "starts_on": str(today() + timedelta(days=1))}
    steps = (("accept", None), ("review", {}), ("approve", approval), ("return", {"reason": "x"}))

    def status(user, method, path, body=None):
        return api(user)(method, path, body).status_code

    # a draft is the applicant's alone
    for outsider in (world.use_admin_a, world.admin_b, world.yubei_admin, world.city_admin, world.jlp_admin):
        assert status(outsider, "GET", url) == 404, outsider
        assert status(outsider, "POST", f"{url}/submit") == 404, outsider
        assert status(outsider, "PATCH", url, {"use_unit_contact": "x"}) == 404, outsider
    for who in (world.worker_a, world.use_admin_a):  # a worker of the company, the use unit that did not apply
        assert status(who, "GET", url) == 404, who
        assert status(who, "POST", f"{url}/elevators", {"elevator_ids": [1]}) == 404, who
        assert _upload(client_for(who), draft.pk, "insurance", pdf()).status_code == 404, who
    assert status(world.operator, "GET", url) == 200

    services.submit(draft, actor=world.admin_a)
    # the city bureau reads what its district bureau handles, and decides nothing
    assert status(world.city_admin, "GET", url) == 200
    for step, payload in steps:
        refused = api(world.city_admin)("POST", f"{url}/{step}", payload)
        assert refused.status_code == 403 and "负责处理这份申请的监管部门" in refused.json()["detail"], step
        assert status(world.admin_a, "POST", f"{url}/{step}", payload) == 403, step  # nobody decides their own
        for outsider in (world.use_admin_a, world.admin_b, world.jlp_admin, world.sz_admin, world.worker_a):
            assert status(outsider, "POST", f"{url}/{step}", payload) == 404, (step, outsider)
    for outsider in (world.use_admin_a, world.admin_b, world.use_admin_b, world.jlp_admin, world.sz_admin):
        assert status(outsider, "GET", url) == 404, outsider
        listed = api(outsider)("GET", URL)
        assert listed.status_code == 403 or draft.pk not in _ids(listed), outsider
    # the bureau it went to reads, may not edit or submit, and decides
    assert status(world.yubei_admin, "PATCH", url, {"use_unit_contact": "x"}) == 403
    assert status(world.yubei_admin, "POST", f"{url}/submit") == 403
    assert status(world.yubei_admin, "POST", f"{url}/elevators", {"elevator_ids": [1]}) == 403
    assert PilotApplication.objects.get(pk=draft.pk).status == PilotStatus.SUBMITTED
    assert status(world.yubei_admin, "POST", f"{url}/accept") == 200


def test_the_city_bureau_decides_for_a_unit_of_1000_elevators(api, world, pilot_district, monkeypatch):
    monkeypatch.setattr(services, "CITY_THRESHOLD", 1)  # company A keeps one elevator: as many as the threshold
    application = _submitted(world)
    assert application.regulator == world.city_bureau and "1000 台以上" in application.routing_note
    url = f"{URL}/{application.pk}"
    refused = api(world.yubei_admin)("POST", f"{url}/accept")
    assert refused.status_code == 403 and "负责处理这份申请的监管部门" in refused.json()["detail"]
    assert api(world.city_admin)("POST", f"{url}/accept").json()["status"] == "accepted"

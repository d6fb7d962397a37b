"""/api/v1/applications: drafts, documents and each step through the API, each allowed only to its party."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services
from applications.models import Application, ApplicationKind, ApplicationStatus, Purpose
from core.models import Attachment
from elevators.models import Elevator
from tests.cases import audit_events
from tests.factories import make_elevator

from .builders import file, in_use, pdf_upload, today

K = ApplicationKind
pytestmark = pytest.mark.django_db


def _fields(response) -> dict:
    """A 422's messages by field (None for the application as a whole)."""
    assert response.status_code == 422, response.content
    return {error["field"]: error["messages"] for error in response.json()["detail"]}


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def _upload(client, application_id, purpose, upload):
    return client.post(f"/api/v1/applications/{application_id}/attachments", {"purpose": purpose, "file": upload})


def _submitted(world, kind=K.REGISTRATION, elevators=None, **data):
    """An application of company A, submitted to the Yubei bureau."""
    if elevators is None:
        elevators = [make_elevator(world) if kind == K.REGISTRATION else in_use(world)]
    application = file(world, kind, elevators, **data)
    services.submit(application, actor=world.admin_a)
    application.refresh_from_db()
    return application


# --- lists ----------------------------------------------------------------------------------------------------


def test_the_list_filters_by_kind_status_and_elevator(api, world):
    pending, used = make_elevator(world), in_use(world)  # in_use: through an approved registration
    registered = Application.objects.get(lines__elevator=used, kind=K.REGISTRATION)
    suspension = file(world, K.SUSPENSION, [used])
    registration = file(world, K.REGISTRATION, [pending])
    call = api(world.admin_a)

    everything = call("GET", "/applications?limit=100")
    assert _ids(everything) == [registration.pk, suspension.pk, registered.pk]  # newest first
    row = everything.json()["items"][0]
    assert row["number"] == registration.number and row["kind_label"] == "使用登记申请"
    assert row["status"] == "draft" and row["status_label"] == "草稿" and row["regulator_id"] is None
    assert row["elevator_ids"] == [pending.pk] and row["elevators"][0]["register_code"] == pending.register_code

    assert _ids(call("GET", "/applications?kind=suspension")) == [suspension.pk]
    assert _ids(call("GET", "/applications?status=approved")) == [registered.pk]
    assert _ids(call("GET", "/applications?kind=registration&status=draft")) == [registration.pk]
    assert _ids(call("GET", f"/applications?elevator={used.register_code}")) == [suspension.pk, registered.pk]
    prefix = used.register_code[:-3]  # register codes are found by their beginning
    assert set(_ids(call("GET", f"/applications?elevator={prefix}"))) >= {suspension.pk, registered.pk}
    assert _ids(call("GET", "/applications?elevator=9999")) == []
    assert _ids(call("GET", f"/applications?elevator_id={pending.pk}")) == [registration.pk]
    assert _ids(call("GET", f"/applications?elevator_id={used.pk}&kind=registration")) == [registered.pk]

    errors = _fields(call("GET", "/applications?kind=spaceship&status=lost&elevator_id=abc"))
    assert set(errors) == {"kind", "status", "elevator_id"}


def test_the_list_is_closed_to_units_that_file_nothing(api, world):
    from tests.factories import OrganizationFactory, UserFactory

    manufacturer_admin = UserFactory(organization=OrganizationFactory(kind="manufacturer"), category="other")
    assert api(manufacturer_admin)("GET", "/applications").status_code == 403


# --- drafts ---------------------------------------------------------------------------------------------------


def test_a_draft_is_created_and_audited(api, world):
    elevator = make_elevator(world)
    call = api(world.admin_a)
    body = {"kind": "registration", "elevator_ids": [elevator.pk], "effective_date": str(today())}
    created = call("POST", "/applications", body)
    assert created.status_code == 201, created.content
    draft = created.json()
    assert draft["status"] == "draft" and draft["regulator_id"] is None and draft["documents"] == []
    assert draft["applicant_id"] == world.company_a.pk and draft["use_unit_id"] == world.use_unit_a.pk
    assert draft["maintenance_company_id"] == world.company_a.pk and draft["elevator_ids"] == [elevator.pk]
    assert draft["missing"] == ["请上传“使用登记申请资料”。", "请上传“告知文件”。"]
    application = Application.objects.get(pk=draft["id"])
    assert audit_events(application, "create", world.admin_a).exists()
    assert call("GET", f"/applications/{application.pk}").json()["number"] == application.number


def test_bad_input_is_refused_by_field_and_saves_nothing(api, world):
    used = in_use(world)
    theirs = make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    call = api(world.admin_a)
    before = Application.objects.count()

    no_reason = call(
        "POST", "/applications", {"kind": "suspension", "elevator_ids": [used.pk], "effective_date": str(today())}
    )
    assert "停用原因" in _fields(no_reason)["reason"][0]
    not_ours = call("POST", "/applications", {"kind": "registration", "elevator_ids": [theirs.pk]})
    assert "不属于本单位" in _fields(not_ours)["elevator_ids"][0]
    missing = call("POST", "/applications", {"kind": "registration", "elevator_ids": [999999]})
    assert _fields(missing) == _fields(not_ours)  # the same words whether it does not exist or is another's
    no_company = call("POST", "/applications", {"kind": "maintainer_change", "elevator_ids": [used.pk]})
    assert "变更后的维保单位" in _fields(no_company)["new_company_id"][0]
    not_a_company = call(
        "POST",
        "/applications",
        {"kind": "maintainer_change", "elevator_ids": [used.pk], "new_company_id": world.use_unit_b.pk},
    )
    assert set(_fields(not_a_company)) == {"new_company_id"}
    too_early = call(
        "POST",
        "/applications",
        {"kind": "suspension", "elevator_ids": [used.pk], "reason": "装修", "effective_date": "2019-01-01"},
    )
    assert "安装日期" in _fields(too_early)["effective_date"][0]

    unknown_kind = call("POST", "/applications", {"kind": "spaceship", "elevator_ids": [used.pk]})
    assert unknown_kind.status_code == 422
    assert [error["loc"][-1] for error in unknown_kind.json()["detail"]] == ["kind"]
    no_elevators = call("POST", "/applications", {"kind": "registration", "elevator_ids": []})
    assert "请至少选择一台电梯" in _fields(no_elevators)["elevator_ids"][0]
    assert Application.objects.count() == before


def test_a_draft_is_patched_and_deleted_and_a_submitted_one_stays(api, world):
    first, second = in_use(world), in_use(world)
    draft = file(world, K.SUSPENSION, [first])
    call = api(world.admin_a)
    url = f"/applications/{draft.pk}"

    day = str(today() + timedelta(days=7))
    patched = call("PATCH", url, {"reason": "电梯装修", "effective_date": day, "change_reason": "改期"})
    assert patched.status_code == 200, patched.content
    assert patched.json()["reason"] == "电梯装修" and patched.json()["effective_date"] == day
    event = audit_events(draft, "update", world.admin_a).get()
    assert event.reason == "改期" and event.changes["reason"] == ["测试原因", "电梯装修"]
    moved = call("PATCH", url, {"elevator_ids": [first.pk, second.pk]})
    by_code = [e.pk for e in sorted([first, second], key=lambda e: e.register_code)]  # the lines' order
    assert moved.status_code == 200 and moved.json()["elevator_ids"] == by_code
    assert moved.json()["reason"] == "电梯装修"  # a field not sent stays
    assert "停用原因" in _fields(call("PATCH", url, {"reason": ""}))["reason"][0]
    assert Application.objects.get(pk=draft.pk).reason == "电梯装修"

    deleted = call("DELETE", url)
    assert deleted.status_code == 204
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert audit_events(draft, "delete", world.admin_a).exists()
    assert call("GET", url).status_code == 404

    submitted = _submitted(world, K.SUSPENSION, [first])
    kept = call("DELETE", f"/applications/{submitted.pk}")
    assert kept.status_code == 409 and "已提交的申请会一直保留" in kept.json()["detail"]
    frozen = call("PATCH", f"/applications/{submitted.pk}", {"reason": "改"})
    assert frozen.status_code == 409 and "正在审核" in frozen.json()["detail"]
    assert Application.objects.get(pk=submitted.pk).reason == "测试原因"


# --- documents ------------------------------------------------------------------------------------------------


def test_documents_are_uploaded_checked_and_removed(client_for, world):
    draft = file(world, K.REGISTRATION, [make_elevator(world)], documents=False)
    client = client_for(world.admin_a)

    uploaded = _upload(client, draft.pk, "registration_form", pdf_upload("使用登记表.pdf"))
    assert uploaded.status_code == 201, uploaded.content
    document = uploaded.json()
    assert document["purpose"] == "registration_form" and document["name"] == "使用登记表.pdf"
    assert document["content_type"] == "application/pdf" and document["url"] == f"/attachments/{document['id']}/"
    assert client.get(document["url"]).status_code == 200
    assert client_for(world.admin_b).get(document["url"]).status_code == 404
    assert audit_events(draft, "attach", world.admin_a).exists()

    page = SimpleUploadedFile("合同.html", b"<html><script>alert(1)</script></html>", content_type="text/html")
    assert "不支持的文件类型" in _fields(_upload(client, draft.pk, "notice", page))["file"][0]
    assert set(_fields(_upload(client, draft.pk, "new_contract", pdf_upload()))) == {"purpose"}
    assert set(_fields(client.post(f"/api/v1/applications/{draft.pk}/attachments", {"purpose": "notice"}))) == {"file"}
    detail = client.get(f"/api/v1/applications/{draft.pk}").json()
    assert [d["id"] for d in detail["documents"]] == [document["id"]]
    assert detail["missing"] == ["请上传“告知文件”。"]

    # a document of another application is not removed through this one
    other = file(world, K.REGISTRATION, [make_elevator(world)])
    foreign = services.attachments_of(other).first()
    refused = client.delete(f"/api/v1/applications/{draft.pk}/attachments/{foreign.pk}")
    assert refused.status_code == 422 and Attachment.objects.filter(pk=foreign.pk).exists()

    removed = client.delete(f"/api/v1/applications/{draft.pk}/attachments/{document['id']}")
    assert removed.status_code == 204
    assert not Attachment.objects.filter(pk=document["id"]).exists()
    assert audit_events(draft, "detach", world.admin_a).exists()
    assert client.delete(f"/api/v1/applications/{draft.pk}/attachments/{document['id']}").status_code == 422

    services.submit(other, actor=world.admin_a)
    late = _upload(client, other.pk, "other", pdf_upload())
    assert late.status_code == 409 and "不能修改" in late.json()["detail"]
    assert client.delete(f"/api/v1/applications/{other.pk}/attachments/{foreign.pk}").status_code == 409


# --- the steps ------------------------------------------------------------------------------------------------


def test_submit_lists_what_is_missing_then_goes_to_the_district_bureau(api, client_for, world):
    elevator = make_elevator(world)
    draft = file(world, K.REGISTRATION, [elevator], documents=False)
    call = api(world.admin_a)
    url = f"/applications/{draft.pk}/submit"

    refused = _fields(call("POST", url))
    assert refused == {None: ["请上传“使用登记申请资料”。", "请上传“告知文件”。"]}
    client = client_for(world.admin_a)
    for purpose in ("registration_form", "notice"):
        assert _upload(client, draft.pk, purpose, pdf_upload()).status_code == 201
    submitted = call("POST", url)
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert body["status"] == "submitted" and body["submitted_at"] is not None
    assert body["regulator_id"] == world.yubei_bureau.pk and body["regulator"] == world.yubei_bureau.name
    assert body["missing"] == []
    again = call("POST", url)
    assert again.status_code == 409 and "不能修改" in again.json()["detail"]
    waiting = api(world.yubei_admin)("GET", "/notifications?kind=application_submitted").json()["items"]
    assert [n["about_id"] for n in waiting] == [draft.pk]


def test_approving_a_registration_needs_the_certificate_and_puts_the_elevator_in_use(api, world):
    application = _submitted(world)
    elevator = application.elevators.get()
    bureau = api(world.yubei_admin)
    url = f"/applications/{application.pk}/approve"

    assert "请填写使用登记证编号" in _fields(bureau("POST", url, {}))["certificate_number"][0]
    future = str(today() + timedelta(days=1))
    late = bureau("POST", url, {"certificate_number": "梯11渝A00009(26)", "registered_on": future})
    assert set(_fields(late)) == {"registered_on"}
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED

    approved = bureau("POST", url, {"certificate_number": "梯11渝A00009(26)", "reason": "资料齐全"})
    assert approved.status_code == 200, approved.content
    body = approved.json()
    assert body["status"] == "approved" and body["certificate_number"] == "梯11渝A00009(26)"
    assert body["registered_on"] == str(today()) and body["decision_reason"] == "资料齐全"
    elevator.refresh_from_db()
    assert elevator.status == "in_use" and elevator.use_registration_number == "梯11渝A00009(26)"
    assert audit_events(application, "approve", world.yubei_admin).count() == 1

    # a second decision is refused with the application's status, and changes nothing
    for step, payload in (
        ("approve", {"certificate_number": "梯11渝A00010(26)"}),
        ("return", {"reason": "补材料"}),
        ("reject", {"reason": "不合格"}),
    ):
        again = bureau("POST", f"/applications/{application.pk}/{step}", payload)
        assert again.status_code == 409, (step, again.content)
        assert again.json()["detail"].startswith("不能从“已通过”变为"), again.json()
    elevator.refresh_from_db()
    assert elevator.use_registration_number == "梯11渝A00009(26)"
    assert audit_events(application, "approve").count() == 1

    # the applicant is told (and the use unit, a party of the approval)
    told = api(world.admin_a)("GET", "/notifications?kind=application_decided").json()["items"]
    assert len(told) == 1 and told[0]["about"] == "applications.application"
    assert told[0]["about_id"] == application.pk and told[0]["url"] == f"/applications/{application.pk}/"
    assert application.number in told[0]["title"] and "审核通过" in told[0]["title"]
    assert told[0]["kind_label"] == "监管申请审核结果"
    assert len(api(world.use_admin_a)("GET", "/notifications?kind=application_decided").json()["items"]) == 1
    assert api(world.admin_b)("GET", "/notifications?kind=application_decided").json()["items"] == []


def test_return_and_reject_need_a_reason_and_the_applicant_is_told_why(api, world):
    application = _submitted(world, K.SUSPENSION)
    bureau, applicant = api(world.yubei_admin), api(world.admin_a)
    url = f"/applications/{application.pk}"

    assert "请填写原因" in _fields(bureau("POST", f"{url}/return", {}))["reason"][0]
    assert "请填写原因" in _fields(bureau("POST", f"{url}/return", {"reason": "  "}))["reason"][0]
    returned = bureau("POST", f"{url}/return", {"reason": "请补充停用期间的安全措施"})
    assert returned.status_code == 200, returned.content
    assert returned.json()["status"] == "returned" and returned.json()["decision_reason"] == "请补充停用期间的安全措施"
    told = applicant("GET", "/notifications?kind=application_decided").json()["items"]
    assert told[0]["about_id"] == application.pk
    assert "已退回" in told[0]["title"] and "请补充停用期间的安全措施" in told[0]["body"]

    assert applicant("PATCH", url, {"reason": "装修，已断电并设置警示"}).status_code == 200
    assert applicant("POST", f"{url}/submit").json()["status"] == "submitted"
    assert "请填写原因" in _fields(bureau("POST", f"{url}/reject", {}))["reason"][0]
    rejected = bureau("POST", f"{url}/reject", {"reason": "警示标志照片缺失"})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert Elevator.objects.get(pk=application.elevators.get().pk).status == "in_use"
    assert applicant("POST", f"{url}/submit").status_code == 409  # final
    assert bureau("POST", f"{url}/approve", {}).status_code == 409
    told = applicant("GET", "/notifications?kind=application_decided").json()["items"]
    assert [n["about_id"] for n in told].count(application.pk) == 2 and "不予通过" in told[0]["title"]


def test_each_step_is_allowed_only_to_its_party(api, client_for, world):
    draft = file(world, K.REGISTRATION, [make_elevator(world)])
    url = f"/applications/{draft.pk}"
    approval = {"certificate_number": "梯11渝A00011(26)"}

    def status(user, method, path, body=None):
        return api(user)(method, path, body).status_code

    # a draft is the applicant's alone: nobody else finds it
    for outsider in (world.use_admin_a, world.admin_b, world.yubei_admin, world.city_admin, world.jlp_admin):
        assert status(outsider, "GET", url) == 404, outsider
        assert status(outsider, "POST", f"{url}/submit") == 404, outsider
    assert status(world.yubei_admin, "POST", f"{url}/approve", approval) == 404
    # a worker of the applicant reads it, does nothing with it
    assert status(world.worker_a, "GET", url) == 200
    assert status(world.worker_a, "PATCH", url, {"reason": "x"}) == 403
    assert status(world.worker_a, "POST", f"{url}/submit") == 403
    assert status(world.worker_a, "DELETE", url) == 403
    assert _upload(client_for(world.worker_a), draft.pk, "notice", pdf_upload()).status_code == 403
    body = {"kind": "registration", "elevator_ids": [make_elevator(world).pk], "effective_date": str(today())}
    refused = api(world.worker_a)("POST", "/applications", body)
    assert refused.status_code == 403 and "管理员" in refused.json()["detail"]
    assert status(world.yubei_admin, "POST", "/applications", body) == 403
    assert status(world.operator, "GET", url) == 200

    services.submit(draft, actor=world.admin_a)
    # the use unit (a party) and the city bureau (its area) now read it; they decide nothing
    for reader in (world.use_admin_a, world.city_admin):
        assert status(reader, "GET", url) == 200, reader
        assert draft.pk in _ids(api(reader)("GET", "/applications"))
    assert status(world.use_admin_a, "PATCH", url, {"reason": "x"}) == 403
    assert status(world.use_admin_a, "DELETE", url) == 403
    assert status(world.use_admin_a, "POST", f"{url}/approve", approval) == 403
    for step, payload in (("approve", approval), ("return", {"reason": "x"}), ("reject", {"reason": "x"})):
        refused = api(world.city_admin)("POST", f"{url}/{step}", payload)
        assert refused.status_code == 403 and "受理这份申请的监管部门" in refused.json()["detail"], step
        assert status(world.admin_a, "POST", f"{url}/{step}", payload) == 403, step  # nobody decides their own
        # another company and another district's bureau do not find it
        assert status(world.admin_b, "POST", f"{url}/{step}", payload) == 404, step
        assert status(world.jlp_admin, "POST", f"{url}/{step}", payload) == 404, step
        assert status(world.sz_admin, "POST", f"{url}/{step}", payload) == 404, step
    for outsider in (world.admin_b, world.use_admin_b, world.jlp_admin, world.sz_admin, world.worker_b):
        assert status(outsider, "GET", url) == 404, outsider
        listed = api(outsider)("GET", "/applications")
        assert listed.status_code == 403 or draft.pk not in _ids(listed), outsider
    # the bureau it went to reads, may not edit, and decides
    assert status(world.yubei_admin, "PATCH", url, {"reason": "x"}) == 403
    assert status(world.yubei_admin, "POST", f"{url}/submit") == 403
    assert Application.objects.get(pk=draft.pk).status == ApplicationStatus.SUBMITTED
    assert status(world.yubei_admin, "POST", f"{url}/approve", approval) == 200


def test_a_maintainer_change_is_read_by_the_new_company_once_submitted(api, world):
    elevator = in_use(world)
    call = api(world.admin_a)
    created = call(
        "POST",
        "/applications",
        {
            "kind": "maintainer_change",
            "elevator_ids": [elevator.pk],
            "new_company_id": world.company_b.pk,
            "reason": "合同到期",
        },
    )
    assert created.status_code == 201, created.content
    url = f"/applications/{created.json()['id']}"
    assert created.json()["new_company_id"] == world.company_b.pk
    assert created.json()["missing"] == ["请上传“到期的维保合同”。"]
    assert api(world.admin_b)("GET", url).status_code == 404  # a draft
    application = Application.objects.get(pk=created.json()["id"])
    services.attach(application, actor=world.admin_a, purpose=Purpose.EXPIRING_CONTRACT, upload=pdf_upload())
    assert call("POST", f"{url}/submit").status_code == 200
    new_company = api(world.admin_b)
    assert new_company("GET", url).status_code == 200
    assert new_company("POST", f"{url}/approve", {}).status_code == 403
    assert api(world.yubei_admin)("POST", f"{url}/approve", {}).status_code == 200
    elevator.refresh_from_db()
    assert elevator.maintenance_company == world.company_b
    assert [n["about_id"] for n in new_company("GET", "/notifications?kind=application_decided").json()["items"]] == [
        application.pk
    ]

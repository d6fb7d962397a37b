"""更新已有电梯: an import that changes existing elevators, shown field by field before anything is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from core.uploads import validate_xlsx
from elevators.models import Elevator, ElevatorStatus
from imports import services as job_services
from imports.models import ImportJob, ImportMode, ImportStatus
from tests.factories import make_elevator
from tests.importing import existing_elevator, xlsx

pytestmark = pytest.mark.django_db

CODE = "31105001122019010001"
UPDATE_HEADER = ["注册代码", "型号", "层数", "站数", "门数", "维保单位", "使用状态", "安装地址"]


def start_update(user, content) -> ImportJob:
    checked = validate_xlsx(SimpleUploadedFile("更新.xlsx", content))
    job = job_services.create_job(kind="elevators", user=user, checked=checked, pending=True, mode=ImportMode.UPDATE)
    job_services.confirm_job(job, user)
    job_services.run_job(job.pk)
    job.refresh_from_db()
    return job


def apply(job, user) -> ImportJob:
    job_services.apply_changes(job, user)
    job_services.run_job(job.pk)
    job.refresh_from_db()
    return job


@pytest.fixture
def elevator(world):
    return existing_elevator(world, code=CODE)


def test_changes_are_computed_shown_and_applied_on_confirmation(world, elevator):
    other = make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    rows = [
        [CODE, "X2", 8, 8, 8, world.company_b.name, "停用", None],  # a company cell naming another company
        ["31105001122019019999", "X3", None, None, None, None, None, None],  # no such elevator
        [other.register_code, "X4", None, None, None, None, None, None],  # another company's: not ours to change
        [CODE, "X5", None, None, None, None, None, None],  # the same elevator twice
    ]
    job = start_update(world.admin_a, xlsx(UPDATE_HEADER, rows))
    assert job.status == ImportStatus.REVIEW, job.error
    assert (job.total_rows, job.accepted_rows, job.rejected_rows, job.unchanged_rows) == (4, 1, 3, 0)
    [entry] = job.changes
    assert entry["register_code"] == CODE and entry["url"] == reverse("elevators:detail", args=[elevator.pk])
    shown = {(c["field"], c["old"], c["new"]) for c in entry["changes"]}
    assert shown == {("product_model", "X1", "X2"), ("floors", "6", "8"), ("stops", "6", "8"), ("doors", "6", "8")}
    assert [c["label"] for c in entry["refused"]] == ["维保单位"] and "维保单位变更" in entry["refused"][0]["reason"]
    reasons = {e["register_code"]: e["errors"] for e in job.report}
    assert "不新增电梯" in reasons["31105001122019019999"][0]
    assert reasons[other.register_code] == [
        reasons["31105001122019019999"][0].replace("31105001122019019999", other.register_code)
    ]
    assert "重复" in reasons[CODE][0]
    elevator.refresh_from_db()
    assert elevator.product_model == "X1" and elevator.floors == 6  # nothing written yet
    assert not AuditEvent.objects.filter(reason=f"批量导入更新 #{job.pk}").exists()

    job = apply(job, world.admin_a)
    assert job.status == ImportStatus.DONE and job.accepted_rows == 1 and job.rejected_rows == 3
    elevator.refresh_from_db()
    assert (elevator.product_model, elevator.floors, elevator.stops, elevator.doors) == ("X2", 8, 8, 8)
    assert elevator.maintenance_company == world.company_a and elevator.status == ElevatorStatus.PENDING_REGISTRATION
    event = AuditEvent.objects.get(reason=f"批量导入更新 #{job.pk}")
    assert event.actor == world.admin_a and event.changes["product_model"] == ["X1", "X2"]
    other.refresh_from_db()
    assert other.product_model != "X4"


def test_blank_cells_change_nothing_and_unchanged_rows_are_counted(world, elevator):
    job = start_update(
        world.admin_a, xlsx(UPDATE_HEADER, [[CODE, "X1", None, None, None, world.company_a.name, None, ""]])
    )
    assert job.status == ImportStatus.REVIEW
    assert (job.accepted_rows, job.unchanged_rows, job.rejected_rows, job.changes) == (0, 1, 0, [])


def test_a_bad_cell_refuses_the_whole_row(world, elevator):
    job = start_update(world.admin_a, xlsx(UPDATE_HEADER, [[CODE, "X2", 3, 8, 8, None, None, None]]))
    assert job.accepted_rows == 0 and job.rejected_rows == 1 and job.changes == []
    assert any("站数" in error or "层数" in error for error in job.report[0]["errors"]), job.report


def test_an_elevator_changed_after_the_preview_is_not_overwritten(world, elevator):
    job = start_update(world.admin_a, xlsx(UPDATE_HEADER, [[CODE, "X2", None, None, None, None, None, None]]))
    Elevator.objects.filter(pk=elevator.pk).update(address="别人刚改的地址", updated_at=timezone.now())
    job = apply(job, world.admin_a)
    assert job.accepted_rows == 0 and job.rejected_rows == 1 and "预览之后" in job.report[0]["errors"][0]
    elevator.refresh_from_db()
    assert elevator.product_model == "X1"


def test_the_update_journey_through_the_pages(
    world, elevator, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(job_services, "launch", job_services.run_job)
    client = client_for(world.admin_a)
    assert "更新已有记录" in client.get(reverse("imports:start", args=["elevators"])).content.decode()
    content = xlsx(UPDATE_HEADER, [[CODE, "X2", None, None, None, None, None, None]])
    response = client.post(
        reverse("imports:start", args=["elevators"]),
        {"file": SimpleUploadedFile("更新.xlsx", content), "mode": "update"},
    )
    job = ImportJob.objects.get()
    url = reverse("imports:mapping", args=[job.pk])
    assert response["Location"] == url and job.mode == ImportMode.UPDATE  # an update always shows its mapping
    page = client.get(url).content.decode()
    assert "必填" not in page.split("preview-table")[1].split("</table>")[0]  # blank cells are fine in an update
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"map-register_code": "0", "map-product_model": "1", "action": "confirm"})
    job.refresh_from_db()
    assert job.status == ImportStatus.REVIEW
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert 'data-testid="old-value">X1<' in page and 'data-testid="new-value">X2<' in page
    assert 'data-testid="apply-changes"' in page and 'data-testid="import-mode">更新已有记录<' in page

    # another company can neither see nor confirm it
    apply_url = reverse("imports:apply", args=[job.pk])
    assert client_for(world.admin_b).post(apply_url).status_code == 404
    assert client_for(world.admin_b).get(reverse("imports:detail", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportStatus.REVIEW

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url)
    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    elevator.refresh_from_db()
    assert elevator.product_model == "X2"
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "已做的更改" in page and 'data-testid="apply-changes"' not in page
    assert client.post(apply_url).status_code == 302  # confirming again does nothing
    assert AuditEvent.objects.filter(reason=f"批量导入更新 #{job.pk}").count() == 1


def test_the_changes_preview_speaks_english(world, elevator, client_for, settings):
    job = start_update(world.admin_a, xlsx(UPDATE_HEADER, [[CODE, "X2", None, None, None, None, None, None]]))
    client = client_for(world.admin_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    for text in ("Preview of the changes", "Old value", "New value", "Elevators to update", "Confirm: update 1"):
        assert text in page, text
    assert "更改预览" not in page and "原值" not in page

"""试点申请 pages: the seed's flow from 新增 to 审批 through the pages, and who may use which."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.tests.builders import in_use
from maintenance.models import OnDemandMaintenance
from organizations.models import Region
from pilot import services
from pilot.models import Document, PilotApplication, PilotStatus

from .test_services import ANSWERS, pdf, ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot_district(world):
    Region.objects.filter(code="500112").update(in_pilot=True)


def _answers(application):
    data = {field: getattr(application, field) for field in services.UNIT_FIELDS}
    for field, value in ANSWERS.items():
        if field != "system_description":
            data[field] = str(value) if isinstance(value, bool) else value
    return data


def test_from_new_to_approval_through_the_pages(world, client_for, pilot_district):
    first, second = in_use(world), in_use(world)
    company, bureau = client_for(world.admin_a), client_for(world.yubei_admin)
    listing = company.get(reverse("pilot:list")).content.decode()
    assert 'data-testid="pilot-new"' in listing and "没有查询到结果" in listing
    identity = company.get(reverse("pilot:create")).content.decode()
    assert "申请单位身份选择" in identity
    requirements = company.post(reverse("pilot:create"), {"identity": "maintenance_company"}).content.decode()
    assert "试点工作要求" in requirements and "近三年未发生电梯安全责任事故" in requirements
    response = company.post(reverse("pilot:create"), {"identity": "maintenance_company", "agree": "on"})
    application = PilotApplication.objects.get()
    assert response.url == reverse("pilot:edit", args=[application.pk])
    page = company.get(reverse("pilot:edit", args=[application.pk])).content.decode()
    assert world.company_a.name in page and "申请条件符合性声明" in page
    candidates = company.get(reverse("pilot:add_elevators", args=[application.pk])).content.decode()
    assert first.register_code in candidates and second.register_code in candidates
    company.post(reverse("pilot:add_elevators", args=[application.pk]), {"elevator": [first.pk, second.pk]})
    application.refresh_from_db()
    saved = company.post(reverse("pilot:edit", args=[application.pk]), _answers(application))
    assert saved.status_code == 302
    company.post(reverse("pilot:system", args=[application.pk]), {"system_description": ANSWERS["system_description"]})
    documents = company.get(reverse("pilot:documents", args=[application.pk])).content.decode()
    assert "下载模板" in documents and "如实施物联网监测系统维保，需提供" in documents
    for document in (Document.APPLICATION_LETTER, Document.COMMITMENT):
        company.post(reverse("pilot:documents", args=[application.pk]), {"document": document, "file": pdf()})
    documents = company.get(reverse("pilot:documents", args=[application.pk])).content.decode()
    assert 'data-testid="uploaded-commitment"' in documents
    assert company.post(reverse("pilot:submit", args=[application.pk])).status_code == 302
    application.refresh_from_db()
    assert application.status == PilotStatus.SUBMITTED and application.regulator == world.yubei_bureau
    view = company.get(application.get_absolute_url()).content.decode()
    assert 'data-testid="pilot-edit"' not in view and "1000 台以下" in view
    assert company.get(reverse("pilot:edit", args=[application.pk])).status_code == 302  # only 查看 now
    queue = bureau.get(reverse("pilot:queue")).content.decode()
    assert application.number in queue
    assert bureau.post(reverse("pilot:accept", args=[application.pk])).status_code == 302
    bureau.post(reverse("pilot:return", args=[application.pk]), {"reason": "承诺书未盖章"})
    listing = company.get(reverse("pilot:list"), {"status": "returned"}).content.decode()
    assert 'data-testid="view-reason"' in listing and 'data-testid="row-edit"' in listing
    assert "承诺书未盖章" in company.get(application.get_absolute_url()).content.decode()
    company.post(
        reverse("pilot:documents", args=[application.pk]), {"document": Document.COMMITMENT, "file": pdf("盖章.pdf")}
    )
    company.post(reverse("pilot:submit", args=[application.pk]))
    bureau.post(reverse("pilot:accept", args=[application.pk]))
    bureau.post(reverse("pilot:review", args=[application.pk]), {"reason": "材料齐全"})
    starts = timezone.localdate() + timedelta(days=1)
    refused = bureau.post(reverse("pilot:approve", args=[application.pk]), {"interval_days": "90", "starts_on": starts})
    assert refused.status_code == 200
    bureau.post(
        reverse("pilot:approve", args=[application.pk]), {"interval_days": "30", "starts_on": starts.isoformat()}
    )
    application.refresh_from_db()
    assert application.status == PilotStatus.APPROVED
    assert OnDemandMaintenance.objects.filter(elevator__in=[first, second], interval_days=30).count() == 2


def test_the_batch_rule_and_refusals_are_said_on_the_page(world, client_for, pilot_district):
    application = ready(world, [in_use(world)])
    client = client_for(world.admin_a)
    other = in_use(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    response = client.post(reverse("pilot:add_elevators", args=[application.pk]), {"elevator": [other.pk]}, follow=True)
    assert "所选电梯不存在或不属于本单位" in response.content.decode()
    Region.objects.filter(code="500112").update(in_pilot=False)
    response = client.post(reverse("pilot:submit", args=[application.pk]))
    assert "非当前试点区县不能申请试点" in response.content.decode()
    assert client.post(reverse("pilot:create"), {"identity": "use_unit", "agree": "on"}).status_code == 200


def test_who_may_use_which_page(world, client_for, pilot_district):
    application = ready(world, [in_use(world)])
    assert client_for(world.yubei_admin).get(application.get_absolute_url()).status_code == 404  # a draft
    assert client_for(world.admin_b).get(reverse("pilot:edit", args=[application.pk])).status_code == 404
    assert client_for(world.worker_a).get(reverse("pilot:list")).status_code == 403
    services.submit(application, actor=world.admin_a)
    assert client_for(world.city_admin).get(application.get_absolute_url()).status_code == 200
    assert client_for(world.city_admin).post(reverse("pilot:accept", args=[application.pk])).status_code == 403
    assert client_for(world.jlp_admin).post(reverse("pilot:accept", args=[application.pk])).status_code == 404
    assert client_for(world.admin_a).post(reverse("pilot:accept", args=[application.pk])).status_code == 403
    assert client_for(world.use_admin_a).get(reverse("pilot:queue")).status_code == 403


def test_print_and_the_commitment_template_are_pdfs(world, client_for, pilot_district):
    import subprocess

    application = ready(world, [in_use(world)])
    client = client_for(world.admin_a)
    printed = client.get(reverse("pilot:print", args=[application.pk]))
    assert printed["Content-Type"] == "application/pdf" and printed["Content-Disposition"].startswith("inline")
    text = subprocess.run(["pdftotext", "-", "-"], input=printed.content, capture_output=True, check=True).stdout
    assert application.number in text.decode() and world.company_a.credit_code in text.decode()
    template = client.get(reverse("pilot:commitment_template"))
    assert template["Content-Type"] == "application/pdf" and template["Content-Disposition"].startswith("attachment")
    text = subprocess.run(["pdftotext", "-", "-"], input=template.content, capture_output=True, check=True).stdout
    assert "承诺书" in text.decode()
    assert client_for(world.admin_b).get(reverse("pilot:print", args=[application.pk])).status_code == 404

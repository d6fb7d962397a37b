"""A unit qualification's review: submitted, then approved or returned, through core.workflow.transition."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEvent
from core.workflow import TransitionError, transition
from organizations.models import QualificationStatus
from organizations.services import QUALIFICATION_TRANSITIONS, review_qualification, submit_qualification
from tests.factories import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def qualification(world):
    def up(name):
        return SimpleUploadedFile(name, png_bytes())

    return submit_qualification(
        world.company_a,
        actor=world.admin_a,
        certificate_number="Q-1",
        valid_from=date(2025, 1, 1),
        valid_until=date(2029, 1, 1),
        business_licence=up("执照.png"),
        qualification_certificate=up("资质.png"),
        self_declaration=up("承诺书.png"),
    )


def test_transition_moves_the_status_and_writes_who_when_what_why(world, qualification):
    result = transition(
        qualification,
        QualificationStatus.APPROVED,
        allowed=QUALIFICATION_TRANSITIONS,
        actor=world.yubei_admin,
        reason="材料齐全",
    )
    assert result.status == qualification.status == "approved"
    event = AuditEvent.objects.get(action="transition")
    assert event.actor == world.yubei_admin
    assert event.changes == {"status": ["submitted", "approved"]}
    assert event.reason == "材料齐全"
    assert event.target == qualification


def test_a_transition_the_rules_do_not_allow_raises_a_clear_error(world, qualification):
    review_qualification(qualification, actor=world.yubei_admin, approve=True)
    with pytest.raises(TransitionError) as exc:
        review_qualification(qualification, actor=world.yubei_admin, approve=False, note="迟到的退回")
    assert "已通过" in str(exc.value) and "已退回" in str(exc.value)
    qualification.refresh_from_db()
    assert qualification.status == "approved"


def test_returning_needs_a_reason(world, qualification):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        review_qualification(qualification, actor=world.yubei_admin, approve=False, note="  ")
    qualification.refresh_from_db()
    assert qualification.status == "submitted"


def test_status_fields_are_not_editable_in_forms():
    from organizations.models import OrganizationQualification

    assert OrganizationQualification._meta.get_field("status").editable is False


def test_submitting_a_qualification_with_one_bad_file_stores_nothing(world):
    from django.core.exceptions import ValidationError

    from core.models import Attachment

    with pytest.raises(ValidationError) as exc:
        submit_qualification(
            world.company_a,
            actor=world.admin_a,
            certificate_number="Q-2",
            valid_from=date(2025, 1, 1),
            valid_until=date(2029, 1, 1),
            business_licence=SimpleUploadedFile("a.png", png_bytes()),
            qualification_certificate=SimpleUploadedFile("b.exe", b"MZ"),
            self_declaration=SimpleUploadedFile("c.png", png_bytes()),
        )
    assert "qualification_certificate" in exc.value.message_dict
    assert not Attachment.objects.exists()
    assert not world.company_a.qualifications.exists()

"""/api/v1/drills: 应急演练 that a person may read (read-only), newest first."""

from datetime import date

from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from api.errors import with_errors
from api.filtering import filter_queryset
from core.policies import require

from .categories import CATEGORIES
from .filters import EmergencyDrillFilter
from .models import EmergencyDrill

router = Router(tags=["drills"])


class DrillQuery(Schema):
    held_after: date | None = Field(None, description="演练日期从")
    held_before: date | None = Field(None, description="演练日期至")
    category: CATEGORIES | None = Field(None, description="电梯类别：traction、hydraulic、dumbwaiter、escalator")
    elevator: str | None = Field(None, description="注册代码开头或小区/大厦名称")


class DrillOut(Schema):
    id: int
    organization: int = Field(description="维保单位的 id")
    held_on: date
    subject: str
    location: str
    summary: str
    other_participants: str
    elevator_ids: list[int]
    participant_ids: list[int]
    photo_count: int

    @staticmethod
    def resolve_organization(drill):
        return drill.organization_id

    @staticmethod
    def resolve_elevator_ids(drill):
        return [e.pk for e in drill.elevators.all()]

    @staticmethod
    def resolve_participant_ids(drill):
        return [p.pk for p in drill.participants.all()]


@router.get("", response=with_errors(list[DrillOut]))
@paginate(LimitOffsetPagination)
def list_drills(request, filters: Query[DrillQuery]):
    """The drills the person may read: a company its own, a use unit those covering its elevators, a bureau those
    covering elevators of its area."""
    from .views import with_counts

    require(request.user, "list", EmergencyDrill)
    drills = with_counts(EmergencyDrill.objects.visible_to(request.user))
    drills = filter_queryset(EmergencyDrillFilter, filters, drills, request=request)
    return drills.prefetch_related("elevators", "participants").order_by("-held_on", "-id")

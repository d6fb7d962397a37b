"""/api/v1/warnings: 预警. Only `kind=maintenance` (维保预警) exists so far: the schema's enum lists the kinds the
platform answers, so a client learns from the OpenAPI document which kinds it may ask for."""

from datetime import date
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from api.errors import with_errors
from api.filtering import filter_queryset

from . import rules, services
from .filters import MaintenanceWarningFilter

router = Router(tags=["alerts"])


class WarningQuery(Schema):
    kind: Literal["maintenance"] = Field(
        "maintenance", description="预警类别：maintenance 维保预警（年检、限速器、组件寿命预警随后提供）"
    )
    level: Literal["near", "overdue"] | None = Field(None, description="near 临期（黄色），overdue 逾期（红色）")
    region: int | None = Field(None, description="区县（或市）的 id")
    group: int | None = Field(None, description="维保小组的 id")
    due_after: date | None = Field(None, description="计划日期从")
    due_before: date | None = Field(None, description="计划日期至")


class WarningOut(Schema):
    id: int = Field(description="维保计划的 id")
    kind: str
    elevator: int = Field(alias="elevator_id")
    register_code: str = Field(alias="elevator.register_code")
    building: str = Field(alias="elevator.building")
    organization: int = Field(alias="organization_id", description="维保单位的 id")
    cycle: str
    due_date: date
    level: str = Field(description="near 临期，overdue 逾期")
    days: int = Field(description="距计划日期的天数：正数为还有几天，0 为今天到期，负数为逾期天数")
    escalation_step: int = Field(description="逾期升级：0 未逾期；逾期 1、3、7 天起依次为 1、2、3")


@router.get("", response=with_errors(list[WarningOut]))
@paginate(LimitOffsetPagination)
def list_warnings(request, filters: Query[WarningQuery]):
    """Open visits near (临期) or past (逾期) their due date, sorted by due date; each company's own threshold
    (预警设置, 3 days by default) decides when a visit is near. Suspended and scrapped elevators raise none."""
    today = timezone.localdate()
    data = filters.dict()
    data.pop("kind")
    queryset = services.maintenance_warnings(request.user, today=today)
    queryset = filter_queryset(MaintenanceWarningFilter, data, queryset, request=request)
    queryset = queryset.select_related("elevator").order_by("due_date", "id")
    return _Rows(queryset, today)


class _Rows:
    """The page's rows with their level, days and escalation step, computed after LIMIT/OFFSET."""

    def __init__(self, queryset, today):
        self.queryset, self.today = queryset, today

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        rows = list(self.queryset[item])
        for plan in rows:
            plan.kind = "maintenance"
            plan.days = rules.days_left(plan.due_date, self.today)
            plan.level = rules.OVERDUE if plan.days < 0 else rules.NEAR
            plan.escalation_step = rules.escalation_step(plan.due_date, self.today)
        return rows

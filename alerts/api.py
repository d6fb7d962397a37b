"""/api/v1/warnings: 预警 by kind — maintenance 维保预警, inspection 年检预警, component 组件寿命预警. The schema's enum
lists the kinds the platform answers, so a client learns from the OpenAPI document which kinds it may ask for."""

from datetime import date
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from api.errors import with_errors
from api.filtering import filter_queryset
from elevators import inspection

from . import rules, services
from .filters import ComponentWarningFilter, InspectionWarningFilter, MaintenanceWarningFilter, SelfcheckWarningFilter

router = Router(tags=["alerts"])


class WarningQuery(Schema):
    kind: Literal["maintenance", "inspection", "component", "drill", "selfcheck"] = Field(
        "maintenance",
        description="预警类别：maintenance 维保预警，inspection 年检预警，component 组件寿命预警，"
        "drill 应急演练预警（每行一个维保单位的一类电梯；region、group 不适用），selfcheck 年度自行检查预警"
        "（限速器预警随后提供）",
    )
    level: Literal["near", "overdue"] | None = Field(None, description="near 临期（黄色），overdue 逾期（红色）")
    region: int | None = Field(None, description="区县（或市）的 id")
    group: int | None = Field(None, description="维保小组的 id")
    due_after: date | None = Field(None, description="到期日从（计划日期、下次检验日期或寿命到期日）")
    due_before: date | None = Field(None, description="到期日至")


class WarningOut(Schema):
    id: int | str = Field(
        description="maintenance：维保计划的 id；inspection、selfcheck：电梯的 id；component：组件的 id；"
        "drill：“维保单位 id-电梯类别”"
    )
    kind: str
    elevator: int | None = Field(None, description="电梯的 id（drill 为 null）")
    register_code: str | None = None
    building: str | None = None
    organization: int | None = Field(description="维保单位的 id")
    due_date: date = Field(description="计划日期、下次检验日期或寿命到期日")
    level: str = Field(description="near 临期，overdue 逾期")
    days: int = Field(description="距到期日的天数：正数为还有几天，0 为今天到期，负数为逾期天数")
    escalation_step: int | None = Field(
        description="维保预警的逾期升级：0 未逾期；逾期 1、3、7 天起依次为 1、2、3（其他类别为 null）"
    )
    cycle: str | None = Field(None, description="维保类型（维保预警）")
    inspection_kind: str | None = Field(None, description="periodic 定期检验，self 自行检测（年检预警）")
    tier: int | None = Field(None, description="年检预警的提前档：60、30 或 7 天内（逾期为 null）")
    component: str | None = Field(None, description="组件名称（组件寿命预警）")
    category: str | None = Field(
        None, description="电梯类别（应急演练预警）：traction、hydraulic、dumbwaiter、escalator"
    )
    elevator_count: int | None = Field(None, description="该类电梯台数（应急演练预警）")
    last_drill: date | None = Field(None, description="最近一次演练日期（应急演练预警；从未演练为 null）")
    last_drill_id: int | None = Field(None, description="最近一次演练的 id（应急演练预警）")
    last_annual: date | None = Field(None, description="最近一次已完成的年度维保日期（年度自行检查预警）")


# kind -> (the warnings, their filter set, the due date's field, the ordering, select_related)
KINDS = {
    "maintenance": (services.maintenance_warnings, MaintenanceWarningFilter, "due_date", ("elevator",)),
    "inspection": (services.inspection_warnings, InspectionWarningFilter, "next_inspection_date", ()),
    "component": (services.component_warnings, ComponentWarningFilter, "expires_on", ("elevator",)),
    "drill": (services.drill_warnings, None, "due_date", ()),
    "selfcheck": (services.selfcheck_warnings, SelfcheckWarningFilter, "next_inspection_date", ()),
}


@router.get("", response=with_errors(list[WarningOut]))
@paginate(LimitOffsetPagination)
def list_warnings(request, filters: Query[WarningQuery]):
    """Warnings near (临期) or past (逾期) their date, sorted by that date: open visits by each company's threshold
    (预警设置, 3 days by default), inspections within 60 days (tiers 60/30/7), components within 30 days of their end
    of life. Suspended and scrapped elevators raise none."""
    today = timezone.localdate()
    data = filters.dict()
    kind = data.pop("kind")
    warnings, filterset, field, related = KINDS[kind]
    if kind == "drill":
        return _DrillRows(warnings(request.user, today=today, level=data.get("level")), data, today)
    queryset = warnings(request.user, today=today)
    queryset = filter_queryset(filterset, data, queryset, request=request)
    queryset = queryset.select_related(*related).order_by(field, "id")
    return _Rows(queryset, today, kind, field)


def _row(obj, kind: str, field: str, today: date) -> dict:
    due = getattr(obj, field)
    days = rules.days_left(due, today)
    elevator = obj if kind in ("inspection", "selfcheck") else obj.elevator
    row = {
        "id": obj.pk,
        "kind": kind,
        "elevator": elevator.pk,
        "register_code": elevator.register_code,
        "building": elevator.building,
        "organization": elevator.maintenance_company_id,
        "due_date": due,
        "level": rules.OVERDUE if days < 0 else rules.NEAR,
        "days": days,
        "escalation_step": None,
    }
    if kind == "maintenance":
        row.update(organization=obj.organization_id, cycle=obj.cycle, escalation_step=rules.escalation_step(due, today))
    elif kind == "inspection":
        row.update(inspection_kind=inspection.kind_on(obj.inspection_base_date, due), tier=rules.tier(due, today))
    elif kind == "selfcheck":
        last = obj.last_annual
        row.update(
            inspection_kind=inspection.PERIODIC,
            last_annual=timezone.localdate(last) if last is not None else None,
        )
    else:
        row["component"] = obj.name
    return row


class _Rows:
    """The page's rows with their level and days (and each kind's own fields), computed after LIMIT/OFFSET."""

    def __init__(self, queryset, today, kind, field):
        self.queryset, self.today, self.kind, self.field = queryset, today, kind, field

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        return [_row(obj, self.kind, self.field, self.today) for obj in self.queryset[item]]


# --- 应急演练预警 ---


def _drill_row(row, today: date) -> dict:
    return {
        "id": row.pk,
        "kind": "drill",
        "organization": row.organization_id,
        "category": row.category,
        "elevator_count": row.elevator_count,
        "last_drill": row.last_drill,
        "last_drill_id": row.last_drill_id,
        "due_date": row.due_date,
        "level": row.level,
        "days": row.days,
        "escalation_step": None,
    }


class _DrillRows(_Rows):
    """应急演练预警's rows (computed in Python, one per company and category), narrowed by the due dates asked."""

    def __init__(self, rows, data, today):
        after, before = data.get("due_after"), data.get("due_before")
        self.rows = [r for r in rows if (not after or r.due_date >= after) and (not before or r.due_date <= before)]
        self.today = today

    def count(self):
        return len(self.rows)

    def __getitem__(self, item):
        return [_drill_row(row, self.today) for row in services.attach_last_drill_ids(self.rows[item])]

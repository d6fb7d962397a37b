"""/api/v1/warnings: 预警 by kind — maintenance 维保预警, inspection 年检预警, governor 限速器检验预警, component
组件寿命预警, contract 维保合同到期预警, certificate 人员证书到期预警 (workers: a person's fields, no elevator),
confirmation 维保记录待确认预警 (records waiting for the use unit). The schema's enum lists the kinds the platform
answers, so a client learns from the OpenAPI document which kinds it may ask for."""

from datetime import date, datetime
from typing import Literal

from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from api.errors import with_errors
from api.filtering import filter_queryset
from elevators import inspection

from . import rules, services
from .filters import (
    CertificateWarningFilter,
    ComponentWarningFilter,
    ConfirmationWarningFilter,
    GovernorWarningFilter,
    InspectionWarningFilter,
    MaintenanceWarningFilter,
    SelfcheckWarningFilter,
)

router = Router(tags=["alerts"])


class WarningQuery(Schema):
    kind: Literal[
        "maintenance",
        "inspection",
        "selfcheck",
        "governor",
        "component",
        "drill",
        "contract",
        "certificate",
        "confirmation",
    ] = Field(
        "maintenance",
        description="预警类别：maintenance 维保预警，inspection 年检预警，selfcheck 年度自行检查预警，"
        "governor 限速器检验预警，component 组件寿命预警，"
        "drill 应急演练预警（每行一个维保单位的一类电梯；region、group 不适用），contract 维保合同到期预警，"
        "certificate 人员证书到期预警，confirmation 维保记录待确认预警",
    )
    level: Literal["near", "overdue"] | None = Field(None, description="near 临期（黄色），overdue 逾期（红色）")
    region: int | None = Field(None, description="区县（或市）的 id")
    group: int | None = Field(None, description="维保小组的 id")
    due_after: date | None = Field(None, description="到期日从（计划日期、下次检验日期或寿命到期日）")
    due_before: date | None = Field(None, description="到期日至")


class WarningOut(Schema):
    """One warning. The elevator's fields (elevator, register_code, building) are null for kind=certificate (a
    person, not an elevator) and kind=drill (a company's category of elevators); the date's (due_date, days) for
    a worker without any qualification and for kind=confirmation (which counts hours from submitted_at); the other
    kinds always fill them."""

    id: int | str = Field(
        description="maintenance：维保计划的 id；inspection、selfcheck、governor：电梯的 id；component：组件的 id；"
        "contract：合同的 id；certificate：维保人员（账号）的 id；confirmation：维保纪录的 id；"
        "drill：“维保单位 id-电梯类别”"
    )
    kind: str
    elevator: int | None = Field(None, description="电梯的 id（certificate、drill 为 null）")
    register_code: str | None = Field(None, description="注册代码（certificate、drill 为 null）")
    building: str | None = Field(None, description="小区/大厦（certificate、drill 为 null）")
    organization: int | None = Field(description="维保单位的 id")
    due_date: date | None = Field(
        description="计划日期、下次检验日期、寿命到期日、下次限速器校验日期或资质有效期至"
        "（confirmation 及无资质人员为 null）"
    )
    level: str = Field(description="near 临期，overdue 逾期（certificate：已过期或无资质；confirmation：超过 24 小时）")
    days: int | None = Field(
        description="距到期日的天数：正数为还有几天，0 为今天到期，负数为逾期天数（confirmation 及无资质人员为 null）"
    )
    escalation_step: int | None = Field(
        description="维保预警的逾期升级：0 未逾期；逾期 1、3、7 天起依次为 1、2、3（其他类别为 null）"
    )
    cycle: str | None = Field(None, description="维保类型（维保预警）")
    inspection_kind: str | None = Field(None, description="periodic 定期检验，self 自行检测（年检预警）")
    tier: int | None = Field(None, description="年检预警的提前档：60、30 或 7 天内（逾期为 null）")
    component: str | None = Field(None, description="组件名称（组件寿命预警）")
    contract_number: str | None = Field(None, description="合同编号（维保合同到期预警）")
    use_unit: int | None = Field(None, description="使用单位的 id（维保合同到期预警、维保记录待确认预警）")
    elevators: list[int] | None = Field(
        None, description="合同所含电梯的 id（维保合同到期预警；id 为合同的 id，tier 为 90、60 或 30 天内）"
    )
    worker: int | None = Field(None, description="维保人员（账号）的 id（人员证书到期预警）")
    worker_name: str | None = Field(None, description="维保人员姓名（人员证书到期预警）")
    organization_name: str | None = Field(None, description="维保单位名称（人员证书到期预警、维保记录待确认预警）")
    certificate_number: str | None = Field(None, description="证书编号，无资质为 null（人员证书到期预警）")
    valid_until: date | None = Field(None, description="资质有效期至，无资质为 null（人员证书到期预警）")
    use_unit_name: str | None = Field(None, description="使用单位名称（维保记录待确认预警）")
    submitted_at: datetime | None = Field(
        None, description="提交时间：维保结束时间，更正纪录为批准时间（维保记录待确认预警）"
    )
    hours_waiting: int | None = Field(None, description="已等待的整小时数（维保记录待确认预警）")
    governor_since: date | None = Field(None, description="限速器启用日期（限速器检验预警）")
    governor_calibrated_on: date | None = Field(
        None, description="上次限速器校验日期（限速器检验预警；null 为未录入过校验）"
    )
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
    # 人员证书到期预警: by the certificate's last day, the workers without one first (the same on both databases)
    "certificate": (
        lambda user, today: services.certificate_warnings(user, today=today).annotate(
            certificate_order=Coalesce("certificate_until", Value(date(1, 1, 1)))
        ),
        CertificateWarningFilter,
        "certificate_order",
        ("organization",),
    ),
    # 维保记录待确认预警: the longest waiting first
    "confirmation": (
        lambda user, today: services.confirmation_warnings(user),
        ConfirmationWarningFilter,
        "finished_at",
        ("elevator__use_unit", "organization"),
    ),
    "governor": (services.governor_warnings, GovernorWarningFilter, "next_governor_calibration", ()),
    "drill": (services.drill_warnings, None, "due_date", ()),
    "selfcheck": (services.selfcheck_warnings, SelfcheckWarningFilter, "next_inspection_date", ()),
}


@router.get("", response=with_errors(list[WarningOut]))
@paginate(LimitOffsetPagination)
def list_warnings(request, filters: Query[WarningQuery]):
    """Warnings near (临期) or past (逾期) their date, sorted by that date: open visits by each company's threshold
    (预警设置, 3 days by default), inspections within 60 days (tiers 60/30/7), components within 30 days of their end
    of life, governor calibrations within 30 days. Suspended and scrapped elevators raise none. kind=contract: the
    contracts ending within 90 days or lapsed; kind=certificate: the workers whose certificate ends within 60 days,
    has ended or is missing; kind=confirmation: the records waiting for their use unit (red after 24 h)."""
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
    if kind == "contract":
        return _contract_row(obj, today)
    if kind in ("certificate", "confirmation"):
        return _person_or_record_row(obj, kind, today)
    due = getattr(obj, field)
    days = rules.days_left(due, today)
    elevator = obj if kind in ("inspection", "governor", "selfcheck") else obj.elevator
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
    elif kind == "governor":
        row.update(governor_since=obj.governor_since, governor_calibrated_on=obj.governor_calibrated_on)
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


# --- 维保合同到期预警 ------------------------------------------------------------------------------------------
# The row's elevator is the contract's first (by register code); `elevators` lists them all.

from .filters import ContractWarningFilter  # noqa: E402


def _contract_warnings(user, *, today):
    from contracts.views import with_elevators

    return with_elevators(services.contract_warnings(user, today=today))


def _contract_row(contract, today: date) -> dict:
    elevators = list(contract.elevators.all())
    first = elevators[0] if elevators else None
    days = rules.days_left(contract.ends_on, today)
    return {
        "id": contract.pk,
        "kind": "contract",
        "elevator": first.pk if first else 0,
        "register_code": first.register_code if first else "",
        "building": first.building if first else "",
        "organization": contract.maintenance_company_id,
        "due_date": contract.ends_on,
        "level": rules.OVERDUE if days < 0 else rules.NEAR,
        "days": days,
        "escalation_step": None,
        "tier": rules.contract_tier(contract.ends_on, today),
        "contract_number": contract.number,
        "use_unit": contract.use_unit_id,
        "elevators": [elevator.pk for elevator in elevators],
    }


KINDS["contract"] = (_contract_warnings, ContractWarningFilter, "ends_on", ())


# --- 人员证书到期预警 and 维保记录待确认预警 ------------------------------------------------------------------------


def _person_or_record_row(obj, kind: str, today: date) -> dict:
    """kind=certificate: a worker (no elevator); kind=confirmation: a record waiting for its use unit (hours, not
    days)."""
    if kind == "certificate":
        until = obj.certificate_until
        return {
            "id": obj.pk,
            "kind": kind,
            "elevator": None,
            "register_code": None,
            "building": None,
            "organization": obj.organization_id,
            "organization_name": obj.organization.name if obj.organization_id else None,
            "due_date": until,
            "level": rules.certificate_level(until, today) or rules.NEAR,
            "days": None if until is None else rules.days_left(until, today),
            "escalation_step": None,
            "worker": obj.pk,
            "worker_name": obj.display_name,
            "certificate_number": obj.certificate_number,
            "valid_until": until,
        }
    now = timezone.now()
    elevator = obj.elevator
    return {
        "id": obj.pk,
        "kind": kind,
        "elevator": elevator.pk,
        "register_code": elevator.register_code,
        "building": elevator.building,
        "organization": obj.organization_id,
        "organization_name": obj.organization.name,
        "due_date": None,
        "level": rules.confirmation_level(obj.submitted_at, now),
        "days": None,
        "escalation_step": None,
        "use_unit": elevator.use_unit_id,
        "use_unit_name": elevator.use_unit.name if elevator.use_unit_id else None,
        "submitted_at": obj.submitted_at,
        "hours_waiting": rules.waiting_minutes(obj.submitted_at, now) // 60,
    }


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

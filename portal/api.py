"""/api/v1/dashboard: the figures of the caller's home page (首页看板), the same functions the page uses."""

from datetime import date

from ninja import Field, Router, Schema

from alerts.summary import warning_summary
from api.errors import with_errors

from . import dashboard

router = Router(tags=["dashboard"])


class WarningCount(Schema):
    kind: str = Field(description="预警类别（同 /warnings 的 kind）")
    label: str
    near: int = Field(description="临期（黄色）条数")
    overdue: int = Field(description="逾期（红色）条数")


class WeekVisits(Schema):
    week: date = Field(description="该周的周一")
    count: int


class CompanyFigures(Schema):
    warnings_overdue: int = Field(description="逾期的维保计划")
    warnings_near: int = Field(description="临期的维保计划（本单位的预警设置）")
    due_today: int
    due_week: int = Field(description="今天至本周日待维保")
    records_waiting: int = Field(description="待使用单位确认的纪录")
    records_late: int = Field(description="其中超过 24 小时的")
    problems_open: int
    problems_new: int
    on_time_rate: float | None = Field(description="近 90 天按时维保率（%），没有到期的维保时为 null")
    visits_due: int
    visits_on_time: int
    weekly_visits: list[WeekVisits] = Field(description="近 12 周每周的维保次数")


class WorkerVisit(Schema):
    plan: int
    elevator: int
    register_code: str
    building: str
    due_date: date
    days_overdue: int


class WorkerFigures(Schema):
    overdue: int
    today: int
    ahead: int = Field(description="未来 7 天内到期")
    visits: list[WorkerVisit] = Field(description="今天到期和逾期的维保（最多 10 条）")


class StatusCount(Schema):
    status: str
    label: str
    count: int


class UseUnitFigures(Schema):
    statuses: list[StatusCount]
    to_sign: int = Field(description="待签字确认的维保纪录")
    warnings_overdue: int
    warnings_near: int


class ComplianceRow(Schema):
    company: int | None = None
    district: str | None = Field(None, description="区县代码（各区县合计）")
    name: str = ""
    elevators: int
    due: int
    on_time: int
    rate: float | None = Field(description="按时维保率（%）")
    overdue: int
    long_overdue: int
    visits: int
    flagged: int
    problems: int
    grade: str | None = Field(description="信用等级 A–D（没有到期维保时为 null）")


class Compliance(Schema):
    window: int = Field(description="统计的天数")
    count: int = Field(description="辖区内的维保单位数")
    rows: list[ComplianceRow] = Field(description="等级低的在前，最多 50 家")
    districts: list[ComplianceRow] = Field(description="市局：各区县合计")
    totals: ComplianceRow | None
    grades: dict[str, int] = Field(description='各信用等级的维保单位数（键 "" 为统计期内没有到期维保、不评等级的）')


class DashboardOut(Schema):
    role: str = Field(
        description="company 维保单位管理员，worker 维保人员，use_unit 使用单位，bureau 监管部门，空为其他"
    )
    warnings: list[WarningCount] = Field(description="预警概览：本人可查看的各类预警")
    company: CompanyFigures | None = None
    worker: WorkerFigures | None = None
    use_unit: UseUnitFigures | None = None
    compliance: Compliance | None = Field(None, description="监管部门：辖区维保单位合规情况")


def _compliance_row(row: dict, **names) -> dict:
    return {**{k: v for k, v in row.items() if k not in ("url", "company_id", "code")}, **names}


@router.get("", response=with_errors(DashboardOut))
def home_figures(request):
    """The figures of the caller's home page by role; a bureau's compliance numbers are at most 5 minutes old."""
    user = request.user
    role = dashboard.role_of(user)
    out = {"role": role, "warnings": [] if role == "worker" else warning_summary(user)}
    if role == "company":
        figures = dashboard.company_figures(user)
        out["company"] = {**figures, "weekly_visits": figures["weeks"]}
    elif role == "worker":
        figures = dashboard.worker_figures(user)
        figures["visits"] = [
            {
                "plan": plan.pk,
                "elevator": plan.elevator_id,
                "register_code": plan.elevator.register_code,
                "building": plan.elevator.building,
                "due_date": plan.due_date,
                "days_overdue": plan.days_overdue,
            }
            for plan in figures["visits"]
        ]
        out["worker"] = figures
    elif role == "use_unit":
        figures = dashboard.use_unit_figures(user)
        figures["statuses"] = [{**row, "label": str(row["label"])} for row in figures["statuses"]]
        out["use_unit"] = figures
    elif role == "bureau":
        table = dashboard.compliance(user)
        out["compliance"] = {
            "window": table["window"],
            "count": table["count"],
            "rows": [_compliance_row(row, company=row["company_id"]) for row in table["rows"]],
            "districts": [_compliance_row(row, district=row["code"]) for row in table["districts"]],
            "totals": _compliance_row(table["totals"], name="") if table["totals"] else None,
            "grades": table["grades"],
        }
    return out

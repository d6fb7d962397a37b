"""The inspection calendar (年检): TSG T7001-2023 定期检验 and TSG T7008-2023 自行检测, as pure functions.

The rules (docs/shared regulations §3, TSG T7001-2023 4.1):

- The base is the supervision inspection (安装监督检验, or the last 改造监督检验) that the elevator passed. Year n
  after it (n = 1, 2, …) is a 定期检验 year when n is 1, 4, 7, 9, 11, 13 or 15, or n > 15; every other year is a
  自行检测 year (TSG T7008-2023: one a year, except in the years of a periodic inspection).
- Dates keep the base's month: the n-th year's inspection is due by the end of the base month of year base + n.
- A periodic inspection may be done up to 2 months early, a self-inspection up to 1 month early; the next date
  does not move (so an early report fulfils the year it was early for).
- The date stated on the last report (下次检验日期 on the report or the 安全检验合格标志) wins over the calendar.
- 停用 1 年以上: a periodic inspection is due before the elevator is used again (`due_before_reuse`), after which the
  years stay those of (1)(2); the regulation then takes that inspection's month as the base month. We do not
  re-base here: that report's stated next date carries the new month, and it overrides the calendar.

What we decided where §3 is silent (see docs/architecture.md, 年检):

- Without any report, the years before today are taken as done (the platform did not exist then): the next date
  is the first calendar date on or after today.
- A 不合格 report fulfils nothing: the inspection it was for stays due (复检), unless the report states a date.
- 限速器校验 reports do not move the inspection calendar.
"""

import calendar as _calendar
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

__all__ = [
    "PERIODIC",
    "SELF",
    "GOVERNOR",
    "PERIODIC_YEARS",
    "Due",
    "kind_of_year",
    "due_in_year",
    "schedule",
    "covered_year",
    "kind_on",
    "next_inspection",
    "due_before_reuse",
]

PERIODIC = "periodic"  # 定期检验 (TSG T7001-2023)
SELF = "self"  # 自行检测 (TSG T7008-2023)
GOVERNOR = "governor"  # 限速器校验
FAILED = "failed"  # 不合格 (InspectionResult.FAILED)

PERIODIC_YEARS = frozenset({1, 4, 7, 9, 11, 13, 15})
YEARLY_AFTER = 15
EARLY_MONTHS = {PERIODIC: 2, SELF: 1}


@dataclass(frozen=True)
class Due:
    year: int  # n: the n-th year after the supervision inspection
    date: date  # the last day of the base month in that year
    kind: str  # PERIODIC or SELF

    @property
    def window_opens(self) -> date:
        """The first day an inspection for this year may be done (its base month, less the allowed advance)."""
        return self.date.replace(day=1) - relativedelta(months=EARLY_MONTHS[self.kind])


def kind_of_year(n: int) -> str:
    """定期检验 in years 1, 4, 7, 9, 11, 13, 15 and every year after the 15th; 自行检测 in the others."""
    if n < 1:
        raise ValueError("the calendar starts with the first year after the supervision inspection")
    return PERIODIC if n in PERIODIC_YEARS or n > YEARLY_AFTER else SELF


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, _calendar.monthrange(year, month)[1])


def due_in_year(supervision_date: date, n: int) -> Due:
    return Due(n, _end_of_month(supervision_date.year + n, supervision_date.month), kind_of_year(n))


def schedule(supervision_date: date, years: int = 20) -> list[Due]:
    """The first `years` years of the calendar."""
    return [due_in_year(supervision_date, n) for n in range(1, years + 1)]


def _year_of(supervision_date: date, day: date) -> int:
    """The calendar year whose due date is the first on or after `day` (at least 1)."""
    n = max(day.year - supervision_date.year, 1)
    while due_in_year(supervision_date, n).date < day:
        n += 1
    return n


def kind_on(supervision_date: date, day: date) -> str:
    """The kind of inspection due on a date from elsewhere (a report, the ledger): that of its calendar year."""
    return due_in_year(supervision_date, _year_of(supervision_date, day)).kind


def covered_year(supervision_date: date, report_date: date) -> int | None:
    """The year an inspection done on `report_date` fulfils: the latest one whose window had opened by then
    (a late inspection fulfils the overdue year, an early one the year it was early for). None: before year 1's."""
    n = _year_of(supervision_date, report_date)
    while n >= 1 and due_in_year(supervision_date, n).window_opens > report_date:
        n -= 1
    return n or None


def next_inspection(supervision_date: date, today: date, last_report=None) -> tuple[date, str]:
    """(the date the next 定期检验 or 自行检测 is due by, its kind).

    last_report: the elevator's latest periodic or self-inspection report, anything with `date`, `kind`,
    `result` and `next_date` (an InspectionReport); a governor calibration is ignored.
    """
    if last_report is not None and last_report.kind != GOVERNOR:
        if last_report.next_date:
            stated = last_report.next_date
            return stated, kind_on(supervision_date, stated)
        covered = covered_year(supervision_date, last_report.date)
        if covered is not None:
            if last_report.result == FAILED:
                due = due_in_year(supervision_date, covered)  # still due: 复检
            else:
                due = due_in_year(supervision_date, covered + 1)
            return due.date, due.kind
    due = due_in_year(supervision_date, _year_of(supervision_date, today))
    return due.date, due.kind


def due_before_reuse(suspended_on: date, resuming_on: date) -> bool:
    """停用 1 年以上重新启用前进行定期检验 (TSG T7001-2023 4.1(4); TSG 08-2017)."""
    return resuming_on > suspended_on + relativedelta(years=1)

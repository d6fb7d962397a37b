"""维保预警 as pure functions: the level of a due date and the escalation step of an overdue visit.

A visit is *near* (临期, yellow) from `near_days` days before its due date up to and including the due date, and
*overdue* (逾期, red) from the day after. An overdue visit escalates at 1, 3 and 7 days overdue (steps 1, 2, 3:
the company's manager, then the use unit, then the district bureau; Chongqing's lead times).

年检预警 and 组件寿命预警 use the same two levels with fixed windows: an inspection is near within 60 days of its
date (shown as the narrowest of the 60/30/7-day lead times it has reached), a component within 30 days of its end
of life.
"""

from datetime import date

NEAR = "near"
OVERDUE = "overdue"
LEVELS = (NEAR, OVERDUE)

NEAR_DAYS_DEFAULT = 3
NEAR_DAYS_MIN = 1
NEAR_DAYS_MAX = 14
ESCALATION_DAYS = (1, 3, 7)  # days overdue at which steps 1, 2, 3 begin
INSPECTION_TIERS = (60, 30, 7)  # 年检: the lead times before the inspection date (Chongqing platform §2)
INSPECTION_NEAR_DAYS = INSPECTION_TIERS[0]
COMPONENT_NEAR_DAYS = 30  # 组件寿命: near within 30 days of the end of life

__all__ = [
    "COMPONENT_NEAR_DAYS",
    "ESCALATION_DAYS",
    "INSPECTION_NEAR_DAYS",
    "INSPECTION_TIERS",
    "LEVELS",
    "NEAR",
    "NEAR_DAYS_DEFAULT",
    "NEAR_DAYS_MAX",
    "NEAR_DAYS_MIN",
    "OVERDUE",
    "days_left",
    "escalation_step",
    "level",
    "tier",
]


def days_left(due_date: date, today: date) -> int:
    """Days from today to the due date: 0 on the day, negative once overdue (-3: three days overdue)."""
    return (due_date - today).days


def level(due_date: date, today: date, near_days: int = NEAR_DAYS_DEFAULT) -> str | None:
    """`overdue` past the due date, `near` within `near_days` days before it (the due date included), else None."""
    left = days_left(due_date, today)
    if left < 0:
        return OVERDUE
    if left <= near_days:
        return NEAR
    return None


def escalation_step(due_date: date, today: date) -> int:
    """0 until the visit is overdue, then 1 from 1 day overdue, 2 from 3 days, 3 from 7 days."""
    overdue = -days_left(due_date, today)
    return sum(1 for threshold in ESCALATION_DAYS if overdue >= threshold)


def tier(due_date: date, today: date, tiers: tuple[int, ...] = INSPECTION_TIERS) -> int | None:
    """The narrowest lead time (7, 30 or 60 days) the due date lies within; None once overdue or further away."""
    left = days_left(due_date, today)
    if left < 0:
        return None
    inside = [days for days in tiers if left <= days]
    return min(inside) if inside else None


# --- 维保合同到期预警 ------------------------------------------------------------------------------------------
# A maintenance contract warns from 90 days before its end (the tiers 90/60/30 days reached, Chongqing platform §2)
# and once past it, unless it is terminated, all its elevators are suspended or scrapped, or a later contract of the
# same company and use unit renews it (`contracts.rules.is_renewal`).

CONTRACT_TIERS = (90, 60, 30)
CONTRACT_NEAR_DAYS = CONTRACT_TIERS[0]


def contract_level(ends_on: date, today: date) -> str | None:
    """`overdue` after the contract's last day, `near` from 90 days before it up to and including it, else None."""
    return level(ends_on, today, CONTRACT_NEAR_DAYS)


def contract_tier(ends_on: date, today: date) -> int | None:
    """The narrowest lead time (30, 60 or 90 days) the end date lies within; None once lapsed or further away."""
    return tier(ends_on, today, CONTRACT_TIERS)


def contract_warning(ends_on: date, today: date, *, terminated: bool, silent: bool, renewed: bool) -> str | None:
    """The level of a contract's warning: none when terminated, when all its elevators are suspended or scrapped
    (`silent`) or when a later contract renews it."""
    if terminated or silent or renewed:
        return None
    return contract_level(ends_on, today)


# --- 人员证书到期预警 and 维保记录待确认预警 ------------------------------------------------------------------------
# Chongqing platform §2: a worker's certificate (and the company's qualification) 60 days ahead; a finished record
# the use unit has not confirmed turns red after 24 hours.

from datetime import datetime, timedelta  # noqa: E402 - this block is appended on its own

CERTIFICATE_NEAR_DAYS = 60  # 人员证书 / 单位资质: near within 60 days of its last valid day
CONFIRMATION_DUE = timedelta(hours=24)  # 待确认: yellow up to 24 hours after submission, red beyond


def certificate_level(valid_until: date | None, today: date) -> str | None:
    """A certificate valid until `valid_until` (its last valid day): `near` from 60 days before it up to and
    including that day, `overdue` (expired) from the day after, None further away. No certificate at all (None)
    is `overdue`: the worker may not maintain elevators (TSG Z6001), so he is listed in red as 无资质."""
    if valid_until is None:
        return OVERDUE
    return level(valid_until, today, CERTIFICATE_NEAR_DAYS)


def waiting_minutes(submitted_at: datetime, now: datetime) -> int:
    """Whole minutes a record has been waiting for the use unit since it was submitted (0 when in the future)."""
    return max(0, int((now - submitted_at).total_seconds() // 60))


def confirmation_level(submitted_at: datetime, now: datetime) -> str:
    """`near` (yellow) while a record has waited 24 hours or less, `overdue` (red) once it has waited longer: the
    same edge as `records.services.awaiting_confirmation`, which lists a record "after 24 hours"."""
    return OVERDUE if now - submitted_at > CONFIRMATION_DUE else NEAR


__all__ += ["CERTIFICATE_NEAR_DAYS", "CONFIRMATION_DUE", "certificate_level", "confirmation_level", "waiting_minutes"]
# --- 限速器检验预警 ------------------------------------------------------------------------------------------------

GOVERNOR_NEAR_DAYS = 30  # 限速器校验: near within 30 days of the next calibration (elevators.governor's date)
__all__ += ["GOVERNOR_NEAR_DAYS"]


# --- 应急演练预警 and 年度自行检查预警 ------------------------------------------------------------------------------
# TSG T5002 art. 5(3): a drill every half year for each category a company maintains. A category is due 6 calendar
# months after its last drill (or, never drilled, after its first elevator entered the ledger), near within 30 days
# of that date (the date included), overdue from the day after. The yearly self-check (the 年度 maintenance) is
# warned of within 60 days of a periodic inspection, like 年检预警.

from dateutil.relativedelta import relativedelta  # noqa: E402

DRILL_INTERVAL_MONTHS = 6
DRILL_NEAR_DAYS = 30
SELFCHECK_NEAR_DAYS = INSPECTION_NEAR_DAYS
SELFCHECK_LOOKBACK_MONTHS = 12


def add_months(day: date, months: int) -> date:
    """Calendar months: 31 August + 6 months is 28 (or 29) February."""
    return day + relativedelta(months=months)


def drill_due(last_drill: date | None, first_in_ledger: date) -> date:
    """The date a category's next drill is due: 6 months after the last one, or after the company's first elevator
    of that category entered the ledger when it has never drilled it."""
    return add_months(last_drill or first_in_ledger, DRILL_INTERVAL_MONTHS)


def drill_level(due_date: date, today: date) -> str | None:
    return level(due_date, today, DRILL_NEAR_DAYS)

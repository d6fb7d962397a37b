"""维保预警 as pure functions: the level of a due date and the escalation step of an overdue visit.

A visit is *near* (临期, yellow) from `near_days` days before its due date up to and including the due date, and
*overdue* (逾期, red) from the day after. An overdue visit escalates at 1, 3 and 7 days overdue (steps 1, 2, 3:
the company's manager, then the use unit, then the district bureau; Chongqing's lead times).
"""

from datetime import date

NEAR = "near"
OVERDUE = "overdue"
LEVELS = (NEAR, OVERDUE)

NEAR_DAYS_DEFAULT = 3
NEAR_DAYS_MIN = 1
NEAR_DAYS_MAX = 14
ESCALATION_DAYS = (1, 3, 7)  # days overdue at which steps 1, 2, 3 begin

__all__ = [
    "ESCALATION_DAYS",
    "LEVELS",
    "NEAR",
    "NEAR_DAYS_DEFAULT",
    "NEAR_DAYS_MAX",
    "NEAR_DAYS_MIN",
    "OVERDUE",
    "days_left",
    "escalation_step",
    "level",
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

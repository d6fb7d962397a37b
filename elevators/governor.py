"""限速器动作速度校验 (the governor's action-speed calibration) as pure functions.

The rule (TSG T5002-2017, annual items A-4-06, B-4-4 and C-4-6; docs/shared regulations §3):

- A-4-06, 曳引与强制驱动电梯: "使用年限不超过15年的限速器，每2年进行一次限速器动作速度校验；超过15年的，每年进行一次".
- B-4-4, 液压驱动电梯: "每2年进行一次限速器动作速度校验" (no age rule).
- C-4-6, 杂物电梯: "每5年进行一次限速器动作速度校验".
- 自动扶梯与自动人行道 (annex D) have no governor: nothing is due.

The age is the governor's own years of use (限速器的使用年限), counted from `governor_since` (the installation
date until the governor is replaced), not the elevator's.

What we decided where the text is silent:

- Without any calibration the first one is due one interval after the start of use (2 years, or 5 for a
  dumbwaiter).
- Around the 15-year mark (traction and forced drive only): a calibration made while the governor is at most 15
  years old (15 years to the day included: "不超过15年") starts a 2-year interval, but the next calibration is due
  no later than the governor's 16th anniversary — the end of its first year of use "超过15年", in which the yearly
  rule requires a calibration. A calibration made after the 15th anniversary (15 years and a day or more) starts a
  1-year interval. So a calibration at 13 years is next due at 15 years, one at 14 years and 364 days at 16 years
  (not 16 years and 364 days), one at 15 years at 16 years, one at 15 years and a day at 16 years and a day.
- A calibration report may state its own next date (下次校验日期). The sooner of that date and the rule's is kept
  (`elevators.services.apply_governor`): an institute may ask for an earlier check, but a later date cannot stretch
  the regulation's interval.
- Dates are calendar anniversaries (`relativedelta`): a governor put in use on 29 February reaches its years on
  28 February.
"""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from .catalogue import ParameterGroup, group_of

__all__ = [
    "TRACTION",
    "HYDRAULIC",
    "DUMBWAITER",
    "KINDS",
    "YEARLY_AFTER_YEARS",
    "Calibration",
    "governor_kind",
    "interval_years",
    "next_calibration",
]

TRACTION = "traction"  # 曳引与强制驱动电梯 (annex A)
HYDRAULIC = "hydraulic"  # 液压驱动电梯 (annex B)
DUMBWAITER = "dumbwaiter"  # 杂物电梯 (annex C)
KINDS = (TRACTION, HYDRAULIC, DUMBWAITER)

YEARLY_AFTER_YEARS = 15  # A-4-06: over 15 years of use, every year
_INTERVALS = {TRACTION: 2, HYDRAULIC: 2, DUMBWAITER: 5}


@dataclass(frozen=True)
class Calibration:
    interval_years: int  # the interval the next date follows (1, 2 or 5)
    due: date  # the date the next calibration is due by


def governor_kind(device_category: str, drive_type: str = "") -> str | None:
    """Which rule applies: the category's annex (its 设备品种, the ledger's 2014 catalogue code: 3430 is the
    dumbwaiter, 3210/3220 hydraulic, 3310/3320 escalators and moving walks); an elevator of the traction group
    whose 驱动方式 is hydraulic (a hydraulic explosion-proof elevator, 3410) follows the hydraulic rule.
    None: escalators and moving walks, which have no governor."""
    group = group_of(device_category)
    if group == ParameterGroup.ESCALATOR:
        return None
    if group == ParameterGroup.DUMBWAITER:
        return DUMBWAITER
    if group == ParameterGroup.HYDRAULIC or drive_type == HYDRAULIC:
        return HYDRAULIC
    return TRACTION


def _over_yearly_age(since: date, day: date) -> bool:
    """Whether the governor is over 15 years old on `day` (the 15th anniversary itself is not over)."""
    return day > since + relativedelta(years=YEARLY_AFTER_YEARS)


def interval_years(kind: str, since: date, calibrated_on: date) -> int:
    """The interval a calibration on `calibrated_on` starts: 1 for a traction governor over 15 years old that day,
    else the kind's (2, 2 or 5)."""
    if kind not in _INTERVALS:
        raise ValueError(f"unknown governor kind {kind!r}")
    if kind == TRACTION and _over_yearly_age(since, calibrated_on):
        return 1
    return _INTERVALS[kind]


def next_calibration(kind: str | None, since: date, calibrated_on: date | None = None) -> Calibration | None:
    """The next calibration of a governor in use since `since`, last calibrated on `calibrated_on` (None: never,
    or not known). None for escalators and moving walks (kind None). See the module's docstring for the rule."""
    if kind is None:
        return None
    if calibrated_on is None or calibrated_on < since:  # a calibration of a governor since replaced
        return Calibration(_INTERVALS[kind], since + relativedelta(years=_INTERVALS[kind]))
    interval = interval_years(kind, since, calibrated_on)
    due = calibrated_on + relativedelta(years=interval)
    if kind == TRACTION and interval > 1:
        due = min(due, since + relativedelta(years=YEARLY_AFTER_YEARS + 1))
    return Calibration(interval, due)

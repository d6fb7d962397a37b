"""The plan year as arithmetic: where a year of visits falls, and how it follows reality. No database here.

A plan year starts on its start date S and ends the day before its anniversary E (S + 12 months), where the
next year begins. Its visits are spread evenly so that no gap (including the one from the year's last visit
to E) exceeds the interval: 15 days by the 特种设备安全监察条例 art. 31, or an on-demand elevator's approved
interval. The quarters of the year are [S, S+3m), [S+3m, S+6m), …; the last visit of each quarter is the
deeper one: 季度, 半年 at the half year, 年度 at the end (so the year's last visit is the annual one, as the
seed asks). A visit avoids the days in `avoid` where it can without breaking any bound; where it cannot,
the bound wins.
"""

import calendar
import itertools
import math
from dataclasses import dataclass
from datetime import date, timedelta

from .models import CYCLE_OF_QUARTER, CYCLE_RANK

__all__ = [
    "LEGAL_INTERVAL",
    "MAX_ON_DEMAND_INTERVAL",
    "Visit",
    "add_months",
    "year_end",
    "quarter_bounds",
    "plan_year",
    "reanchor",
    "place",
    "gaps",
]

LEGAL_INTERVAL = 15
# An on-demand interval stays shorter than the shortest quarter (89 days) with room to spare, so that every
# quarter of the year keeps a visit of its own.
MAX_ON_DEMAND_INTERVAL = 60


@dataclass(frozen=True)
class Visit:
    date: date
    quarter: int = 0  # 1–4 when the visit closes that quarter of the year

    @property
    def cycle(self) -> str:
        return CYCLE_OF_QUARTER[self.quarter]


def add_months(day: date, months: int) -> date:
    """The same day `months` later, on the month's last day when the month is shorter (31 Jan + 1 → 28 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def year_end(start: date) -> date:
    """The day the next plan year begins."""
    return add_months(start, 12)


def quarter_bounds(start: date) -> list[date]:
    """The first day after each quarter of the plan year (the fourth is the year's end)."""
    return [add_months(start, 3 * q) for q in range(1, 5)]


def _rank(quarter: int) -> int:
    return CYCLE_RANK[CYCLE_OF_QUARTER[quarter]]


def place(prev: date, end: date, count: int, interval: int, avoid=frozenset()) -> list[date]:
    """`count` dates strictly between `prev` and `end`, as even as the days allow, with every gap
    (prev → first, …, last → end) at most `interval` days and no date in `avoid` where a date within the
    bounds is free. The caller asks for enough dates: count ≥ ⌈(end − prev) / interval⌉ − 1."""
    span = (end - prev).days
    dates: list[date] = []
    last = prev
    for k in range(1, count + 1):
        remaining = count - k  # dates still to place after this one
        low = max(last + timedelta(days=1), end - timedelta(days=(remaining + 1) * interval))
        high = min(last + timedelta(days=interval), end - timedelta(days=remaining + 1))
        target = prev + timedelta(days=round(k * span / (count + 1)))
        chosen = min(max(target, low), high)
        if chosen in avoid:
            chosen = _nearest_free(chosen, low, high, avoid)
        dates.append(chosen)
        last = chosen
    return dates


def _nearest_free(day: date, low: date, high: date, avoid) -> date:
    """The free day nearest to `day` within [low, high] (the earlier on a tie), or `day` when all are taken."""
    for distance in range(1, (high - low).days + 1):
        for candidate in (day - timedelta(days=distance), day + timedelta(days=distance)):
            if low <= candidate <= high and candidate not in avoid:
                return candidate
    return day


def _needed(prev: date, end: date, interval: int) -> int:
    """The fewest visits strictly between prev and end that keep every gap within the interval."""
    return max(0, math.ceil((end - prev).days / interval) - 1)


def _label(dates: list[date], start: date, quarters) -> list[Visit]:
    """Each quarter in `quarters` goes to the last visit before its end (a quarter already past goes to the
    first visit, which catches it up); two on one visit keep the deeper cycle."""
    bounds = quarter_bounds(start)
    labels = [0] * len(dates)
    for quarter in sorted(quarters) if dates else ():
        before = [i for i, day in enumerate(dates) if day < bounds[quarter - 1]]
        i = before[-1] if before else 0
        if _rank(quarter) >= _rank(labels[i]):
            labels[i] = quarter
    return [Visit(day, q) for day, q in zip(dates, labels, strict=True)]


def plan_year(start: date, *, interval: int = LEGAL_INTERVAL, avoid=frozenset()) -> list[Visit]:
    """The visits of the plan year that starts on `start`: the first on the start date itself, the last the
    annual one. Where holidays push visits around, one more visit is tried and kept if it avoids more."""
    end = year_end(start)
    count = _needed(start, end, interval)
    best = None
    for extra in (0, 1) if avoid else (0,):
        dates = [start, *place(start, end, count + extra, interval, avoid)]
        clashes = sum(day in avoid for day in dates[1:])
        if best is None or clashes < best[0]:
            best = (clashes, dates)
        if not clashes:
            break
    return _label(best[1], start, range(1, 5))


def reanchor(
    *, start: date, last_visit: date, pending, count: int, interval: int = LEGAL_INTERVAL, avoid=frozenset()
) -> list[Visit] | None:
    """The rest of a plan year after a visit actually made on `last_visit`: `count` open visits (more if the
    gaps need them, fewer only when the days left cannot hold them) spread from `last_visit` to the year's
    end, carrying the quarters not yet done (`pending`). None when the year is already over."""
    end = year_end(start)
    days_left = (end - last_visit).days
    if days_left <= 1:
        return None
    count = min(max(count, _needed(last_visit, end, interval)), days_left - 1)
    dates = place(last_visit, end, count, interval, avoid)
    return _label(dates, start, pending)


def gaps(dates: list[date]) -> list[int]:
    """Days between consecutive dates."""
    return [(b - a).days for a, b in itertools.pairwise(dates)]

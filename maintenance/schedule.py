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
import functools
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
    """`count` dates strictly between `prev` and `end` with every gap (prev → first, …, last → end) at most
    `interval` days: as few of them in `avoid` as the bounds allow, then as even as possible. The caller asks
    for enough dates: count ≥ ⌈(end − prev) / interval⌉ − 1.

    A shortest path over the days (dynamic programming): the k-th date can only lie in a window as wide as the
    year's slack (count + 1 gaps of `interval` days minus the span: about ten days for a 15-day year), so the
    search costs a few thousand steps.
    """
    span = (end - prev).days
    if count <= 0:
        return []
    penalty = 10**7  # above any sum of squared distances to the even targets
    best = {0: (0, None)}  # day offset of the previous date -> (cost so far, the offset before it)
    layers = []
    for k in range(1, count + 1):
        low = max(k, span - (count - k + 1) * interval)
        high = min(k * interval, span - (count - k + 1))
        target = k * span / (count + 1)
        layer = {}
        for day in range(low, high + 1):
            options = [(best[d][0], d) for d in range(max(0, day - interval), day) if d in best]
            if not options:
                continue
            cost, came_from = min(options)
            step = (day - target) ** 2 + (penalty if prev + timedelta(days=day) in avoid else 0)
            layer[day] = (cost + step, came_from)
        layers.append(layer)
        best = layer
    day = min((cost, d) for d, (cost, _) in best.items() if span - d <= interval)[1]
    offsets = []
    for layer in reversed(layers):
        offsets.append(day)
        day = layer[day][1]
    return [prev + timedelta(days=d) for d in reversed(offsets)]


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


@functools.lru_cache(maxsize=512)
def plan_year(start: date, *, interval: int = LEGAL_INTERVAL, avoid: frozenset = frozenset()) -> tuple[Visit, ...]:
    """The visits of the plan year that starts on `start`: the first on the start date itself, the last the
    annual one. Where the days to avoid leave too little room, one or two more visits are tried and kept if
    they avoid more. Cached: a company's elevators share their start, interval and days off."""
    end = year_end(start)
    dates = _fewest_clashes(start, end, _needed(start, end, interval), interval, avoid)
    return tuple(_label([start, *dates], start, range(1, 5)))


def _fewest_clashes(prev: date, end: date, count: int, interval: int, avoid) -> list[date]:
    """`place` with `count` dates, or one or two more where that lands fewer of them on days to avoid."""
    best = None
    for extra in (0, 1, 2) if avoid else (0,):
        dates = place(prev, end, count + extra, interval, avoid)
        clashes = sum(day in avoid for day in dates)
        if best is None or clashes < best[0]:
            best = (clashes, dates)
        if not clashes or prev + timedelta(days=count + extra + 2) >= end:
            break
    return best[1]


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
    dates = _fewest_clashes(last_visit, end, count, interval, avoid)
    return _label(dates, start, pending)


def gaps(dates: list[date]) -> list[int]:
    """Days between consecutive dates."""
    return [(b - a).days for a, b in itertools.pairwise(dates)]

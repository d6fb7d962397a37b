"""The days plans avoid: China's statutory holidays and 调休 arrangement, with the operator's 节假日调整 on top.

The `holidays` package knows the State Council's arrangement for the years it has data for: the statutory days
off (including the weekdays given off by 调休; weekend days inside a holiday block are not listed) and the
weekend days that become working days (`ChinaStaticHolidays.special_public_holidays`). The operator's `Holiday`
rows add or override single days (a year the package does not know yet, a late change).

Modes (`AvoidDays`):

- ""          nothing is avoided;
- "holidays"  the statutory days off, each block extended through the adjacent weekend days that are not
              working days (the whole 黄金周 2026-10-01..07, Sunday 10-04 included);
- "days_off"  every day people do not work: the holidays above and every weekend day that is not a 调休
              working day.

The package's answer for a year is computed once per process. The operator's rows are read in one query and
kept per process until the cache version (a key in the shared cache, bumped when a row is saved or deleted)
changes, so every process sees a change at once and a call costs at most one query.
"""

import functools
import threading
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import AvoidDays, Holiday

__all__ = [
    "CalendarDay",
    "days_off",
    "avoid_for",
    "is_working_day",
    "workdays_of",
    "calendar_of",
    "invalidate",
    "PACKAGE",
    "OPERATOR",
]

PACKAGE = "package"  # the day comes from the `holidays` package
OPERATOR = "operator"  # the day comes from the operator's 节假日调整
VERSION_KEY = "maintenance:days-off:version"
BLOCK_WEEKEND = "weekend"  # a weekend day avoided with the holiday block it touches


@dataclass(frozen=True)
class CalendarDay:
    """One day of the year view: off (放假) or a 调休 working day, where it comes from and its name."""

    date: date
    is_workday: bool
    name: str
    source: str  # PACKAGE, OPERATOR or BLOCK_WEEKEND
    holiday: Holiday | None = None  # the operator's row, when there is one

    @property
    def weekday(self) -> int:
        return self.date.weekday()


# --- the package's arrangement (static data, computed once per year and language) ---------------------------


def _package_language() -> str:
    return "en_US" if (get_language() or "").startswith("en") else "zh_CN"


@functools.lru_cache(maxsize=64)
def _package_year(year: int, language: str = "zh_CN") -> tuple[dict, dict]:
    """({day off: name}, {调休 working day: the weekday given off for it}) of `year` as the package knows it."""
    import holidays
    from holidays.countries.china import ChinaStaticHolidays

    off = dict(holidays.China(years=year, language=language).items())
    work = {}
    for entry in ChinaStaticHolidays.special_public_holidays.get(year, ()):
        if not (isinstance(entry, tuple) and len(entry) == 4 and all(isinstance(x, int) for x in entry)):
            continue  # other shapes (a named extra holiday) are not substitutions
        month, day, from_month, from_day = entry
        try:
            worked, given = date(year, from_month, from_day), date(year, month, day)
        except ValueError:
            continue
        work[worked] = given
    return off, work


# --- the operator's rows (one query, kept until the version changes) --------------------------------------


class _Overrides(threading.local):
    version = None
    rows: dict = {}  # date -> Holiday
    computed: dict = {}  # (year, mode) -> frozenset of dates


_local = _Overrides()


def _current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or "unshared"
    return version


def _overrides() -> dict:
    """{date: Holiday}: the operator's rows, read again only when some process changed them."""
    version = _current_version()
    if _local.version != version:
        _local.rows = {row.date: row for row in Holiday.objects.all()}
        _local.computed = {}
        _local.version = version
    return _local.rows


def invalidate() -> None:
    """Every process reads the operator's rows again (a new version in the shared cache)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    _local.version = None


@receiver(post_save, sender=Holiday, dispatch_uid="maintenance.days_off.saved")
@receiver(post_delete, sender=Holiday, dispatch_uid="maintenance.days_off.deleted")
def _holiday_changed(sender, **kwargs):
    invalidate()  # this process (and its open transaction) sees the change now
    transaction.on_commit(invalidate)  # the others once it is committed (they might have read the old rows)


# --- the arithmetic -----------------------------------------------------------------------------------------


def _statutory(year: int, rows: dict) -> tuple[set, set]:
    """(days off, weekend working days) of `year`: the package's, overridden by the operator's rows."""
    off, work = _package_year(year)
    off, work = set(off), set(work)
    for day, row in rows.items():
        if day.year != year:
            continue
        if row.is_workday:
            off.discard(day)
            work.add(day)
        else:
            work.discard(day)
            off.add(day)
    return off, work


def _weekend_off(day: date, work: set) -> bool:
    return day.weekday() >= 5 and day not in work


def _year_days(year: int, mode: str, rows: dict) -> frozenset:
    """The avoided days of one year (neighbouring years read too: a block may cross New Year)."""
    off, work = set(), set()
    for y in (year - 1, year, year + 1):
        y_off, y_work = _statutory(y, rows)
        off |= y_off
        work |= y_work
    result = set(off)
    if mode == AvoidDays.HOLIDAYS:
        for day in off:
            for step in (timedelta(days=1), timedelta(days=-1)):
                other = day + step
                while other not in off and _weekend_off(other, work):
                    result.add(other)
                    other += step
    elif mode == AvoidDays.DAYS_OFF:
        first = date(year, 1, 1)
        for n in range((date(year + 1, 1, 1) - first).days):
            day = first + timedelta(days=n)
            if _weekend_off(day, work):
                result.add(day)
    return frozenset(day for day in result if day.year == year)


def _avoided_in_year(year: int, mode: str) -> frozenset:
    rows = _overrides()
    key = (year, mode)
    if key not in _local.computed:
        _local.computed[key] = _year_days(year, mode, rows)
    return _local.computed[key]


def days_off(first: date, last: date, mode: str) -> frozenset:
    """The dates in [first, last] that plans avoid under `mode` (an `AvoidDays` value)."""
    if not mode or first > last:
        return frozenset()
    if mode not in (AvoidDays.HOLIDAYS, AvoidDays.DAYS_OFF):
        raise ValueError(f"unknown avoid mode {mode!r}")
    found = set()
    for year in range(first.year, last.year + 1):
        found |= {day for day in _avoided_in_year(year, mode) if first <= day <= last}
    return frozenset(found)


def is_working_day(day: date) -> bool:
    """Whether people work on `day` (not a statutory day off, not a weekend day unless 调休上班)."""
    return day not in _avoided_in_year(day.year, AvoidDays.DAYS_OFF)


def workdays_of(year: int) -> list[date]:
    """The working days of `year`, in order."""
    avoided = _avoided_in_year(year, AvoidDays.DAYS_OFF)
    first = date(year, 1, 1)
    days = (first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days))
    return [day for day in days if day not in avoided]


def avoid_for(organization_id, first: date, last: date) -> frozenset:
    """The days a company's plans avoid in [first, last], by its 排期设置 (none when it has not set any)."""
    from .models import PlanningSettings

    mode = (
        PlanningSettings.objects.filter(organization_id=organization_id).values_list("avoid", flat=True).first()
        if organization_id is not None
        else None
    )
    return days_off(first, last, mode or "")


def calendar_of(year: int) -> list[CalendarDay]:
    """The year view: every day off of the holiday blocks and every 调休 working day, in date order, each with
    its source and name (in the active language for the package's days)."""
    rows = _overrides()
    names_off, names_work = _package_year(year, _package_language())
    days = {}
    for day, name in names_off.items():
        days[day] = CalendarDay(day, False, str(name), PACKAGE)
    for day, given in names_work.items():
        days[day] = CalendarDay(day, True, _("调休上班（%(day)s 休息）") % {"day": given.isoformat()}, PACKAGE)
    for day, row in rows.items():
        if day.year == year:
            days[day] = CalendarDay(day, row.is_workday, row.name, OPERATOR, row)
    block = _avoided_in_year(year, AvoidDays.HOLIDAYS)
    for day in block - set(days):
        near = (days.get(day + timedelta(days=d)) for d in sorted(range(-7, 8), key=abs))
        neighbour = next((other for other in near if other is not None and not other.is_workday), None)
        days[day] = CalendarDay(day, False, neighbour.name if neighbour else "", BLOCK_WEEKEND)
    return [days[day] for day in sorted(days)]

"""Property tests of the plan year (maintenance.schedule): any start date, holiday table and interval."""

from datetime import date, timedelta

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from maintenance.schedule import (
    LEGAL_INTERVAL,
    MAX_ON_DEMAND_INTERVAL,
    add_months,
    gaps,
    plan_year,
    quarter_bounds,
    reanchor,
    year_end,
)

starts = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))
intervals = st.one_of(st.just(LEGAL_INTERVAL), st.integers(min_value=LEGAL_INTERVAL, max_value=MAX_ON_DEMAND_INTERVAL))


@st.composite
def holiday_tables(draw):
    """Blocks of days off up to 9 long (a 黄金周 with its weekends), at least 12 working days apart."""
    day = draw(st.dates(min_value=date(2019, 12, 1), max_value=date(2020, 3, 1)))
    avoid = set()
    while day < date(2034, 1, 1):
        length = draw(st.integers(min_value=1, max_value=9))
        avoid.update(day + timedelta(days=i) for i in range(length))
        day += timedelta(days=length + draw(st.integers(min_value=12, max_value=120)))
    return frozenset(avoid)


def check_year(start, visits, interval):
    end = year_end(start)
    dates = [v.date for v in visits]
    assert dates[0] == start
    assert dates == sorted(set(dates)), "strictly increasing, no duplicates"
    assert dates[-1] < end
    assert max(gaps([*dates, end])) <= interval, gaps([*dates, end])
    assert visits[-1].cycle == "annual"
    bounds = quarter_bounds(start)
    for quarter in (1, 2, 3, 4):
        (i,) = [i for i, v in enumerate(visits) if v.quarter == quarter]
        assert dates[i] < bounds[quarter - 1] <= (dates[i + 1] if i + 1 < len(dates) else end)
    assert {v.cycle for v in visits if v.quarter in (1, 3)} == {"quarter"}
    assert [v.cycle for v in visits if v.quarter == 2] == ["half_year"]


@given(start=starts, interval=intervals)
def test_a_year_keeps_every_gap_and_puts_each_cycle_at_its_place(start, interval):
    visits = plan_year(start, interval=interval)
    check_year(start, visits, interval)
    if interval == LEGAL_INTERVAL:
        assert len(visits) in (25, 26)  # 365 or 366 days in gaps of at most 15


@given(start=starts, interval=intervals, avoid=holiday_tables())
@settings(max_examples=150)
def test_holidays_are_avoided_without_breaking_the_bound(start, interval, avoid):
    visits = plan_year(start, interval=interval, avoid=avoid)
    check_year(start, visits, interval)
    assert not [v.date for v in visits[1:] if v.date in avoid]  # the start is the planner's own choice


@given(start=st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)))
@settings(max_examples=80)
def test_chinas_calendar_with_weekends_is_kept_within_the_bound(start):
    """Weekends and holidays (the days_off mode) leave few free days, still enough for every visit."""
    years = range(start.year, start.year + 3)
    off = set(holidays.China(years=years))
    off |= {d for y in years for d in _days(y) if d.weekday() >= 5}
    visits = plan_year(start, avoid=frozenset(off))
    check_year(start, visits, LEGAL_INTERVAL)
    assert not [v.date for v in visits[1:] if v.date in off]


def _days(year):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


@given(
    start=starts,
    interval=intervals,
    avoid=st.one_of(st.just(frozenset()), holiday_tables()),
    data=st.data(),
)
def test_the_rest_of_the_year_follows_a_visit_made_early_or_late(start, interval, avoid, data):
    visits = plan_year(start, interval=interval, avoid=avoid)
    k = data.draw(st.integers(min_value=1, max_value=len(visits) - 1), label="visit made")
    previous = visits[k - 1].date
    offset = data.draw(st.integers(min_value=-interval + 1, max_value=interval), label="days early/late")
    made = max(previous + timedelta(days=1), visits[k].date + timedelta(days=offset))
    rest = visits[k + 1 :]
    pending = {v.quarter for v in rest if v.quarter}
    placed = reanchor(start=start, last_visit=made, pending=pending, count=len(rest), interval=interval, avoid=avoid)
    end = year_end(start)
    if placed is None:
        assert made >= end - timedelta(days=1)
        return
    dates = [v.date for v in placed]
    assert dates == sorted(set(dates)) and all(made < d < end for d in dates)
    assert max(gaps([made, *dates, end])) <= interval
    assert len(placed) >= min(len(rest), (end - made).days - 1)
    if 4 in pending and placed:
        assert placed[-1].cycle == "annual"
        assert (end - placed[-1].date).days <= interval  # the annual stays at the end of the year
    assert {v.quarter for v in placed if v.quarter} <= pending
    assert not [d for d in dates if d in avoid]


@given(start=starts)
def test_add_months_keeps_the_day_or_the_months_last(start):
    later = add_months(start, 12)
    assert later.month == start.month and later.year == start.year + 1
    assert later.day == start.day or (start.month == 2 and start.day == 29 and later.day == 28)

"""The contract rules and the contract warning's rules at their edges."""

from datetime import date, timedelta

from alerts import rules
from contracts.models import ContractStatus
from contracts.rules import is_renewal, status_on

TODAY = date(2026, 12, 6)


def days(n):
    return TODAY + timedelta(days=n)


def test_status_follows_the_dates_and_termination():
    assert status_on(days(-10), days(10), None, TODAY) == ContractStatus.ACTIVE
    assert status_on(TODAY, TODAY, None, TODAY) == ContractStatus.ACTIVE  # both days included
    assert status_on(days(1), days(10), None, TODAY) == ContractStatus.PENDING
    assert status_on(days(-10), days(-1), None, TODAY) == ContractStatus.EXPIRED
    assert status_on(days(-10), days(10), days(-1), TODAY) == ContractStatus.TERMINATED


def test_a_renewal_starts_no_later_than_the_day_after_and_ends_later():
    end = TODAY
    assert is_renewal(end, days(1), days(366))  # the day after
    assert is_renewal(end, days(-30), days(300))  # overlapping
    assert not is_renewal(end, days(2), days(366))  # a day's gap
    assert not is_renewal(end, days(1), end)  # ends the same day: not later


def test_contract_level_at_its_edges():
    level = rules.contract_level
    assert level(TODAY, TODAY) == rules.NEAR  # due today
    assert level(days(-1), TODAY) == rules.OVERDUE  # yesterday
    assert level(days(90), TODAY) == rules.NEAR  # exactly 90 days
    assert level(days(91), TODAY) is None  # 91 days


def test_contract_tier_at_its_edges():
    tier = rules.contract_tier
    assert tier(days(91), TODAY) is None
    assert tier(days(90), TODAY) == 90
    assert tier(days(61), TODAY) == 90
    assert tier(days(60), TODAY) == 60
    assert tier(days(31), TODAY) == 60
    assert tier(days(30), TODAY) == 30
    assert tier(TODAY, TODAY) == 30
    assert tier(days(-1), TODAY) is None  # lapsed: overdue, no tier


def test_terminated_silent_or_renewed_contracts_do_not_warn():
    warn = rules.contract_warning
    assert warn(days(10), TODAY, terminated=False, silent=False, renewed=False) == rules.NEAR
    assert warn(days(-1), TODAY, terminated=False, silent=False, renewed=False) == rules.OVERDUE
    assert warn(days(10), TODAY, terminated=True, silent=False, renewed=False) is None
    assert warn(days(10), TODAY, terminated=False, silent=True, renewed=False) is None
    assert warn(days(-1), TODAY, terminated=False, silent=False, renewed=True) is None

"""维保合同 as pure functions: a contract's status on a day and whether a later contract renews it."""

from datetime import date, timedelta

from .models import ContractStatus

__all__ = ["is_renewal", "status_on"]


def status_on(starts_on: date, ends_on: date, terminated_on: date | None, day: date) -> str:
    """已终止 once terminated (whatever the date), else 未开始 before the start, 已到期 after the end, 生效中 between
    (both days included)."""
    if terminated_on is not None:
        return ContractStatus.TERMINATED
    if day < starts_on:
        return ContractStatus.PENDING
    if day > ends_on:
        return ContractStatus.EXPIRED
    return ContractStatus.ACTIVE


def is_renewal(ends_on: date, later_starts_on: date, later_ends_on: date) -> bool:
    """A later contract renews one ending on `ends_on` when it starts no later than the day after and ends later
    (an overlap is fine; a gap of a day or more is not a renewal)."""
    return later_starts_on <= ends_on + timedelta(days=1) and later_ends_on > ends_on

"""The business rules of 无纸化维保 as plain functions, one module per subject: items (维保项目), groups
(维保小组), plans (维保计划)."""

from .groups import (
    GROUP_FIELDS,
    assign_elevators,
    assignable_elevators,
    company_people,
    create_group,
    delete_group,
    expired_condition,
    expired_members,
    group_members,
    unassign_elevators,
    update_group,
    with_counts,
)
from .items import ITEM_FIELDS, annex_for, create_item, items_for, update_item

__all__ = [
    "GROUP_FIELDS",
    "ITEM_FIELDS",
    "annex_for",
    "assign_elevators",
    "assignable_elevators",
    "company_people",
    "create_group",
    "delete_group",
    "expired_condition",
    "expired_members",
    "group_members",
    "items_for",
    "unassign_elevators",
    "update_group",
    "with_counts",
    "create_item",
    "update_item",
]

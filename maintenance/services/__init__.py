"""The business rules of 无纸化维保 as plain functions, one module per subject: items (维保项目), the planning
calendar (节假日调整, 排期设置, 按需维保), groups (维保小组), plans (维保计划)."""

from .calendar import (
    HOLIDAY_FIELDS,
    ON_DEMAND_FIELDS,
    check_interval,
    clear_on_demand,
    delete_holiday,
    save_holiday,
    save_planning_settings,
    set_on_demand,
)
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
    "ITEM_FIELDS",
    "annex_for",
    "create_item",
    "items_for",
    "update_item",
    "HOLIDAY_FIELDS",
    "ON_DEMAND_FIELDS",
    "check_interval",
    "clear_on_demand",
    "delete_holiday",
    "save_holiday",
    "save_planning_settings",
    "set_on_demand",
    "GROUP_FIELDS",
    "assign_elevators",
    "assignable_elevators",
    "company_people",
    "create_group",
    "delete_group",
    "expired_condition",
    "expired_members",
    "group_members",
    "unassign_elevators",
    "update_group",
    "with_counts",
]

"""The business rules of 无纸化维保 as plain functions, one module per subject: items (维保项目), groups
(维保小组), plans (维保计划)."""

from .items import ITEM_FIELDS, annex_for, create_item, items_for, update_item

__all__ = ["ITEM_FIELDS", "annex_for", "create_item", "items_for", "update_item"]

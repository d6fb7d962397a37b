"""The four categories of TSG T5002 (its annexes A–D) by which a company drills: the ledger's 设备品种 maps onto them
(`elevators.catalogue.GROUP_OF_CATEGORY`), so a category is a function of `device_category`, here also in SQL."""

from django.db.models import Case, CharField, Value, When

from elevators.catalogue import GROUP_OF_CATEGORY, ParameterGroup

__all__ = ["CATEGORIES", "category_expression", "codes_of", "label_of"]

CATEGORIES = ParameterGroup  # 曳引与强制驱动电梯, 液压驱动电梯, 杂物电梯, 自动扶梯与自动人行道


def codes_of(category: str) -> list[str]:
    """The 设备品种 codes of a category."""
    return [code for code, group in GROUP_OF_CATEGORY.items() if group == category]


def label_of(category: str) -> str:
    return str(dict(ParameterGroup.choices).get(category, category))


def category_expression(prefix: str = ""):
    """The category of an elevator row (or of `prefix`'s elevator) in SQL; an unknown code counts as traction, as
    `elevators.catalogue.group_of` does."""
    return Case(
        *[
            When(**{f"{prefix}device_category__in": codes_of(group)}, then=Value(group.value))
            for group in ParameterGroup
            if group != ParameterGroup.TRACTION
        ],
        default=Value(ParameterGroup.TRACTION.value),
        output_field=CharField(),
    )

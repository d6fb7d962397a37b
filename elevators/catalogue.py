"""Regulation as data: device categories (特种设备目录 2014), their parameter groups and component catalogues."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DeviceCategory", "ParameterGroup", "GROUP_OF_CATEGORY", "COMPONENT_CATALOGUE", "group_of"]


class DeviceCategory(models.TextChoices):
    """品种 of the current catalogue (2014 版《特种设备目录》)."""

    TRACTION_PASSENGER = "3110", _("3110 曳引驱动乘客电梯")
    TRACTION_FREIGHT = "3120", _("3120 曳引驱动载货电梯")
    FORCED_FREIGHT = "3130", _("3130 强制驱动载货电梯")
    HYDRAULIC_PASSENGER = "3210", _("3210 液压乘客电梯")
    HYDRAULIC_FREIGHT = "3220", _("3220 液压载货电梯")
    ESCALATOR = "3310", _("3310 自动扶梯")
    MOVING_WALK = "3320", _("3320 自动人行道")
    EXPLOSION_PROOF = "3410", _("3410 防爆电梯")
    FIREFIGHTER = "3420", _("3420 消防员电梯")
    DUMBWAITER = "3430", _("3430 杂物电梯")


class ParameterGroup(models.TextChoices):
    """Which annex of TSG T5002 (and which parameters) applies."""

    TRACTION = "traction", _("曳引与强制驱动电梯")
    HYDRAULIC = "hydraulic", _("液压驱动电梯")
    DUMBWAITER = "dumbwaiter", _("杂物电梯")
    ESCALATOR = "escalator", _("自动扶梯与自动人行道")


GROUP_OF_CATEGORY = {
    "3110": ParameterGroup.TRACTION,
    "3120": ParameterGroup.TRACTION,
    "3130": ParameterGroup.TRACTION,
    "3410": ParameterGroup.TRACTION,
    "3420": ParameterGroup.TRACTION,
    "3210": ParameterGroup.HYDRAULIC,
    "3220": ParameterGroup.HYDRAULIC,
    "3430": ParameterGroup.DUMBWAITER,
    "3310": ParameterGroup.ESCALATOR,
    "3320": ParameterGroup.ESCALATOR,
}


def group_of(category: str) -> str:
    return GROUP_OF_CATEGORY.get(category, ParameterGroup.TRACTION)


# TSG T5002 art. 8: the technical parameters a record must show, by group.
PARAMETERS_OF_GROUP = {
    ParameterGroup.TRACTION: ["drive_type", "control_type", "rated_load", "rated_speed", "floors", "stops", "doors"],
    ParameterGroup.DUMBWAITER: ["drive_type", "control_type", "rated_load", "rated_speed", "floors", "stops", "doors"],
    ParameterGroup.HYDRAULIC: [
        "control_type",
        "rated_load",
        "rated_speed",
        "floors",
        "stops",
        "doors",
        "cylinder_count",
        "jacking_type",
    ],
    ParameterGroup.ESCALATOR: ["inclination", "rated_speed", "rise", "step_width", "motor_power", "usable_length"],
}
REQUIRED_PARAMETERS = {
    ParameterGroup.TRACTION: ["rated_load", "rated_speed", "floors", "stops", "doors"],
    ParameterGroup.DUMBWAITER: ["rated_load", "rated_speed", "floors", "stops", "doors"],
    ParameterGroup.HYDRAULIC: ["rated_load", "rated_speed", "floors", "stops", "doors"],
    ParameterGroup.ESCALATOR: ["inclination", "rated_speed", "rise", "step_width"],
}

# 组件: what each kind of elevator is made of; lifespans start at the seed's default of 6 months.
COMPONENT_CATALOGUE = {
    ParameterGroup.TRACTION: [
        "曳引机",
        "制动器",
        "曳引钢丝绳",
        "曳引轮",
        "导向轮",
        "限速器",
        "限速器钢丝绳",
        "安全钳",
        "缓冲器",
        "门机",
        "层门门锁",
        "轿门门锁",
        "控制柜",
        "变频器",
        "导靴",
        "随行电缆",
        "对重装置",
        "上行超速保护装置",
        "轿厢意外移动保护装置",
        "应急照明与报警装置",
    ],
    ParameterGroup.HYDRAULIC: [
        "液压泵站",
        "油缸",
        "溢流阀",
        "破裂阀",
        "液压油",
        "限速器",
        "安全钳",
        "缓冲器",
        "门机",
        "层门门锁",
        "轿门门锁",
        "控制柜",
        "导靴",
        "随行电缆",
        "应急照明与报警装置",
    ],
    ParameterGroup.DUMBWAITER: [
        "驱动主机",
        "制动器",
        "钢丝绳",
        "限速器",
        "层门门锁",
        "控制柜",
        "导靴",
        "缓冲器",
    ],
    ParameterGroup.ESCALATOR: [
        "驱动主机",
        "工作制动器",
        "附加制动器",
        "梯级（踏板）",
        "梯级链",
        "驱动链",
        "扶手带",
        "扶手带驱动装置",
        "梳齿板",
        "控制柜",
        "变频器",
        "安全开关",
        "超速保护装置",
        "非操纵逆转保护装置",
    ],
}
DEFAULT_COMPONENT_LIFESPAN_MONTHS = 6

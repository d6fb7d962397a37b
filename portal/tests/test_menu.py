"""The side menu: assembled from each app's AppConfig.menu_items, per user, in the declared order."""

import re

import pytest
from django.apps import apps

from accounts.models import User
from core.menu import LEDGER, Section
from core.menu import MenuItem as Item
from portal.menu import menu_for

pytestmark = pytest.mark.django_db


MAINTENANCE_MENU = [
    *("手机维保", "维保项目管理", "维保小组管理", "维保计划管理", "维保纪录查询", "存疑纪录", "维修纪录管理"),
    "应急演练",
    *("排期设置", "节假日安排", "按需维保"),
]
APPLICATIONS_MENU = [
    *("使用登记申请", "维保单位变更申请", "停用登记申请", "停用后启用登记申请", "报废登记申请"),
    "电梯维护保养试点申请",
]


def outline(user, path="/") -> list[tuple[str, list[str]]]:
    return [(str(s.label), [str(link.label) for link in s.links]) for s in menu_for(user, path)]


def test_a_company_administrator_sees_every_section_in_order(world):
    assert outline(world.admin_a) == [
        ("系统管理", ["修改密码", "账号维护", "消息通知"]),
        ("电梯管理", ["电梯台账", "维保合同", "问题上报", "导入记录"]),
        ("监管申请", APPLICATIONS_MENU),
        ("无纸化维保", MAINTENANCE_MENU),
        (
            "电梯维保预警",
            [
                "维保预警查询",
                "年检预警",
                "年度自行检查预警",
                "限速器检验预警",
                "组件寿命预警",
                "应急演练预警",
                "维保合同到期预警",
                "人员证书到期预警",
                "维保记录待确认预警",
                "预警设置",
            ],
        ),
        ("组织架构", ["本单位信息", "电梯维保单位", "电梯使用单位", "监管单位"]),
        ("基本信息查询", ["生产单位", "使用单位", "维保单位", "救援单位", "检验单位", "电梯信息"]),
        ("基础数据", ["行政区域"]),
    ]
    urls = {str(link.label): link.url for s in menu_for(world.admin_a, "/") for link in s.links}
    assert urls["本单位信息"] == f"/organizations/units/{world.company_a.pk}/"
    assert urls["监管单位"] == "/organizations/regulator/" and urls["导入记录"] == "/imports/"


def test_each_link_shows_to_whom_its_rule_allows(world):
    worker = dict(outline(world.worker_a))
    assert worker["系统管理"] == ["修改密码", "消息通知"]
    assert worker["电梯管理"] == ["电梯台账", "维保合同", "问题上报"]
    assert "监管申请" not in worker
    bureau = dict(outline(world.city_admin))
    assert bureau["监管申请"] == ["申请审核", "全部申请", "试点申请办理"]
    assert bureau["电梯管理"] == ["电梯台账", "维保合同"] and bureau["系统管理"] == ["修改密码", "账号维护", "消息通知"]
    use_unit = dict(outline(world.use_admin_a))
    assert use_unit["电梯管理"] == ["电梯台账", "维保合同", "问题上报", "导入记录"]
    assert use_unit["监管申请"] == APPLICATIONS_MENU
    operator = dict(outline(world.operator))
    assert operator["组织架构"] == ["电梯维保单位", "电梯使用单位", "监管单位"]  # no unit of its own
    assert operator["基础数据"] == ["行政区域", "运营管理后台"]
    assert "运营管理后台" not in dict(outline(world.admin_a))["基础数据"]
    # a worker reads its company's settings
    assert worker["无纸化维保"] == MAINTENANCE_MENU
    assert "排期设置" not in use_unit["无纸化维保"] and "排期设置" not in operator["无纸化维保"]
    assert "维保计划管理" in use_unit["无纸化维保"] and "维保计划管理" in bureau["无纸化维保"]
    assert "手机维保" not in use_unit["无纸化维保"] and "手机维保" not in bureau["无纸化维保"]
    assert "存疑纪录" in bureau["无纸化维保"] and "存疑纪录" not in use_unit["无纸化维保"]
    # 应急演练: the company records them, use units and bureaus read those on their elevators
    assert all("应急演练" in menu["无纸化维保"] for menu in (use_unit, bureau, operator))
    # the warnings for whoever reads plans (年检预警 and 限速器检验预警 also for inspection institutes); 预警设置 for a
    # company's people
    warnings = ["维保预警查询", "年检预警", "年度自行检查预警", "限速器检验预警", "组件寿命预警", "应急演练预警"]
    warnings.append("维保合同到期预警")
    # 人员证书到期预警: administrators of a company or a bureau and the operator (it lists accounts);
    # 维保记录待确认预警: whoever reads plans
    assert worker["电梯维保预警"] == [*warnings, "维保记录待确认预警", "预警设置"]
    assert use_unit["电梯维保预警"] == [*warnings, "维保记录待确认预警"]
    assert bureau["电梯维保预警"] == operator["电梯维保预警"] == [*warnings, "人员证书到期预警", "维保记录待确认预警"]


def test_nobody_logged_in_has_no_menu():
    from django.contrib.auth.models import AnonymousUser

    assert menu_for(AnonymousUser(), "/") == [] and menu_for(None) == []


def test_the_link_of_the_current_page_is_active(world, client_for):
    page = client_for(world.admin_a).get("/organizations/regulator/").content.decode()
    nav = re.search(r'<nav class="nav flex-column small".*?</nav>', page, re.S).group(0)
    active = re.findall(r'<a class="nav-link active" href="([^"]*)" aria-current="page">', nav)
    assert active == ["/organizations/regulator/"]
    assert 'href="/elevators/"' in nav and "运营管理后台" not in nav


def test_the_menu_costs_one_query_at_most_whatever_the_number_of_items(world, django_assert_max_num_queries):
    user = User.objects.get(pk=world.admin_a.pk)  # a fresh object: its tenancy scope is not cached yet
    with django_assert_max_num_queries(1):
        sections = menu_for(user, "/")
    assert sum(len(s.links) for s in sections) == 45
    with django_assert_max_num_queries(0):
        menu_for(user, "/")


def test_an_app_adds_its_links_by_declaring_them(world, monkeypatch):
    config = apps.get_app_config("imports")
    later = Section("later", "稍后", 30)
    declared = [
        *config.menu_items,
        Item(LEDGER, "在台账之前", "elevators:list", order=5, testid="before-ledger"),
        Item(later, "新的一节", "elevators:list", visible=lambda user: user.is_superuser),
    ]
    monkeypatch.setattr(config, "menu_items", declared, raising=False)
    assert outline(world.admin_a)[1] == ("电梯管理", ["在台账之前", "电梯台账", "维保合同", "问题上报", "导入记录"])
    assert [label for label, _ in outline(world.operator)][:4] == ["系统管理", "电梯管理", "监管申请", "稍后"]
    assert "稍后" not in dict(outline(world.admin_a))
    assert menu_for(world.admin_a)[1].links[0].testid == "before-ledger"

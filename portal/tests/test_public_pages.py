"""The public pages: 区县局 (the district bureaus' phones, by city), 办事指南 (the pilot application's guide and the
pilot's requirements), and the seed's top menus on them and on the login and 获取登录账号 pages."""

import pytest

from organizations.models import Region
from tests.factories import OrganizationFactory, region

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/accounts/login/", "/accounts/obtain/", "/bureaus/", "/guide/pilot/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_open_without_login_and_carry_the_top_menus(client, world, path):
    response = client.get(path)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="public-nav"' in content and 'data-testid="side-menu"' not in content
    for menu in ("业务办理", "信息查询", "办事指南", "联系我们"):
        assert menu in content
    assert 'href="/accounts/login/?next=/pilot/"' in content  # 业务办理 → 电梯维护保养试点
    assert 'href="/accounts/login/?next=/elevators/"' in content  # 信息查询 → 电梯信息
    assert 'href="/guide/pilot/"' in content and 'href="/bureaus/#operator"' in content
    assert 'data-testid="nav-bureaus"' in content  # 区县局 at the top right
    assert content.count('data-testid="language-switch"') == 1


def test_the_bureaus_page_lists_the_district_bureaus_by_city(client, world):
    Region.objects.update(in_pilot=False)
    Region.objects.filter(code="500112").update(in_pilot=True)
    OrganizationFactory(
        kind="regulator",
        name="已撤销的区局",
        region=region("500103"),
        jurisdiction=region("500103"),
        is_active=False,
    )
    response = client.get("/bureaus/")
    content = response.content.decode()
    chongqing = content.split('data-testid="bureau-city-500000"')[1].split("</section>")[0]
    assert "渝北区局" in chongqing and "九龙坡区局" in chongqing and "市局" in chongqing
    assert world.yubei_bureau.contact_phone in chongqing and world.yubei_bureau.address in chongqing
    assert "深圳市局" not in chongqing and 'data-testid="bureau-city-440300"' in content
    assert "已撤销的区局" not in content
    row = content.split('data-testid="bureau-500112"')[1].split("</tr>")[0]
    assert "试点区县" in row
    assert "试点区县" not in content.split('data-testid="bureau-500107"')[1].split("</tr>")[0]
    assert 'id="operator"' in content


def test_the_operator_contact_is_shown_when_the_platform_has_one(client, world):
    OrganizationFactory(kind="operator", name="平台运营中心", contact_phone="023-67001234")
    operator = client.get("/bureaus/").content.decode().split('id="operator"')[1]
    assert "平台运营中心" in operator and "023-67001234" in operator


def test_the_guide_carries_the_steps_and_the_requirements(client, world):
    Region.objects.update(in_pilot=False)
    Region.objects.filter(code__in=["500112", "500103"]).update(in_pilot=True)
    response = client.get("/guide/pilot/")
    assert "pilot/_requirements.html" in [t.name for t in response.templates]
    content = response.content.decode()
    for text in (
        "获取登录账号",
        "申请单位身份",
        "同意",
        "添加试点电梯",
        "同一批次（一份申请）只能添加使用单位和维保单位都一致的电梯",
        "打印",
        "维保工作信息化管理系统介绍",
        "1000台以上（含1000台）的，由市局处理",
        "试点区县局处理",
        "退回申请",
        "近三年未发生电梯安全责任事故",
        "请致电对应区县局处理",
    ):
        assert text in content, text
    documents = content.split('data-testid="guide-documents"')[1].split("</table>")[0]
    assert documents.count("<tr>") == 8  # the header and the seven documents
    for name in ("试点申请书", "承诺书", "维护保养方案", "电梯保险证明", "物联网监测系统安全评价报告", "维保合同"):
        assert name in documents
    districts = content.split('data-testid="pilot-districts"')[1].split("</p>")[0]
    assert "渝中区" in districts and "渝北区" in districts and "九龙坡区" not in districts


def test_a_logged_in_user_reads_them_too(client_for, world):
    client = client_for(world.admin_a)
    for path in ("/bureaus/", "/guide/pilot/", "/accounts/obtain/"):
        response = client.get(path)
        assert response.status_code == 200
        assert 'data-testid="nav-home"' in response.content.decode()


def test_the_public_pages_in_english(client, world):
    client.cookies["django_language"] = "en"
    for path in PUBLIC_PAGES:
        content = client.get(path).content.decode()
        assert 'lang="en"' in content
        assert "业务办理" not in content and "办事指南" not in content, path

import pytest

from organizations.models import Region
from organizations.region_data import REGIONS, load_regions

pytestmark = pytest.mark.django_db


def test_chongqing_has_all_its_38_districts_and_counties():
    chongqing = Region.objects.get(code="500000")
    assert chongqing.children.count() == 38
    assert Region.objects.get(code="500112").name == "渝北区"
    assert Region.objects.get(code="500243").path == "/500000/500243/"


def test_shenzhen_sits_under_guangdong_with_its_districts():
    shenzhen = Region.objects.get(code="440300")
    assert shenzhen.parent.code == "440000"
    assert shenzhen.children.count() == 9


def test_loading_again_changes_nothing_and_keeps_the_operators_pilot_flags():
    Region.objects.filter(code="500105").update(in_pilot=True)
    assert load_regions(Region) == 0
    assert Region.objects.count() == len(REGIONS)
    assert Region.objects.get(code="500105").in_pilot is True


def test_some_districts_are_flagged_for_the_pilot():
    assert Region.objects.filter(in_pilot=True, level="district").exists()


def test_english_name_in_the_english_ui():
    from django.utils import translation

    region = Region.objects.get(code="500112")
    with translation.override("en"):
        assert str(region) == "Yubei"
    assert str(region) == "渝北区"

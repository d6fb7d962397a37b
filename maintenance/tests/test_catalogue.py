"""The TSG T5002-2017 catalogue as data: counts per annex and cycle, the annex of each 设备品种, company items."""

import pytest
from django.core.exceptions import ValidationError

from maintenance import services
from maintenance.models import Cycle, MaintenanceItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catalogue(db):
    from tests.factories import load_reference_data

    load_reference_data()


COUNTS = {  # regulations.md §1.5–1.8: each cycle's list includes the shallower ones
    "A": (31, 44, 59, 76),
    "B": (30, 43, 52, 66),
    "C": (20, 28, 38, 52),
    "D": (33, 38, 50, 63),
}


@pytest.mark.parametrize("annex", COUNTS)
def test_counts_per_annex_and_cycle_are_cumulative(annex):
    cycles = [Cycle.HALF_MONTH, Cycle.QUARTER, Cycle.HALF_YEAR, Cycle.ANNUAL]
    assert tuple(services.items_for(annex, cycle).count() for cycle in cycles) == COUNTS[annex]


def test_items_carry_code_judgement_photo_and_season():
    item = MaintenanceItem.objects.get(organization=None, code="A-1-29")
    assert item.part == "层门锁紧元件啮合长度" and item.cycle == Cycle.HALF_MONTH
    assert (item.judgement, item.lower_limit, item.unit) == ("numeric", 7, "mm")
    assert MaintenanceItem.objects.get(organization=None, code="C-1-17").lower_limit == 5  # dumbwaiters: 5 mm
    test = MaintenanceItem.objects.get(organization=None, code="A-4-6")
    assert "限速器安全钳联动试验" in test.part and test.needs_photo
    assert MaintenanceItem.objects.get(organization=None, code="D-2-5").condition == "before_rainy_season"
    assert MaintenanceItem.objects.get(organization=None, code="D-3-12").condition == "before_winter"
    assert MaintenanceItem.objects.filter(organization=None, judgement="standard").count() > 10


@pytest.mark.parametrize(
    "category, annex", [("3110", "A"), ("3130", "A"), ("3220", "B"), ("3430", "C"), ("3320", "D"), ("3420", None)]
)
def test_the_device_category_picks_the_annex(category, annex):
    assert services.annex_for(category) == annex


def test_a_company_adds_items_on_top_and_never_edits_the_regulations(world):
    item = services.create_item(
        actor=world.admin_a,
        data={"annex": "A", "cycle": "quarter", "part": "无机房主机散热风扇", "requirement": "运转正常，滤网清洁"},
    )
    assert item.code == "A-2-Q1" and item.organization == world.company_a
    assert services.items_for("A", "quarter", world.company_a.pk).count() == 45
    assert services.items_for("A", "half_month", world.company_a.pk).count() == 31  # a quarterly item only
    assert services.items_for("A", "quarter", world.company_b.pk).count() == 44  # company B does not get it
    regulation = MaintenanceItem.objects.get(organization=None, code="A-1-1")
    with pytest.raises(ValidationError):
        services.update_item(regulation, actor=world.admin_a, data={"requirement": "随便"})
    with pytest.raises(ValidationError):
        services.create_item(
            actor=world.admin_a,
            data={"annex": "A", "cycle": "annual", "part": "x", "requirement": "y", "judgement": "numeric"},
        )

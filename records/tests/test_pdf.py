"""维保纪录 PDF: what a person and a text extractor find in it."""

import io
import re
import zipfile
from datetime import timedelta

import pypdfium2
import pytest
from django.utils import translation

from records.models import Hazard
from records.pdf import record_filename, record_pdf, records_pdf, records_zip
from records.tests.builders import STARTED, make_record, pdf_pages, pdf_text, second_worker
from tests.factories import make_elevator

pytestmark = pytest.mark.django_db


def _squeeze(text: str) -> str:
    """pdftotext -layout pads columns with spaces: compare without them."""
    return re.sub(r"\s+", "", text)


def test_record_pdf_has_everything_a_record_needs(world, tmp_path):
    elevator = make_elevator(world, internal_number="3号梯")
    second = second_worker(world, name="李师傅")
    record = make_record(world, elevator, second=second, items=8, photos=2)
    data = record_pdf(record)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data, tmp_path)
    flat = _squeeze(text)
    assert "维保纪录" in text
    assert elevator.register_code in text
    assert world.company_a.name in text
    assert "已确认" in text and record.seal in flat
    assert "3号梯" in text and world.use_unit_a.name in text
    # traction: drive type, rated load, rated speed, floors/stops/doors
    assert "曳引驱动" in text and "额定载重量" in flat and "1000" in text and "1.75" in text and "6/6/6" in text
    assert "倾斜角" not in text
    # the visit
    assert "半月维保" in text and "2026-11-2509:41" in flat and "47分钟" in flat and "35米" in flat
    # both workers, with the face check
    assert world.worker_a.full_name in text and "李师傅" in text
    assert "第一维保人" in text and "第二维保人" in text and "通过" in text and "未拍照" in text
    # the items: codes, results, measured value out of limit, note
    items = list(record.items.all())
    assert len(items) == 8
    for item in items:
        assert item.code in text
    assert "异常" in text and "制动衬有油污" in text
    assert "⚠" in text and "超出限值" in text
    # photos with their item code, hazards with labels, flags, confirmation, seal
    assert "现场照片（2张）" in flat
    assert str(Hazard.SAFETY_DEVICES.label) in text and "S5存在明显故障" in flat
    assert "用时过短" in text
    assert "王经理" in text and "现场签字" in text
    assert f"封存校验值（SHA-256）{record.seal}" in flat


def test_record_pdf_shows_the_photos_and_the_signature(world, tmp_path):
    record = make_record(world, make_elevator(world), items=4, photos=3)
    data = record_pdf(record)
    document = pypdfium2.PdfDocument(data)
    images = [
        obj for page in document for obj in page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE], max_depth=2)
    ]
    assert len(images) == 4  # three photos and the signature
    page = document[len(document) - 1].render(scale=1).to_pil()
    assert page.size[0] > 500


def test_escalator_shows_its_own_parameters(world, tmp_path):
    escalator = make_elevator(world, category="3310", motor_power=11)
    walk = make_elevator(world, category="3320", usable_length=42.5)
    text = pdf_text(record_pdf(make_record(world, escalator, items=2, photos=0)), tmp_path)
    flat = _squeeze(text)
    for label in ("倾斜角", "名义速度", "提升高度", "名义宽度", "电机功率"):
        assert label in flat, label
    assert "30" in text and "0.5" in text and "5.5" in text and "1000" in text and "11" in text
    assert "额定载重量" not in flat and "层/站/门" not in flat and "使用区段长度" not in flat
    walk_text = _squeeze(pdf_text(record_pdf(make_record(world, walk, items=2, photos=0)), tmp_path))
    assert "使用区段长度" in walk_text and "42.5" in walk_text


def test_hydraulic_shows_cylinders_and_jacking(world, tmp_path):
    elevator = make_elevator(world, category="3210", cylinder_count=2, jacking_type="直顶式", drive_type="")
    flat = _squeeze(pdf_text(record_pdf(make_record(world, elevator, items=1, photos=0)), tmp_path))
    assert "油缸数量" in flat and "顶升形式" in flat and "直顶式" in flat and "额定载重量" in flat


def test_an_unconfirmed_record_says_so(world, tmp_path):
    record = make_record(world, make_elevator(world), items=1, photos=0, seal="")
    record.status, record.confirmed_at, record.hazard_codes, record.flags = "finished", None, [], []
    record.save()
    text = pdf_text(record_pdf(record), tmp_path)
    assert "待确认" in text and "未确认" in text and "未封存" in text and "封存校验值（SHA" not in text


def test_records_pdf_puts_each_record_on_its_own_pages(world, tmp_path):
    elevators = [make_elevator(world) for _ in range(3)]
    records = [
        make_record(world, elevator, items=3, photos=1, started=STARTED + timedelta(days=i))
        for i, elevator in enumerate(elevators)
    ]
    data = records_pdf(records)
    text = pdf_text(data, tmp_path)
    for elevator in elevators:
        assert elevator.register_code in text
    pages = text.split("\f")
    starts = [i for i, page in enumerate(pages) if "纪录编号" in page]
    assert len(starts) == 3 and starts[0] == 0
    # every record starts on a page of its own: its page numbering restarts
    for start, elevator in zip(starts, elevators, strict=True):
        assert elevator.register_code in pages[start]
        assert "第 1 页" in pages[start]
    assert pdf_pages(data) == len([p for p in pages if p.strip()])


def test_records_zip_holds_one_pdf_per_record(world, tmp_path):
    records = [
        make_record(world, make_elevator(world), items=2, photos=0, started=STARTED + timedelta(days=i))
        for i in range(3)
    ]
    with zipfile.ZipFile(io.BytesIO(records_zip(records))) as archive:
        names = archive.namelist()
        expected = [
            f"{r.elevator.register_code}-{(STARTED + timedelta(days=i)):%Y%m%d}-{r.pk}.pdf"
            for i, r in enumerate(records)
        ]
        assert names == expected == [record_filename(r) for r in records]
        for record, name in zip(records, names, strict=True):
            data = archive.read(name)
            text = pdf_text(data, tmp_path)
            assert record.elevator.register_code in text and "维保纪录" in text
            assert pdf_pages(data) >= 1


def test_labels_follow_the_active_language(world, tmp_path):
    record = make_record(world, make_elevator(world), items=2, photos=0)
    with translation.override("en"):
        text = pdf_text(record_pdf(record), tmp_path)
    assert "Maintenance record" in text and "Serious accident hazards" in text and "Signed on site" in text
    assert "维保纪录" not in text and "严重事故隐患" not in text
    assert record.elevator.register_code in text


def test_queries_do_not_grow_with_items_and_photos(world, django_assert_max_num_queries):
    small = make_record(world, make_elevator(world), items=2, photos=1)
    big = make_record(world, make_elevator(world), items=12, photos=4)
    from records.models import MaintenanceRecord

    for record in (small, big):
        fresh = MaintenanceRecord.objects.get(pk=record.pk)
        with django_assert_max_num_queries(12):
            data = record_pdf(fresh)
        assert pdf_pages(data) >= 1

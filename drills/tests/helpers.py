"""Drills for the tests: JPEG photos made with Pillow, a drill on company A's elevators by default."""

import io
import itertools
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from drills import services
from tests.factories import make_elevator

_serial = itertools.count(1)


def jpeg_bytes(size=(320, 240), colour=(200, 80, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def jpeg_upload(name="演练照片.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def make_drill(world, *, company=None, elevators=None, held_on=None, actor=None, subject=None, photos=None):
    company = company or world.company_a
    actor = actor or (world.admin_a if company == world.company_a else world.admin_b)
    if elevators is None:
        use_unit = world.use_unit_a if company == world.company_a else world.use_unit_b
        region_code = "500112" if company == world.company_a else "500107"
        elevators = [make_elevator(world, company=company, use_unit=use_unit, region_code=region_code)]
    data = {
        "held_on": held_on or date.today(),
        "subject": subject or f"困人救援演练{next(_serial)}",
        "location": "测试花园1栋电梯机房",
        "elevators": elevators,
        "participants": [actor],
        "other_participants": "物业安全管理员 王伟",
        "summary": "15 分钟内解救被困人员，流程顺畅。",
    }
    return services.create_drill(actor=actor, data=data, photos=photos or [jpeg_upload()])

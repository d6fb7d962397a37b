"""Face checks for 维保验证: a photo must show exactly one face; its encoding is kept for the phone's check.

dlib's models ship inside the face-recognition-models package (no download). Importing them takes about a
second, so they load lazily, on the first photo.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

__all__ = ["FaceFound", "find_one_face", "face_distance", "same_person"]

MAX_SIDE = 1024  # larger photos are scaled down first: same faces, a fraction of the time


@dataclass
class FaceFound:
    encoding: list[float]
    box: tuple[int, int, int, int]  # top, right, bottom, left in the scaled image


def _rgb_array(data: bytes):
    import numpy

    with Image.open(io.BytesIO(data)) as img:
        img = ImageOps.exif_transpose(img).convert("RGB")
        img.thumbnail((MAX_SIDE, MAX_SIDE))
        return numpy.asarray(img)


def find_one_face(data: bytes) -> FaceFound:
    """The single face of a photo, or a ValidationError that tells the person what to do."""
    import face_recognition

    pixels = _rgb_array(data)
    # no upsampling: it finds small false faces (a badge, a poster) in portraits
    boxes = face_recognition.face_locations(pixels, number_of_times_to_upsample=0)
    if not boxes:
        raise ValidationError(_("照片中没有检测到人脸：请上传最新、清晰的正面整脸照片。"), code="no_face")
    if len(boxes) > 1:
        raise ValidationError(
            _("照片中有 %(n)s 张人脸：请上传只有维保员本人的照片。") % {"n": len(boxes)}, code="many_faces"
        )
    encoding = face_recognition.face_encodings(pixels, known_face_locations=boxes)[0]
    return FaceFound(encoding=[float(x) for x in encoding], box=tuple(int(v) for v in boxes[0]))


def face_distance(known: list[float], candidate: list[float]) -> float:
    import numpy

    return float(numpy.linalg.norm(numpy.asarray(known) - numpy.asarray(candidate)))


def same_person(known: list[float], data: bytes) -> tuple[bool, float]:
    """Whether the face in `data` is the person of `known` (distance under FACE_MATCH_TOLERANCE)."""
    found = find_one_face(data)
    distance = face_distance(known, found.encoding)
    return distance <= settings.FACE_MATCH_TOLERANCE, distance

import base64
import binascii
import io
import re

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image

from accounts.models import User
from core.forms import StyledFormMixin
from elevators.models import Elevator

from .models import Hazard, ItemResult, Repair
from .repairs import REPAIR_FIELDS

DATETIME = {"type": "datetime-local"}


class RepairForm(StyledFormMixin, forms.ModelForm):
    """维修纪录: the elevator by register code (a company holds thousands), the company's people as workers."""

    register_code = forms.CharField(label=_("电梯注册代码"), max_length=20)
    workers = forms.ModelMultipleChoiceField(label=_("维修人员"), queryset=User.objects.none(), required=False)

    class Meta:
        model = Repair
        fields = REPAIR_FIELDS
        widgets = {
            "reported_at": forms.DateTimeInput(DATETIME, format="%Y-%m-%dT%H:%M"),
            "arrived_at": forms.DateTimeInput(DATETIME, format="%Y-%m-%dT%H:%M"),
            "restored_at": forms.DateTimeInput(DATETIME, format="%Y-%m-%dT%H:%M"),
            "work_done": forms.Textarea(attrs={"rows": 2}),
        }

    field_order = ["register_code", *REPAIR_FIELDS, "workers"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        organization = getattr(user, "organization_id", None)
        self.fields["workers"].queryset = User.objects.filter(organization_id=organization, is_active=True)
        if self.instance.pk:
            self.fields["register_code"].initial = self.instance.elevator.register_code
            self.fields["register_code"].disabled = True
            self.fields["workers"].initial = list(self.instance.workers.all())

    def clean_register_code(self):
        code = self.cleaned_data["register_code"].strip()
        if self.instance.pk:
            return code
        self.elevator = Elevator.objects.visible_to(self.user).filter(register_code=code).first()
        if self.elevator is None:
            raise forms.ValidationError(_("没有注册代码为 %(code)s 的电梯，或您无权查看。") % {"code": code})
        return code

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and getattr(self, "elevator", None) is not None:
            cleaned["elevator"] = self.elevator  # what the service takes
        return cleaned


# --- the use unit's confirmation ---------------------------------------------------------------------------------

_DATA_URL = re.compile(r"^data:image/png;base64,([A-Za-z0-9+/=\s]+)$")
MAX_SIGNATURE_CHARS = 3 * 1024 * 1024  # a data URL: a phone's canvas at 3× gives a few hundred KB
MAX_SIGNATURE_PIXELS = 16_000_000
_INK = 200  # a pixel darker than this on white is ink


def _signature_is_blank(data: bytes) -> bool:
    """Whether a PNG holds no stroke (an untouched pad is all transparent or all white). Raises ValueError for
    anything that is not a sane PNG."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format != "PNG" or img.width * img.height > MAX_SIGNATURE_PIXELS:
                raise ValueError("not a signature")
            img.load()
            rgba = img.convert("RGBA")
    except (OSError, SyntaxError, Image.DecompressionBombError, Image.UnidentifiedImageError) as exc:
        raise ValueError("not a signature") from exc
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    paper.alpha_composite(rgba)
    ink = paper.convert("L").point(lambda value: 255 if value < _INK else 0)
    return ink.getbbox() is None


class SignatureForm(forms.Form):
    """The signature pad's drawing, posted as a PNG data URL (a hidden field signature.js fills on submit) and
    handed to the service as an uploaded PNG file. An empty pad is refused here as well as in the browser."""

    signature = forms.CharField(widget=forms.HiddenInput, required=False, strip=True)

    def clean_signature(self):
        value = self.cleaned_data.get("signature") or ""
        empty = forms.ValidationError(_("请先在签字框内签字，再提交确认。"), code="empty")
        if not value:
            raise empty
        invalid = forms.ValidationError(_("签字图片无效，请清除后重新签字。"), code="invalid")
        match = _DATA_URL.match(value)
        if match is None or len(value) > MAX_SIGNATURE_CHARS:
            raise invalid
        try:
            data = base64.b64decode("".join(match.group(1).split()), validate=True)
            blank = _signature_is_blank(data)
        except (binascii.Error, ValueError):
            raise invalid from None
        if blank:
            raise empty
        return SimpleUploadedFile("signature.png", data, content_type="image/png")


# --- corrections -------------------------------------------------------------------------------------------------


class CorrectionForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("更正原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 200}),
        error_messages={"required": _("请填写更正原因。")},
    )


class ApproveCorrectionForm(StyledFormMixin, forms.Form):
    checked = forms.BooleanField(
        label=_("我已核对更正内容，同意更正"),
        error_messages={"required": _("请先核对更正内容并勾选。")},
    )


class ItemAnswerForm(StyledFormMixin, forms.Form):
    """One item of a correction (a form per row, prefixed with the item's id); the service checks the rules."""

    result = forms.ChoiceField(
        label=_("结果"),
        choices=[("", "---------"), *ItemResult.choices],
        error_messages={"required": _("请选择这一项的结果。"), "invalid_choice": _("请选择这一项的结果。")},
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    measured_value = forms.CharField(label=_("测量值"), max_length=20, required=False)
    photo = forms.FileField(
        label=_("照片"), required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"})
    )

    def __init__(self, data=None, files=None, *, entry):
        value = entry.measured_value
        initial = {
            "result": entry.result,
            "note": entry.note,
            "measured_value": "" if value is None else format(value.normalize(), "f"),
        }
        super().__init__(data, files, prefix=f"item-{entry.pk}", initial=initial)
        self.entry = entry
        for name, field in self.fields.items():
            field.widget.attrs["class"] += " form-select-sm" if name == "result" else " form-control-sm"
            field.widget.attrs["aria-label"] = f"{entry.code} {field.label}"
            if name in ("note", "measured_value"):
                field.widget.attrs["placeholder"] = field.label


class FinishCorrectionForm(forms.Form):
    hazard_codes = forms.MultipleChoiceField(
        label=_("严重事故隐患"),
        choices=Hazard.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择严重事故隐患：S0（未发现），或 S1–S7 中的一项或多项。")},
    )


# --- repair photos -----------------------------------------------------------------------------------------------

MAX_REPAIR_PHOTOS_AT_ONCE = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern): a list of uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)) and data:
            return [single(item, initial) for item in data]
        if isinstance(data, (list, tuple)):
            data = None
        return [single(data, initial)] if data else single(data, initial)


class RepairPhotosForm(StyledFormMixin, forms.Form):
    photos = MultipleFileField(
        label=_("上传维修照片"),
        help_text=_("可一次选择多张 JPEG 或 PNG 照片（每次最多 10 张）。"),
        error_messages={"required": _("请选择要上传的照片。")},
    )

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if len(photos) > MAX_REPAIR_PHOTOS_AT_ONCE:
            raise forms.ValidationError(
                _("一次最多上传 %(n)s 张照片。") % {"n": MAX_REPAIR_PHOTOS_AT_ONCE}, code="too_many"
            )
        return photos

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import StyledFormMixin
from elevators.models import Elevator

from .models import Repair
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

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import StyledFormMixin
from elevators.models import Elevator
from records.forms import MultipleFileField

from .categories import label_of
from .models import EmergencyDrill
from .services import MAX_PHOTOS, company_people, drillable_elevators


class ElevatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.register_code} {obj.building}（{label_of(obj.parameter_group)}）"


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class PhotoChoiceField(forms.MultipleChoiceField):
    """The photos to remove; an empty value (a form posted back unchanged) removes none."""

    def to_python(self, value):
        return [v for v in super().to_python(value) if v]


class EmergencyDrillForm(StyledFormMixin, forms.ModelForm):
    """登记/编辑应急演练: the elevators among those the company maintains, its people as participants, the photos
    (the service checks them all: 1–9, JPEG/PNG)."""

    elevators = ElevatorChoiceField(
        label=_("演练电梯"),
        queryset=Elevator.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10, "data-testid": "drill-elevators"}),
        help_text=_("本单位维保的电梯；按住 Ctrl（或 ⌘）可多选，至少选择一台。"),
    )
    participants = PeopleField(
        label=_("本单位参演人员"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("按住 Ctrl（或 ⌘）可多选。"),
    )
    photos = MultipleFileField(label=_("演练照片"), required=False)
    remove_photos = PhotoChoiceField(
        label=_("删除照片"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    class Meta:
        model = EmergencyDrill
        fields = ["held_on", "subject", "location", "elevators", "participants", "other_participants", "summary"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organization_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["elevators"].queryset = (
            drillable_elevators(organization_id)
            .order_by("register_code")
            .only("id", "register_code", "building", "device_category")
        )
        self.fields["participants"].queryset = company_people(organization_id)
        self.fields["subject"].widget.attrs["placeholder"] = _("例如：困人救援")
        self.fields["elevators"].widget.attrs.update(
            {"data-option-filter": _("按注册代码或小区筛选"), "data-option-count": _("已选 {n} 台")}
        )
        self.fields["photos"].help_text = _("JPEG 或 PNG，每张不超过 5 MB，共 1–%(max)s 张。") % {"max": MAX_PHOTOS}
        if self.instance.pk:
            photos = list(self.instance.photos())
            self.fields["remove_photos"].choices = [(str(p.pk), p.original_name) for p in photos]
            self.fields["remove_photos"].widget.attrs["class"] = "form-check-input"
            self.fields["photos"].help_text = _("可再添加照片；保存后共 1–%(max)s 张。") % {"max": MAX_PHOTOS}
        else:
            del self.fields["remove_photos"]

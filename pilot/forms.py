from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledFormMixin
from maintenance.schedule import LEGAL_INTERVAL, MAX_ON_DEMAND_INTERVAL

from .models import Document, Identity, PilotApplication
from .services import UNIT_FIELDS

YES_NO = [("True", _("是")), ("False", _("否"))]


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "True",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class IdentityForm(StyledFormMixin, forms.Form):
    """申请单位身份选择, then 同意 the requirements."""

    identity = forms.ChoiceField(label=_("申请单位身份"), choices=Identity.choices)
    agree = forms.BooleanField(label=_("我已仔细阅读并同意试点工作要求"), required=False)


class InformationForm(StyledFormMixin, forms.ModelForm):
    """申请信息: both units' basic information, the declaration and the modes."""

    accident_in_three_years = _yes_no(_("1. 近三年是否发生过电梯安全责任事故"))
    information_system = _yes_no(_("2. 维保工作是否采取信息化管理系统"))
    iot_monitoring = _yes_no(_("1. 实施物联网监测"))
    full_package = _yes_no(_("2. 实施“大包维保”、“全包维保”"))
    information_system_url = forms.URLField(
        label=_("信息查询网址"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = PilotApplication
        fields = [
            *UNIT_FIELDS,
            "accident_in_three_years",
            "information_system",
            "information_system_url",
            "iot_monitoring",
            "full_package",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("accident_in_three_years", "information_system", "iot_monitoring", "full_package"):
            value = getattr(self.instance, name)
            self.initial[name] = None if value is None else str(value)
            self.fields[name].widget.attrs["class"] = "form-check-input"
        self.fields["information_system_url"].widget.attrs["placeholder"] = "https://"


class SystemForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = PilotApplication
        fields = ["system_description"]
        widgets = {"system_description": forms.Textarea(attrs={"rows": 14, "maxlength": 5000})}


class DocumentForm(forms.Form):
    document = forms.ChoiceField(choices=Document.choices)
    file = forms.FileField()


class ApproveForm(StyledFormMixin, forms.Form):
    interval_days = forms.IntegerField(
        label=_("批准的维保间隔（天）"), min_value=LEGAL_INTERVAL, max_value=MAX_ON_DEMAND_INTERVAL, initial=30
    )
    starts_on = forms.DateField(label=_("按需维保开始日期"), widget=DateInput())
    reason = forms.CharField(
        label=_("审批意见"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500})
    )


class NoteForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("审核意见"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500})
    )


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("退回原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500})
    )

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DateInput, StyledFormMixin
from elevators.models import Elevator
from organizations.models import Organization, OrganizationKind

from .models import ApplicationKind, Purpose
from .services import EFFECTIVE_DATE_LABELS, MAX_ELEVATORS, PURPOSES, REASON_LABELS

_SEPARATORS = re.compile(r"[\s,，、;；]+")


class ApplicationForm(StyledFormMixin, forms.Form):
    """The applicant's form: the elevators by register code (as the seed's screens ask), then what the kind needs."""

    elevator_codes = forms.CharField(
        label=gettext_lazy("电梯注册代码"),
        help_text=gettext_lazy("每行一个；也可用逗号分隔。"),
        widget=forms.Textarea(attrs={"rows": 3, "data-testid": "elevator-codes"}),
    )
    effective_date = forms.DateField(label=gettext_lazy("日期"), required=False, widget=DateInput())
    new_company = forms.ModelChoiceField(
        label=gettext_lazy("变更后的维保单位"), queryset=Organization.objects.none(), required=False
    )
    # not "reason": the edit form's 修改原因 is called that
    cause = forms.CharField(
        label=gettext_lazy("申请事由"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )

    def __init__(self, *args, user, kind, instance=None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "elevator_codes": "\n".join(
                    instance.elevators.order_by("register_code").values_list("register_code", flat=True)
                ),
                "effective_date": instance.effective_date,
                "new_company": instance.new_company_id,
                "cause": instance.reason,
            }
        super().__init__(*args, **kwargs)
        self.user, self.kind = user, kind
        if kind in EFFECTIVE_DATE_LABELS:
            self.fields["effective_date"].label = EFFECTIVE_DATE_LABELS[kind]
            self.fields["effective_date"].required = True
        else:
            del self.fields["effective_date"]
        self.fields["cause"].label = REASON_LABELS[kind]
        if kind in (ApplicationKind.SUSPENSION, ApplicationKind.REACTIVATION, ApplicationKind.SCRAPPING):
            self.fields["cause"].required = True
        if kind == ApplicationKind.MAINTAINER_CHANGE:
            self.fields["new_company"].required = True
            self.fields["new_company"].queryset = Organization.objects.filter(
                kind=OrganizationKind.MAINTENANCE_COMPANY, is_active=True
            ).order_by("name")
        else:
            del self.fields["new_company"]
        if kind == ApplicationKind.REGISTRATION:
            self.fields["elevator_codes"].help_text = _("使用登记按台办理：一份申请一台电梯。")
            self.fields["elevator_codes"].widget.attrs["rows"] = 1

    def clean_elevator_codes(self):
        codes = list(dict.fromkeys(c for c in _SEPARATORS.split(self.cleaned_data["elevator_codes"]) if c))
        if not codes:
            raise ValidationError(_("请填写电梯注册代码。"))
        if len(codes) > MAX_ELEVATORS:
            raise ValidationError(_("一份申请最多 %(n)s 台电梯。") % {"n": MAX_ELEVATORS})
        found = dict(
            Elevator.objects.changeable_by(self.user).filter(register_code__in=codes).values_list("register_code", "pk")
        )
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise ValidationError(
                _("这些注册代码不在本单位的电梯台账中：%(codes)s") % {"codes": "、".join(unknown[:10])}
            )
        return [found[c] for c in codes]


class AttachmentForm(StyledFormMixin, forms.Form):
    purpose = forms.ChoiceField(label=gettext_lazy("材料"), choices=Purpose.choices)
    file = forms.FileField(label=gettext_lazy("文件（PDF、JPG、PNG，10 MB 以内）"))

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = PURPOSES[kind]
        self.fields["purpose"].choices = [(p.value, p.label) for p in allowed]


class ApproveForm(StyledFormMixin, forms.Form):
    certificate_number = forms.CharField(label=gettext_lazy("使用登记证编号"), max_length=40)
    registered_on = forms.DateField(label=gettext_lazy("登记日期"), widget=DateInput())
    reason = forms.CharField(
        label=gettext_lazy("审核意见"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        if kind != ApplicationKind.REGISTRATION:
            del self.fields["certificate_number"], self.fields["registered_on"]


class DecisionForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500})
    )


class ConfirmForm(forms.Form):
    """A step that asks nothing but a click."""

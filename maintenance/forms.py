from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.audit import CHANGE_REASON_MAX_LENGTH
from core.forms import DateInput, StyledFormMixin

from .models import Holiday, MaintenanceItem, OnDemandMaintenance, PlanningSettings
from .schedule import LEGAL_INTERVAL, MAX_ON_DEMAND_INTERVAL
from .services import HOLIDAY_FIELDS, ITEM_FIELDS


class MaintenanceItemForm(StyledFormMixin, forms.ModelForm):
    """A company's own item; the annex and the cycle are chosen once (they place the item among the visits)."""

    class Meta:
        model = MaintenanceItem
        fields = ITEM_FIELDS
        widgets = {"requirement": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("annex", "cycle"):
                self.fields[name].disabled = True


# --- the planning calendar ------------------------------------------------------------------------------------


class HolidayForm(StyledFormMixin, forms.ModelForm):
    """One of the operator's days; the reason (依据) is asked on every change, the first one included."""

    reason = forms.CharField(
        label=_("调整依据"),
        max_length=CHANGE_REASON_MAX_LENGTH,
        help_text=_("例如国务院办公厅关于放假安排的通知文号。"),
        widget=forms.TextInput(attrs={"maxlength": CHANGE_REASON_MAX_LENGTH}),
    )

    class Meta:
        model = Holiday
        fields = HOLIDAY_FIELDS
        widgets = {"date": DateInput()}
        help_texts = {"is_workday": _("勾选：这一天上班（调休上班）；不勾选：这一天放假。")}
        error_messages = {"date": {"unique": _("这一天已有调整记录，请编辑原有记录。")}}


class PlanningSettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = PlanningSettings
        fields = ["avoid"]
        help_texts = {
            "avoid": _("生成维保计划时尽量避开这些日期；若避开会使两次维保的间隔超过规定天数，则以间隔为准。")
        }


class OnDemandForm(StyledFormMixin, forms.ModelForm):
    """按需维保 of an elevator chosen by its register code; the interval is checked with the service's rule."""

    register_code = forms.CharField(label=_("电梯注册代码"), max_length=40)
    interval_days = forms.IntegerField(
        label=_("维保间隔（天）"),
        min_value=LEGAL_INTERVAL,
        max_value=MAX_ON_DEMAND_INTERVAL,
        help_text=format_lazy(
            _("经批准的维保间隔，{low}–{high} 天。"), low=LEGAL_INTERVAL, high=MAX_ON_DEMAND_INTERVAL
        ),
        error_messages={
            "min_value": _("按需维保的间隔不能少于 %(limit_value)s 天。"),
            "max_value": _("按需维保的间隔不能超过 %(limit_value)s 天。"),
            "invalid": _("请输入整数天数。"),
        },
    )

    class Meta:
        model = OnDemandMaintenance
        fields = ["interval_days", "starts_on", "note"]
        widgets = {"starts_on": DateInput()}

    field_order = ["register_code", "interval_days", "starts_on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.elevator = None
        if self.instance.pk:
            self.fields["register_code"].initial = self.instance.elevator.register_code
            self.fields["register_code"].disabled = True
            self.elevator = self.instance.elevator

    def clean_register_code(self):
        from elevators.models import Elevator

        code = self.cleaned_data["register_code"].strip()
        if self.instance.pk:
            return self.instance.elevator.register_code
        self.elevator = Elevator.objects.filter(register_code=code).first()
        if self.elevator is None:
            raise forms.ValidationError(_("没有注册代码为 %(code)s 的电梯。") % {"code": code})
        if OnDemandMaintenance.objects.filter(elevator=self.elevator).exists():
            raise forms.ValidationError(_("这台电梯已设置按需维保，请在列表中编辑。"))
        return code

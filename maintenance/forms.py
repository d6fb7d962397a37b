import re

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.audit import CHANGE_REASON_MAX_LENGTH
from core.forms import DateInput, StyledFormMixin

from .models import Holiday, MaintenanceGroup, MaintenanceItem, OnDemandMaintenance, PlanningSettings
from .schedule import LEGAL_INTERVAL, MAX_ON_DEMAND_INTERVAL
from .services import HOLIDAY_FIELDS, ITEM_FIELDS, company_people
from .services.groups import is_expired


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


def person_label(user) -> str:
    """A person in the group form: the name, and why a worker may not join (资质已过期 …)."""
    name = user.display_name
    if not is_expired(user, user.qualified_until):
        return name
    if user.qualified_until is None:
        return _("%(name)s（无资质认证）") % {"name": name}
    return _("%(name)s（资质已过期 %(date)s）") % {"name": name, "date": user.qualified_until.isoformat()}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class MaintenanceGroupForm(StyledFormMixin, forms.ModelForm):
    """新增/编辑维保小组: the leader and members among the company's active people; the service checks the rest
    (the leader always joins, workers with an expired qualification are refused by name)."""

    leader = PersonChoiceField(label=gettext_lazy("组长"), queryset=User.objects.none())
    members = PeopleChoiceField(
        label=gettext_lazy("组员"),
        required=False,
        queryset=User.objects.none(),
        help_text=gettext_lazy("按住 Ctrl（或 ⌘）可多选；组长自动成为组员；资质已过期的维保人员不能加入。"),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    class Meta:
        model = MaintenanceGroup
        fields = ["name", "leader", "members", "note"]

    def __init__(self, *args, organization_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = company_people(organization_id)
        self.fields["leader"].queryset = people
        self.fields["members"].queryset = people


CODE_SEPARATORS = re.compile(r"[\s,，、;；]+")
MAX_CODES = 5000


class AssignCodesForm(StyledFormMixin, forms.Form):
    """分配电梯, one by one: register codes typed or pasted, one a line or separated by commas."""

    codes = forms.CharField(
        label=gettext_lazy("注册代码"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("每行一个，或用逗号、空格分隔；可以从 Excel 中直接粘贴一列。"),
    )

    def clean_codes(self):
        codes = list(dict.fromkeys(code.upper() for code in CODE_SEPARATORS.split(self.cleaned_data["codes"]) if code))
        if not codes:
            raise forms.ValidationError(_("请填写至少一个注册代码。"))
        if len(codes) > MAX_CODES:
            raise forms.ValidationError(
                _("一次最多填写 %(max)s 个注册代码；更多电梯请用“按条件分配”。") % {"max": MAX_CODES}
            )
        return codes

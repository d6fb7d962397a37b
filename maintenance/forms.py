import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.forms import StyledFormMixin

from .models import MaintenanceGroup, MaintenanceItem
from .services import ITEM_FIELDS, company_people
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

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledFormMixin
from core.tenancy import served_use_unit_ids
from elevators.models import Elevator, ElevatorStatus
from organizations.models import Organization

__all__ = ["ContractForm", "TerminateForm"]


class ElevatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, elevator):
        return f"{elevator.register_code} {elevator.building}（{elevator.use_unit.name}）"


class ContractForm(StyledFormMixin, forms.Form):
    """新增/编辑维保合同. The choices are the company's: the use units it serves and the elevators it maintains
    (not scrapped); the service checks that the elevators belong to the chosen use unit."""

    maintenance_company = forms.ModelChoiceField(label=_("维保单位"), queryset=Organization.objects.none())
    use_unit = forms.ModelChoiceField(label=_("使用单位"), queryset=Organization.objects.none())
    number = forms.CharField(label=_("合同编号"), max_length=60)
    signed_on = forms.DateField(label=_("签订日期"), widget=DateInput())
    starts_on = forms.DateField(label=_("服务期限起"), widget=DateInput())
    ends_on = forms.DateField(label=_("服务期限止"), widget=DateInput())
    elevators = ElevatorChoiceField(
        label=_("电梯"),
        queryset=Elevator.objects.none(),
        help_text=_("按住 Ctrl（或 ⌘）可多选；只能选择该使用单位由本单位维保的电梯。"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    contract_file = forms.FileField(
        label=_("合同文件（PDF，20 MB 以内）"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, instance=None, company_id=None, operator=False, initial=None, **kwargs):
        if instance is not None:
            initial = {
                "use_unit": instance.use_unit_id,
                "number": instance.number,
                "signed_on": instance.signed_on,
                "starts_on": instance.starts_on,
                "ends_on": instance.ends_on,
                "elevators": list(instance.elevators.values_list("pk", flat=True)),
                **(initial or {}),
            }
        else:
            initial = {"signed_on": timezone.localdate(), **(initial or {})}
        super().__init__(*args, initial=initial, **kwargs)
        if instance is not None or not operator:
            del self.fields["maintenance_company"]
        else:
            self.fields["maintenance_company"].queryset = Organization.objects.filter(kind="maintenance_company")
            chosen = self.data.get("maintenance_company") or (initial or {}).get("maintenance_company")
            company_id = int(chosen) if str(chosen or "").isdigit() else None
        if instance is not None:
            company_id = instance.maintenance_company_id
            self.fields["contract_file"].required = False
            self.fields["contract_file"].label = _("更换合同文件（PDF，20 MB 以内；不更换请留空）")
        use_units = Organization.objects.filter(kind="use_unit")
        if company_id is not None:
            use_units = use_units.filter(pk__in=served_use_unit_ids(company_id))
        elif not operator:
            use_units = use_units.none()
        self.fields["use_unit"].queryset = use_units.order_by("name")
        elevators = Elevator.objects.none()
        if company_id is not None:
            current = instance.elevators.values("pk") if instance is not None else []
            elevators = (
                Elevator.objects.filter(maintenance_company_id=company_id)
                .filter(~Q(status=ElevatorStatus.SCRAPPED) | Q(pk__in=current))
                .select_related("use_unit")
                .only("register_code", "building", "use_unit__name")
                .order_by("use_unit__name", "register_code")
            )
        self.fields["elevators"].queryset = elevators


class TerminateForm(StyledFormMixin, forms.Form):
    terminated_on = forms.DateField(label=_("终止日期"), widget=DateInput())
    reason = forms.CharField(
        label=_("终止原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["terminated_on"].initial = timezone.localdate()

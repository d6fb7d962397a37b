from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledFormMixin
from core.tenancy import scope_for
from organizations.forms import RegionChoiceField
from organizations.models import Organization, Region, RegionLevel

from . import services
from .catalogue import PARAMETERS_OF_GROUP, group_of
from .models import CodeScheme, Component, Elevator, InspectionKind, InspectionResult, LandingDoor, ProblemCategory

# The three steps of 新增/编辑, as in the seed: required information, parameters, location on the map.
STEPS = {
    1: services.IDENTITY_FIELDS,
    2: services.PARAMETER_FIELDS,
    3: services.LOCATION_FIELDS,
}
STEP_TITLES = {1: _("电梯信息"), 2: _("电梯参数"), 3: _("地理位置")}


class ElevatorForm(StyledFormMixin, forms.ModelForm):
    region = RegionChoiceField(label=_("所在区县"), queryset=Region.objects.none())

    class Meta:
        model = Elevator
        fields = services.ELEVATOR_FIELDS
        widgets = {
            "installation_date": DateInput(),
            "supervision_inspection_date": DateInput(),
            "next_inspection_date": DateInput(),
            "governor_since": DateInput(),
            "governor_calibrated_on": DateInput(),
            "latitude": forms.NumberInput(attrs={"step": "0.000001"}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001"}),
        }

    def __init__(self, *args, editor, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor
        self.fields["region"].queryset = Region.objects.filter(level=RegionLevel.DISTRICT).select_related("parent")
        for name in ("use_unit", "maintenance_company", "manufacturer"):
            choices = services.organisations_for(editor, name).order_by("name")
            self.fields[name].queryset = choices
            first = list(choices[: settings.UNIT_PICKER_THRESHOLD + 1])
            if len(first) == 1:  # a company records its own elevators: nothing to choose
                self.fields[name].initial = first[0].pk
                self.fields[name].empty_label = None
            elif len(first) > settings.UNIT_PICKER_THRESHOLD:
                self._use_picker(name, choices)
        self.fields["register_code"].help_text = _(
            "旧注册代码 20 位（分类码 4 + 区划 6 + 年月 6 + 顺序 4），或 18 位设备代码。"
        )
        self.fields["rescue_code"].help_text = _("轿厢标牌上的 6 位数字，在本市唯一。")
        self.fields["use_unit"].help_text = _("没有找到？请先在“组织架构 → 电梯使用单位”中新增。")
        if self.instance.pk:
            self.fields["register_code"].disabled = True
            self.fields["register_code"].help_text = _("注册代码只能由平台运营方或电梯所在地的监管部门更正。")
            if not scope_for(editor).is_operator:
                self._company_read_only()

    def _company_read_only(self):
        """On edit the maintenance company is shown, not chosen (services.company_change_refusal says why)."""
        field = self.fields["maintenance_company"]
        field.queryset = Organization.objects.filter(pk=self.instance.maintenance_company_id)
        field.disabled = True
        field.empty_label = None
        field.widget.attrs.pop("data-unit-picker", None)
        field.help_text = services.COMPANY_CHANGE_REFUSAL

    def _use_picker(self, name, choices):
        """Thousands of units (the operator's view of a city): render only the chosen one, search the rest."""
        selected = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        if hasattr(selected, "pk"):
            selected = selected.pk
        shown = list(choices.filter(pk=selected)) if str(selected or "").isdigit() else []
        widget = self.fields[name].widget
        widget.choices = [("", "---------")] + [(unit.pk, unit.name) for unit in shown]
        widget.attrs["data-unit-picker"] = f"{reverse('elevators:unit_options')}?field={name}"
        self.fields[name].help_text = _("输入名称搜索后选择。")

    def clean_register_code(self):
        return self.cleaned_data["register_code"].strip().upper()

    def clean(self):
        data = super().clean()
        try:
            services.clean_parameters(data)
        except forms.ValidationError as exc:
            for field, errors in exc.error_dict.items():
                if field not in self.errors:
                    self.add_error(field, errors)
        lat, lng = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lng is None):
            self.add_error("latitude", _("请在地图上标记位置（经度和纬度都需要）。"))
        return data

    def validate_unique(self):
        region = self.cleaned_data.get("region")
        if region is not None:
            self.instance.city_id = region.parent_id if region.level == RegionLevel.DISTRICT else region.pk
        super().validate_unique()

    def first_step_with_errors(self):
        for step, names in STEPS.items():
            if any(name in self.errors for name in names):
                return step
        return None

    def errors_up_to(self, step: int) -> bool:
        names = [name for s in range(1, step + 1) for name in STEPS[s]]
        return any(name in self.errors for name in names) or bool(self.non_field_errors())

    def step_fields(self, step: int):
        """The fields of a step; step 2 only those of the chosen device category (an escalator has no floors)."""
        names = STEPS[step]
        if step == 2:
            category = (self.data.get("device_category") if self.is_bound else None) or self.instance.device_category
            if category:
                names = [name for name in names if name in PARAMETERS_OF_GROUP[group_of(category)]]
        return [self[name] for name in names]


class ComponentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Component
        fields = ["name", "brand", "serial_number", "installed_on", "lifespan_months", "notes"]
        widgets = {"installed_on": DateInput()}


ComponentFormSet = forms.inlineformset_factory(Elevator, Component, form=ComponentForm, extra=1, can_delete=True)


class LandingDoorForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = LandingDoor
        fields = ["floor_label", "door_type", "width_mm", "height_mm", "lock_model", "notes"]


LandingDoorFormSet = forms.inlineformset_factory(Elevator, LandingDoor, form=LandingDoorForm, extra=0, can_delete=False)


class ProblemReportForm(StyledFormMixin, forms.Form):
    # nothing preselected: a passenger who does not choose is asked to, not filed under the first type
    category = forms.ChoiceField(label=_("问题类型"), choices=[("", _("请选择")), *ProblemCategory.choices])
    description = forms.CharField(label=_("问题描述"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    contact_phone = forms.CharField(label=_("联系电话（选填）"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        from captcha.fields import CaptchaField, CaptchaTextInput

        super().__init__(*args, **kwargs)
        self.fields["captcha"] = CaptchaField(
            label=_("验证码"),
            widget=CaptchaTextInput(attrs={"autocomplete": "off"}),
            error_messages={"invalid": _("验证码错误，请重新输入。")},
        )

    def clean_contact_phone(self):
        from core.validators import validate_phone

        phone = self.cleaned_data["contact_phone"].strip()
        if phone:
            validate_phone(phone)
        return phone


class HandleProblemForm(StyledFormMixin, forms.Form):
    to_state = forms.ChoiceField(label=_("处理"), choices=[("acknowledged", _("受理")), ("closed", _("关闭"))])
    note = forms.CharField(label=_("处理说明"), required=False, max_length=500)


class CorrectCodeForm(StyledFormMixin, forms.Form):
    """注册代码更正: the new code, its catalogue and why."""

    register_code = forms.CharField(label=_("更正后的注册代码"), max_length=20)
    code_scheme = forms.ChoiceField(label=_("注册代码分类体系"), choices=CodeScheme.choices)
    reason = forms.CharField(label=_("更正原因"), max_length=100, widget=forms.Textarea(attrs={"rows": 2}))


class InspectionReportForm(StyledFormMixin, forms.Form):
    """录入检验结果: the fields of the report; the service checks them (and the file) and saves all or nothing."""

    kind = forms.ChoiceField(label=_("检验类别"), choices=[("", "---------"), *InspectionKind.choices])
    date = forms.DateField(label=_("检验日期"), widget=DateInput())
    result = forms.ChoiceField(label=_("检验结论"), choices=[("", "---------"), *InspectionResult.choices])
    number = forms.CharField(label=_("报告编号"), max_length=60)
    next_date = forms.DateField(
        label=_("报告所载下次检验日期"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "检验报告或安全检验合格标志上的下次检验日期；不填时按检验周期计算。"
            "限速器校验：早于规定周期的日期为准，晚于规定周期的仍按规定周期。"
        ),
    )
    report_file = forms.FileField(
        label=_("检验报告文件"),
        help_text=_("PDF 或 JPEG/PNG 图片，最大 10 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report_file"].error_messages["required"] = _("请上传检验报告（PDF 或 JPEG/PNG 图片）。")

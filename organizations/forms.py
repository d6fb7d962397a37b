from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledFormMixin
from core.tenancy import scope_for

from .models import Organization, OrganizationKind, Region, RegionLevel


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class OrganizationForm(StyledFormMixin, forms.ModelForm):
    """单位 新增/编辑, with a location picked on the map (WGS-84)."""

    region = RegionChoiceField(label=_("所在区域"), queryset=Region.objects.none())
    jurisdiction = RegionChoiceField(
        label=_("管辖区域"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("监管单位管辖的市（市局）或区县（区县局）。"),
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "credit_code",
            "region",
            "address",
            "legal_representative",
            "legal_representative_phone",
            "contact_name",
            "contact_phone",
            "jurisdiction",
            "latitude",
            "longitude",
        ]
        widgets = {
            "latitude": forms.NumberInput(attrs={"step": "0.000001"}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001"}),
        }

    def __init__(self, *args, kind, editor, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        regions = Region.objects.select_related("parent")
        scope = scope_for(editor)
        if scope.kind == "regulator":
            regions = regions.filter(path__startswith=scope.jurisdiction_path)
        self.fields["region"].queryset = regions.exclude(level=RegionLevel.PROVINCE)
        self.fields["jurisdiction"].queryset = regions.exclude(level=RegionLevel.PROVINCE)
        if kind != OrganizationKind.REGULATOR:
            del self.fields["jurisdiction"]
        self.fields["credit_code"].help_text = _("18 位，按 GB 32100 校验。")
        self.fields["latitude"].help_text = _("在地图上点击标记位置，或直接输入。")

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper()

    def clean(self):
        data = super().clean()
        lat, lng = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lng is None):
            self.add_error("latitude", _("请在地图上标记位置（经度和纬度都需要）。"))
        if lat is not None and not (-90 <= lat <= 90):
            self.add_error("latitude", _("纬度应在 -90 到 90 之间。"))
        if lng is not None and not (-180 <= lng <= 180):
            self.add_error("longitude", _("经度应在 -180 到 180 之间。"))
        return data

    def validate_unique(self):
        # kind is set by the view, not the form: check uniqueness of the credit code with it in place
        self.instance.kind = self.kind
        super().validate_unique()


class QualificationForm(StyledFormMixin, forms.Form):
    certificate_number = forms.CharField(label=_("资质证书编号"), max_length=60)
    valid_from = forms.DateField(label=_("资质有效期起"), widget=DateInput())
    valid_until = forms.DateField(label=_("资质有效期至"), widget=DateInput())
    business_licence = forms.FileField(label=_("营业执照"), help_text=_("PDF、JPG 或 PNG，最大 10 MB。"))
    qualification_certificate = forms.FileField(label=_("资质证书"), help_text=_("PDF、JPG 或 PNG，最大 10 MB。"))
    self_declaration = forms.FileField(label=_("自我声明承诺书"), help_text=_("PDF、JPG 或 PNG，最大 10 MB。"))


class ReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"), choices=[("approve", _("通过")), ("reject", _("退回"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

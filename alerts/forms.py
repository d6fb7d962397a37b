from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin

from .models import AlertSettings


class AlertSettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = AlertSettings
        fields = ["maintenance_near_days"]


class ComponentReplaceForm(StyledFormMixin, forms.Form):
    """更换 from 组件寿命预警: when the new part went in, and a note for the record."""

    replaced_on = forms.DateField(label=_("更换日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("备注"), max_length=200, required=False, help_text=_("例如新组件的品牌、编号。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_on"].initial = timezone.localdate()

from django import forms

from core.forms import StyledFormMixin

from .models import AlertSettings


class AlertSettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = AlertSettings
        fields = ["maintenance_near_days"]

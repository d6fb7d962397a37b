from django import forms

from core.forms import StyledFormMixin

from .models import MaintenanceItem
from .services import ITEM_FIELDS


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

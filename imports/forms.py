from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from core.uploads import validate_xlsx


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("台账文件"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Excel 工作簿（.xlsx），最大 %(max).0f MB；请使用上面下载的导入模板填写。"
        ) % {"max": settings.UPLOAD_MAX_BYTES / 1048576}

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            return validate_xlsx(uploaded)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

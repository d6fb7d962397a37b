from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from core.uploads import validate_xlsx

from .models import ImportMode


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("台账文件"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    mode = forms.ChoiceField(
        label=_("导入方式"),
        choices=[
            (ImportMode.CREATE, _("新增：每行新增一条记录")),
            (ImportMode.UPDATE, _("更新已有记录：按注册代码找到本单位可修改的电梯，先显示更改，确认后再更新")),
        ],
        initial=ImportMode.CREATE,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, updates: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not updates:
            del self.fields["mode"]
        self.fields["file"].help_text = _(
            "Excel 工作簿（.xlsx），最大 %(max).0f MB；请使用上面下载的导入模板填写。"
        ) % {"max": settings.UPLOAD_MAX_BYTES / 1048576}

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            return validate_xlsx(uploaded)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def clean_mode(self):
        return self.cleaned_data.get("mode") or ImportMode.CREATE

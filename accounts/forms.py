from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledFormMixin
from core.validators import validate_credit_code

from .models import CATEGORIES_BY_KIND, EmergencyRole, User, UserCategory, UserRole
from .policies import units_for_accounts
from .services import normalise_credit_code


class LoginForm(StyledFormMixin, AuthenticationForm):
    """登录: username, password and an image captcha; the captcha is checked before the password."""

    captcha = CaptchaField(
        label=_("验证码"),
        widget=CaptchaTextInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid": _("验证码错误，请重新输入。")},
    )

    error_messages = {
        "invalid_login": _("用户名或密码错误（连续错误 5 次将锁定账号）。"),
        "inactive": _("该账号已停用，请联系单位管理员。"),
    }

    def clean(self):
        if "captcha" in self.errors:
            return self.cleaned_data  # a wrong captcha never reaches the password check
        return super().clean()


class ObtainAccountForm(StyledFormMixin, forms.Form):
    """获取登录账号: the unit's credit code, its name and a phone it has on record, behind a captcha."""

    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=40,
        help_text=_("18 位，见营业执照；字母请大写。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(label=_("单位名称"), max_length=150, help_text=_("与营业执照一致的单位全称。"))
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        help_text=_("本单位在平台登记的联系人电话或法定代表人电话。"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    captcha = CaptchaField(
        label=_("验证码"),
        widget=CaptchaTextInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid": _("验证码错误，请重新输入。")},
    )

    def clean_credit_code(self):
        code = normalise_credit_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)  # the code's form is public knowledge: saying what is wrong with it tells nothing
        return code


class PasswordChangeForm(StyledFormMixin, forms.Form):
    old_password = forms.CharField(
        label=_("当前密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 8 位，须同时包含字母和数字，不能与当前密码相同。"),
    )
    new_password2 = forms.CharField(
        label=_("确认新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password2") and data["new_password1"] != data["new_password2"]:
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        return data


class AccountForm(StyledFormMixin, forms.ModelForm):
    """账号 新增/编辑: the units offered are those where the editor may open accounts (新增) or keep them (编辑)."""

    class Meta:
        model = User
        fields = [
            "username",
            "full_name",
            "phone",
            "email",
            "organization",
            "category",
            "role",
            "emergency_role",
            "is_active",
        ]
        labels = {"email": _("电子邮箱"), "is_active": _("启用"), "username": _("用户名")}

    def __init__(self, *args, editor, **kwargs):
        super().__init__(*args, **kwargs)
        action = "change" if self.instance.pk else "add"
        orgs = units_for_accounts(editor, action).select_related("region").order_by("kind", "name")
        self.fields["organization"].queryset = orgs
        self.fields["organization"].required = True
        self.fields["full_name"].required = True
        self.fields["phone"].required = True
        self.fields["category"].choices = UserCategory.choices
        self.fields["role"].choices = UserRole.choices
        self.fields["emergency_role"].choices = EmergencyRole.choices
        self.fields["username"].help_text = _("字母、数字和 @/./+/-/_，登录时使用。新账号初始密码为 111111。")
        if self.instance.pk:
            self.fields["username"].disabled = True
        else:
            del self.fields["is_active"]

    def clean(self):
        data = super().clean()
        org, category = data.get("organization"), data.get("category")
        if org and category and category not in CATEGORIES_BY_KIND.get(org.kind, []):
            allowed = "、".join(str(c.label) for c in CATEGORIES_BY_KIND.get(org.kind, []))
            self.add_error("category", _("该单位的账号只能是：%(allowed)s。") % {"allowed": allowed})
        return data


class WorkerQualificationForm(StyledFormMixin, forms.Form):
    certificate_number = forms.CharField(label=_("证书编号"), max_length=60)
    valid_from = forms.DateField(label=_("资质有效期起"), widget=DateInput())
    valid_until = forms.DateField(label=_("资质有效期至"), widget=DateInput())
    certificate = forms.FileField(label=_("资质证书"), help_text=_("PDF、JPG 或 PNG，最大 10 MB。"))
    self_declaration = forms.FileField(label=_("自我声明承诺书"), help_text=_("PDF、JPG 或 PNG，最大 10 MB。"))


class FacePhotoForm(StyledFormMixin, forms.Form):
    image = forms.FileField(
        label=_("维保员照片"),
        help_text=_("用于手机维保时的人脸识别：请上传最新、清晰的正面整脸照片（JPG 或 PNG，短边至少 200 像素）。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )


class ResetPasswordForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)


class AcknowledgeForm(StyledFormMixin, forms.Form):
    """确认 an account another unit opened: nothing to fill in; `next` is the page the button was on."""

    next = forms.CharField(required=False, widget=forms.HiddenInput)

"""账号 pages: login, password change, account maintenance (list, new, edit, qualification, face photo)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.forms import apply_service_errors
from core.generic import Button, ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView, object_view
from core.policies import can, get_for

from . import services, throttle
from .filters import UserFilter
from .forms import (
    AccountForm,
    AcknowledgeForm,
    FacePhotoForm,
    LoginForm,
    ObtainAccountForm,
    PasswordChangeForm,
    ResetPasswordForm,
    WorkerQualificationForm,
)
from .lockout import address_wait_response
from .models import User
from .tables import UserTable


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_initial(self):
        """?username= fills the username in (the link from 获取登录账号 carries the unit account's)."""
        username = self.request.GET.get("username", "")
        return {"username": username} if 0 < len(username) <= 150 and username.isprintable() else {}

    def post(self, request, *args, **kwargs):
        wait = throttle.address_wait(request)
        if wait:
            return address_wait_response(request, wait)
        return super().post(request, *args, **kwargs)


def obtain_account(request):
    """首次登录请点击 获取登录账号 (public): a use unit or maintenance company gets its unit account by giving its
    credit code, its name and a phone it has on record; every mismatch gets the same answer."""
    form = ObtainAccountForm(request.POST or None)
    context = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.obtain_unit_account(data["credit_code"], data["name"], data["phone"], request=request)
        except services.UnitAccountRateLimited as exc:
            form.add_error(None, str(exc))
            status = 429
            context["retry_after"] = exc.retry_after
        except ValidationError as exc:
            context["refused"] = exc.messages[0]
        else:
            context["result"] = result
            context["form"] = None
    response = render(request, "accounts/obtain_account.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(context["retry_after"])
    return response


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(
                request.user, form.cleaned_data["old_password"], form.cleaned_data["new_password1"], request=request
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, rename={"new_password": "new_password1"})
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return redirect("portal:home")
    return render(request, "accounts/password_change.html", {"form": form})


def _manageable_account(request, pk):
    """404 for an account outside the gate, 403 for a user who may not manage accounts."""
    return get_for(request.user, User, pk, "change", queryset=User.objects.select_related("organization"))


class UserListView(ObjectListView):
    """账号维护: the accounts of the units the user manages, with the seed's toolbar."""

    model = User
    table_class = UserTable
    filterset_class = UserFilter
    sorts = {"username": (["username", "id"], gettext_lazy("用户名"))}
    related = ("organization", "created_by", "created_by_organization")
    title = gettext_lazy("账号维护")
    template_name = "accounts/user_list.html"
    toolbar = (
        Button(gettext_lazy("编辑"), "accounts:user_edit", "change", kind="row", style="primary"),
        Button(gettext_lazy("新增"), "accounts:user_create", "add", style="success"),
        Button(gettext_lazy("资质认证"), "accounts:user_qualification", "change", kind="row"),
        Button(gettext_lazy("维保验证"), "accounts:user_face", "change", kind="row"),
    )

    def get_queryset(self):
        return User.objects.changeable_by(self.request.user)

    def get_extra_context(self):
        return {"to_acknowledge": services.accounts_to_acknowledge(self.request.user)}


class UserDetailView(ObjectDetailView):
    model = User
    action = "change"
    related = ("organization", "created_by", "created_by_organization", "creation_acknowledged_by")
    template_name = "accounts/user_detail.html"

    def get_extra_context(self, account):
        return {
            "account": account,
            "can_acknowledge": account.creation_acknowledged_at is None
            and can(self.request.user, "acknowledge", account),
            "qualifications": account.qualifications.select_related("certificate", "self_declaration"),
            "face_photo": account.face_photos.select_related("image").first(),
            "events": audit.events_for(account),
            "reset_form": ResetPasswordForm(),
            "locked": throttle.is_locked(account.username),
        }


class UserEditView(ObjectEditView):
    """新增账号 (initial password 111111) or 编辑账号 (with a reason)."""

    model = User
    form_class = AccountForm
    related = ("organization",)
    template_name = "accounts/user_form.html"
    success_message_update = gettext_lazy("账号信息已保存。")

    def get_form_kwargs(self, account):
        return {"instance": account, "editor": self.request.user}

    def get_extra_context(self, account, form):
        return {"account": account}

    def create(self, data, request):
        return services.create_account(
            actor=request.user,
            organization=data["organization"],
            username=data["username"],
            category=data["category"],
            role=data["role"],
            emergency_role=data["emergency_role"],
            full_name=data["full_name"],
            phone=data["phone"],
            email=data["email"],
            request=request,
        )

    def success_message(self, account, created):
        if created:
            return _("账号 %(u)s 已创建，初始密码为 111111，首次登录须修改。") % {"u": account.username}
        return self.success_message_update

    def update(self, account, data, reason, request):
        changes = {k: v for k, v in data.items() if k in services.ACCOUNT_FIELDS}
        return services.update_account(account, actor=request.user, changes=changes, reason=reason, request=request)

    def get_success_url(self, account):
        return reverse("accounts:user_list") if "pk" not in self.kwargs else account.get_absolute_url()


@login_required
@object_view(User)
def user_qualification(request, pk):
    account = _manageable_account(request, pk)
    form = WorkerQualificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_worker_qualification(
                account,
                actor=request.user,
                certificate_number=data["certificate_number"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                certificate_file=data["certificate"],
                declaration_file=data["self_declaration"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("资质认证已提交。"))
            return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_qualification.html", {"form": form, "account": account})


@login_required
@object_view(User)
def user_face(request, pk):
    account = _manageable_account(request, pk)
    form = FacePhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_face_photo(account, actor=request.user, image_file=form.cleaned_data["image"], request=request)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("维保验证照片已上传。"))
            return redirect("accounts:user_detail", pk=account.pk)
    current = account.face_photos.select_related("image").first()
    return render(request, "accounts/user_face.html", {"form": form, "account": account, "current": current})


class ResetPasswordView(ObjectActionView):
    """重置密码: back to 111111 with a reason; never one's own (修改密码 is for that)."""

    model = User
    action = "reset_password"
    form_class = ResetPasswordForm
    title = gettext_lazy("重置密码")
    confirm_text = gettext_lazy("密码将重置为初始密码 111111，用户下次登录须修改。")
    success_message = gettext_lazy("密码已重置为初始密码 111111，用户下次登录须修改。")

    def get_object(self):
        account = super().get_object()
        if account == self.request.user:
            raise PermissionDenied(_("不能重置自己的密码，请使用“修改密码”。"))
        return account

    def perform(self, account, data, request):
        services.reset_password(account, actor=request.user, reason=data["reason"], request=request)


class UnlockView(ObjectActionView):
    """解除锁定: the account's administrators lift the locks that wrong passwords put on it."""

    model = User
    action = "unlock"
    title = gettext_lazy("解除锁定")
    confirm_text = gettext_lazy("解除该账号在所有地址上的锁定，用户可立即重新登录。")
    success_message = gettext_lazy("已解除锁定。")

    def perform(self, account, data, request):
        services.unlock_account(account, actor=request.user, reason=data["reason"], request=request)


class AcknowledgeAccountView(ObjectActionView):
    """确认 an account that someone of another unit opened in the user's unit (the notice on the home page and
    the account list); audited. Doubts are settled by deactivating the account (编辑)."""

    model = User
    action = "acknowledge"
    form_class = AcknowledgeForm
    title = gettext_lazy("确认外单位开设的账号")
    confirm_text = gettext_lazy(
        "该账号由其他单位的人员开设。确认后本单位管理员不再收到提醒；如非本单位授权，请停用该账号。"
    )
    submit_label = gettext_lazy("确认")
    success_message = gettext_lazy("已确认该账号。")

    def get_queryset(self):
        return User.objects.select_related("organization", "created_by", "created_by_organization")

    def perform(self, account, data, request):
        services.acknowledge_account(account, actor=request.user, request=request)

    def get_success_url(self, account):
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        safe = url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return target if target and safe else account.get_absolute_url()

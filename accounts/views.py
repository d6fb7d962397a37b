"""账号 pages: login, password change, account maintenance (list, new, edit, qualification, face photo)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core import audit
from core.forms import apply_service_errors
from core.permissions import require

from . import services
from .filters import UserFilter
from .forms import AccountForm, FacePhotoForm, LoginForm, PasswordChangeForm, ResetPasswordForm, WorkerQualificationForm
from .models import User
from .tables import UserTable


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(
                request.user, form.cleaned_data["old_password"], form.cleaned_data["new_password1"], request=request
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return redirect("portal:home")
    return render(request, "accounts/password_change.html", {"form": form})


def _manageable_account(request, pk):
    """404 for an account outside the gate, 403 for a user who may not manage accounts."""
    account = get_object_or_404(User.objects.changeable_by(request.user).select_related("organization"), pk=pk)
    require(request.user, "accounts.manage")
    return account


@login_required
def user_list(request):
    require(request.user, "accounts.manage")
    queryset = User.objects.changeable_by(request.user).select_related("organization").order_by("username")
    user_filter = UserFilter(request.GET or None, queryset=queryset, user=request.user)
    table = UserTable(user_filter.qs)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "accounts/user_list.html", {"table": table, "filter": user_filter})


@login_required
def user_detail(request, pk):
    account = _manageable_account(request, pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "qualifications": account.qualifications.select_related("certificate", "self_declaration"),
            "face_photo": account.face_photos.select_related("image").first(),
            "events": audit.events_for(account),
        },
    )


@login_required
def user_create(request):
    require(request.user, "accounts.manage")
    form = AccountForm(request.POST or None, editor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.create_account(
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
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("账号 %(u)s 已创建，初始密码为 111111，首次登录须修改。") % {"u": account.username}
            )
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@login_required
def user_edit(request, pk):
    account = _manageable_account(request, pk)
    form = AccountForm(request.POST or None, instance=account, editor=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in services.ACCOUNT_FIELDS}
        try:
            services.update_account(
                User.objects.get(pk=account.pk), actor=request.user, changes=changes, request=request
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("账号信息已保存。"))
            return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_form.html", {"form": form, "account": account, "creating": False})


@login_required
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


@login_required
@require_POST
def user_reset_password(request, pk):
    account = _manageable_account(request, pk)
    if account == request.user:
        raise PermissionDenied(_("不能重置自己的密码，请使用“修改密码”。"))
    form = ResetPasswordForm(request.POST)
    if form.is_valid():
        services.reset_password(account, actor=request.user, reason=form.cleaned_data["reason"], request=request)
        messages.success(request, _("密码已重置为初始密码 111111，用户下次登录须修改。"))
    else:
        messages.error(request, _("重置密码须填写原因。"))
    return redirect("accounts:user_detail", pk=account.pk)

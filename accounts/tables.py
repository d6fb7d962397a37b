import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import User


class UserTable(tables.Table):
    selection = tables.CheckBoxColumn(accessor="pk", attrs={"th__input": {"aria-label": _("全选")}}, orderable=False)
    username = tables.LinkColumn("accounts:user_detail", args=[tables.A("pk")], verbose_name=_("用户名"))
    full_name = tables.Column(verbose_name=_("姓名"))
    organization = tables.Column(
        verbose_name=_("所属单位"), accessor="organization__name", order_by=("organization__name",)
    )
    category = tables.Column(verbose_name=_("用户分类"))
    role = tables.Column(verbose_name=_("用户角色"))
    emergency_role = tables.Column(verbose_name=_("应急角色"))
    phone = tables.Column(verbose_name=_("手机号"))
    is_active = tables.BooleanColumn(verbose_name=_("启用"))

    class Meta:
        model = User
        fields = [
            "selection",
            "username",
            "full_name",
            "organization",
            "category",
            "role",
            "emergency_role",
            "phone",
            "is_active",
        ]
        attrs = {"class": "table table-hover table-sm align-middle bg-white", "id": "user-table"}
        per_page = 25

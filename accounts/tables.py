from django.utils.translation import gettext_lazy as _

from core.tables import Col, LinkCol, ObjectTable, SelectCol

from .models import User


class UserTable(ObjectTable):
    selection = SelectCol(label_from="username")
    username = LinkCol("accounts:user_detail", verbose_name=_("用户名"))
    full_name = Col(verbose_name=_("姓名"))
    organization = Col(accessor="organization__name", verbose_name=_("所属单位"))
    category = Col(verbose_name=_("用户分类"))
    role = Col(verbose_name=_("用户角色"))
    emergency_role = Col(verbose_name=_("应急角色"))
    phone = Col(verbose_name=_("手机号"))
    is_active = Col(verbose_name=_("启用"))

    class Meta(ObjectTable.Meta):
        model = User
        attrs = {**ObjectTable.Meta.attrs, "id": "user-table"}

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import Col, LinkCol, ObjectTable, SelectCol

from .models import User


class OpenedByCol(Col):
    """Who opened the account, when someone of another unit did: a badge (yellow until acknowledged)."""

    def text(self, record):
        return record.opened_elsewhere_by

    def html(self, record):
        if not record.created_elsewhere:
            return self.empty
        colour = "warning" if record.creation_acknowledged_at is None else "light"
        return format_html(
            '<span class="badge text-bg-{}" data-testid="opened-by">{}</span>', colour, record.creator_label
        )


class UnitAccountCol(Col):
    """单位帐户: the unit's own login (username: its credit code), as a badge."""

    def html(self, record):
        if not record.is_unit_account:
            return self.empty
        return format_html('<span class="badge text-bg-info" data-testid="unit-account-badge">{}</span>', _("单位帐户"))


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
    is_unit_account = UnitAccountCol(verbose_name=_("单位帐户"))
    opened_by = OpenedByCol(accessor="created_by", verbose_name=_("外单位开设"))

    class Meta(ObjectTable.Meta):
        model = User
        attrs = {**ObjectTable.Meta.attrs, "id": "user-table"}

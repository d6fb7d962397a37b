from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import SYSTEM, MenuItem


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("通知")
    api_routers = {"/notifications": "notifications.api.router"}
    menu_items = [MenuItem(SYSTEM, _("消息通知"), "notifications:list", order=30, testid="menu-notifications")]

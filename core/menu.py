"""Menu entries that each app declares on its AppConfig (`menu_items`); the portal assembles them per user."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

__all__ = ["Section", "MenuItem", "SYSTEM", "LEDGER", "ORGANIZATIONS", "DIRECTORY", "REFERENCE"]


@dataclass(frozen=True)
class Section:
    """A heading of the side menu; `order` places it among the others."""

    key: str
    label: str
    order: int


@dataclass(frozen=True)
class MenuItem:
    """One link of the side menu.

    url_name/args: where it leads (args may be a callable args(user) -> tuple, for a link of the user's own);
    visible(user) -> bool decides who sees it (None: every logged-in user); order places it inside its section;
    testid, when given, becomes the link's data-testid.
    """

    section: Section
    label: str
    url_name: str
    args: tuple | Callable = ()
    visible: Callable | None = None
    order: int = 100
    testid: str = field(default="")


SYSTEM = Section("system", _("系统管理"), 10)
LEDGER = Section("ledger", _("电梯管理"), 20)
ORGANIZATIONS = Section("organizations", _("组织架构"), 60)
DIRECTORY = Section("directory", _("基本信息查询"), 80)
REFERENCE = Section("reference", _("基础数据"), 90)

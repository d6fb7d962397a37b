"""The side menu, assembled per user from the `menu_items` every app declares on its AppConfig (core.menu)."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse

from core.menu import MenuItem, Section

__all__ = ["Link", "MenuSection", "declared_items", "menu_for"]


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    active: bool
    testid: str = ""


@dataclass(frozen=True)
class MenuSection:
    key: str
    label: str
    links: tuple[Link, ...]


def declared_items() -> list[MenuItem]:
    """Every app's menu items, in INSTALLED_APPS order."""
    return [item for config in apps.get_app_configs() for item in getattr(config, "menu_items", ())]


def menu_for(user, path: str = "") -> list[MenuSection]:
    """The sections the user sees, ordered by Section.order then MenuItem.order; empty sections are left out.

    Each visible(user) asks the tenancy scope, which is computed once and cached on the user, so the menu
    costs at most that one query whatever the number of items.
    """
    if user is None or not user.is_authenticated:
        return []
    grouped: dict[Section, list[MenuItem]] = {}
    for item in declared_items():
        if item.visible is None or item.visible(user):
            grouped.setdefault(item.section, []).append(item)
    sections = []
    for section in sorted(grouped, key=lambda s: s.order):
        links = []
        for item in sorted(grouped[section], key=lambda i: i.order):
            args = item.args(user) if callable(item.args) else item.args
            url = reverse(item.url_name, args=args)
            links.append(Link(label=item.label, url=url, active=url == path, testid=item.testid))
        sections.append(MenuSection(key=section.key, label=section.label, links=tuple(links)))
    return sections

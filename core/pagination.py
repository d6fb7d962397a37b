"""Keyset pagination: the next page starts after the last row seen, so page 1,000 costs what page 1 costs.

No COUNT(*) and no OFFSET: tables that reach millions of rows stay fast.
"""

import base64
import json
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q

__all__ = ["KeysetPage", "keyset_page", "BadCursor"]


class BadCursor(ValueError):
    pass


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    has_previous: bool


def _encode(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def _decode(cursor: str) -> list:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        raise BadCursor(cursor) from None
    if not isinstance(values, list):
        raise BadCursor(cursor)
    return values


def _after(model, ordering: list[str], values: list) -> Q:
    """Rows strictly after `values` in `ordering`: (a > x) or (a = x and b > y) …"""
    condition = Q()
    equal_so_far = Q()
    for name, raw in zip(ordering, values, strict=True):
        field_name = name.lstrip("-")
        try:
            field = model._meta.get_field(field_name)
            value = field.to_python(raw)
        except (FieldDoesNotExist, Exception):
            raise BadCursor(raw) from None
        lookup = "lt" if name.startswith("-") else "gt"
        condition |= equal_so_far & Q(**{f"{field_name}__{lookup}": value})
        equal_so_far &= Q(**{field_name: value})
    return condition


def keyset_page(queryset, ordering: list[str], cursor: str | None = None, size: int = 25) -> KeysetPage:
    """One page of `queryset` in `ordering` (which must end with a unique column such as "id")."""
    if cursor:
        queryset = queryset.filter(_after(queryset.model, ordering, _decode(cursor)))
    rows = list(queryset.order_by(*ordering)[: size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    next_cursor = None
    if has_next:
        last = rows[-1]
        next_cursor = _encode([getattr(last, name.lstrip("-")) for name in ordering])
    return KeysetPage(items=rows, next_cursor=next_cursor, has_previous=bool(cursor))

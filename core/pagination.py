"""Keyset pagination: the next page starts after the last row seen, so page 1,000 costs what page 1 costs.

No COUNT(*) and no OFFSET: tables that reach millions of rows stay fast.
"""

import base64
import json
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db.models import Q

__all__ = ["KeysetPage", "keyset_page", "BadCursor", "RowCount", "count_rows"]


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


_BOUNDS = (MinValueValidator, MaxValueValidator, MaxLengthValidator)


def _cursor_value(field, raw):
    """One value of a cursor as its column takes it; anything a cursor this module wrote cannot hold is BadCursor:
    a value that is not a scalar, a null, a NUL, a number beyond the column's range, a string the field refuses."""
    if raw is None or isinstance(raw, (list, dict, bool)):
        raise BadCursor(raw)
    if isinstance(raw, str) and "\x00" in raw:
        raise BadCursor(raw)
    try:
        value = field.to_python(raw)
        if value is None:
            raise BadCursor(raw)
        for validator in field.validators:
            if isinstance(validator, _BOUNDS):  # the backend's integer range, a CharField's max_length
                validator(value)
    except BadCursor:
        raise
    except Exception:  # ValidationError, ValueError, OverflowError, decimal errors: whatever the field says
        raise BadCursor(raw) from None
    return value


def _after(model, ordering: list[str], values: list) -> Q:
    """Rows strictly after `values` in `ordering`: (a > x) or (a = x and b > y) …"""
    if len(values) != len(ordering):
        raise BadCursor(values)
    condition = Q()
    equal_so_far = Q()
    for name, raw in zip(ordering, values, strict=True):
        field_name = name.lstrip("-")
        try:
            field = model._meta.get_field(field_name)
        except FieldDoesNotExist:
            raise BadCursor(raw) from None
        value = _cursor_value(field, raw)
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


@dataclass
class RowCount:
    """How many rows match: exact up to a bound, then an estimate (None when the database gives none)."""

    value: int | None
    exact: bool
    bound: int


def count_rows(queryset, bound: int = 1000) -> RowCount:
    """Count at most bound + 1 rows (a LIMIT inside the COUNT); beyond that ask the planner, never COUNT(*) a city."""
    seen = queryset.order_by().values("pk")[: bound + 1].count()
    if seen <= bound:
        return RowCount(seen, True, bound)
    return RowCount(_planner_estimate(queryset), False, bound)


def _planner_estimate(queryset) -> int | None:
    from django.db import connections

    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])

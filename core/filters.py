"""The filter sets of lists and of the API: one class per list, the same on the page and in /api/v1."""

import django_filters
from django import forms
from django.utils.translation import gettext

__all__ = ["FilterSet", "ModelChoiceFilter", "IdFilter", "DB_ID_MAX", "parse_id"]

# The largest value of a BigAutoField (and of SQLite's INTEGER): a bigger id cannot name a row, and SQLite refuses
# to bind it at all (OverflowError), so it is a field error before any query.
DB_ID_MAX = 2**63 - 1


def parse_id(value) -> int | None:
    """A row id from a query string or a form field: ASCII digits from 1 to DB_ID_MAX, else None ("²" is a digit
    to `str.isdigit` but not to `int`, and a longer number overflows SQLite)."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= DB_ID_MAX else None


class _ChoicesInOneQuery(django_filters.fields.ModelChoiceIterator):
    """Options from one plain SELECT: Django streams them through a server-side cursor, three round trips to
    PostgreSQL (DECLARE, FETCH, CLOSE) for a few dozen districts on every list page."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class _ModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _ChoicesInOneQuery


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter whose options are rows of a small table (regions, units of a company)."""

    field_class = _ModelChoiceField


class IdFilter(django_filters.NumberFilter):
    """A row id in the query string (links, the API): a whole number from 1 to DB_ID_MAX, else a field error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", DB_ID_MAX)
        super().__init__(*args, **kwargs)

    def get_max_validator(self):
        return None  # max_value above


class FilterSet(django_filters.FilterSet):
    """A FilterSet that knows the user (for filters that depend on what the user may see) and styles its widgets.

    Pass request= from a page or user= from anywhere; `self.user` is the person asking.
    """

    def __init__(self, data=None, queryset=None, *, request=None, user=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user if user is not None else getattr(request, "user", None)
        for field in self.form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs["class"] = css
            # "全部" rather than "---------" for the empty choice: django-filters' own fields take it from
            # FILTERS_EMPTY_CHOICE_LABEL (settings), a plain Django choice field gets it here
            if not hasattr(field, "empty_label") and isinstance(field, forms.ChoiceField):
                field.choices = [("", gettext("全部")), *[c for c in field.choices if c[0] != ""]]

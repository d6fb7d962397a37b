"""Tables: one django-tables2 declaration per list serves the HTML page and the CSV/XLSX export.

Columns here know how to give a cell as HTML (`html(record)`) and as a plain value (`text(record)`) through
accessors resolved once per table; the page renders rows with one loop instead of django-tables2's per-cell
machinery (signature inspection, accessor parsing, a template per cell), which cost most of a list page's time.
Choice labels are translated once per table, not once per row.
"""

from datetime import date, datetime
from decimal import Decimal

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

__all__ = ["ObjectTable", "Col", "LinkCol", "SelectCol", "BadgeCol", "TemplateCol", "ExportCol"]

EMPTY = "—"


def _getter(path: str):
    """A fast getter for "a__b__c" (or "a.b.c"): attribute steps, None stops the walk."""
    if path == "__str__":
        return str
    steps = path.replace(".", "__").split("__")

    def get(record):
        value = record
        for step in steps:
            if value is None:
                return None
            value = getattr(value, step)
        return value() if callable(value) and not isinstance(value, type) else value

    return get


def _model_field(model, path: str):
    """The model field at the end of "a__b", or None."""
    steps = path.replace(".", "__").split("__")
    field = None
    for step in steps:
        if model is None:
            return None
        try:
            field = model._meta.get_field(step)
        except FieldDoesNotExist:
            return None
        model = field.related_model if field.is_relation else None
    return field


def plain(value):
    """A cell value for export and for HTML before escaping."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        return value
    return str(value)


class Col(tables.Column):
    """A column whose cell is the accessor's value: choice labels, dates, booleans shown for people."""

    def __init__(self, *args, css: str = "", empty: str = EMPTY, **kwargs):
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)
        self.css = css
        self.empty = empty

    # prepare() is called once per table instance with the column's name and the table's model
    def prepare(self, name: str, model) -> None:
        path = str(self.accessor) if self.accessor else name
        self.get = _getter(path)
        field = _model_field(model, path) if model is not None else None
        self.labels = None
        if field is not None and getattr(field, "choices", None):
            self.labels = {value: str(label) for value, label in field.flatchoices}
        if self.verbose_name is None and field is not None:
            self.verbose_name = field.verbose_name

    def value_of(self, record):
        value = self.get(record)
        if self.labels is not None and value is not None:
            return self.labels.get(value, value)
        return value

    def text(self, record):
        return plain(self.value_of(record))

    def html(self, record):
        value = self.text(record)
        return conditional_escape(value) if value != "" else self.empty


class LinkCol(Col):
    """A cell that links to the record's page: the URL is reversed once, then the pk put in its place."""

    def __init__(self, url_name: str, *args, text_format: str = "{}", **kwargs):
        super().__init__(*args, **kwargs)
        self.url_name = url_name
        self.text_format = text_format

    def prepare(self, name, model):
        super().prepare(name, model)
        self.url_parts = reverse(self.url_name, args=[987654321]).split("987654321")

    def html(self, record):
        text = self.text(record)
        text = self.text_format.format(text) if text != "" else EMPTY
        return format_html('<a href="{}{}{}">{}</a>', self.url_parts[0], record.pk, self.url_parts[1], text)


class SelectCol(Col):
    """The checkbox the toolbar buttons act on (编辑、组件 …), as the seed's back office does."""

    def __init__(self, *args, label_from: str = "pk", **kwargs):
        kwargs.setdefault("verbose_name", "")
        kwargs.setdefault("exclude_from_export", True)
        kwargs.setdefault("accessor", "pk")
        super().__init__(*args, **kwargs)
        self.label_from = label_from

    def prepare(self, name, model):
        super().prepare(name, model)
        self.label = _getter(self.label_from)

    def html(self, record):
        return format_html(
            '<input type="checkbox" name="selection" value="{}" class="form-check-input" aria-label="{}">',
            record.pk,
            self.label(record),
        )


class BadgeCol(Col):
    """A status as a coloured badge: colours maps a value to a Bootstrap colour."""

    def __init__(self, *args, colours: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.colours = colours

    def html(self, record):
        value = self.get(record)
        label = self.labels.get(value, value) if self.labels else value
        colour = self.colours.get(value, "secondary")
        return format_html('<span class="badge text-bg-{}" data-status="{}">{}</span>', colour, value, label)


class TemplateCol(Col):
    """A cell drawn by a template (for cells with forms or several parts); context: record, table."""

    def __init__(self, template_name: str, *args, **kwargs):
        kwargs.setdefault("exclude_from_export", True)
        super().__init__(*args, **kwargs)
        self.template_name = template_name

    def prepare(self, name, model):
        super().prepare(name, model)
        self.template = get_template(self.template_name)

    def html(self, record):
        return self.template.render({"record": record, "table": self.table}, getattr(self.table, "request", None))


class ExportCol(Col):
    """A column only the export has (the page stays narrow)."""

    def __init__(self, *args, **kwargs):
        kwargs["visible"] = False
        super().__init__(*args, **kwargs)


class ObjectTable(tables.Table):
    """A table of Col columns: `tbody_html()` for the page, `export_columns()` for CSV/XLSX."""

    class Meta:
        attrs = {"class": "table table-hover table-sm align-middle bg-white"}
        orderable = False
        fields = ()  # only the declared columns, never every model field

    def __init__(self, data, *args, request=None, **kwargs):
        # no request into django-tables2: its RequestConfig would sort and paginate the page's rows again
        super().__init__(data, *args, **kwargs)
        self.request = request
        self.records = data
        model = getattr(self._meta, "model", None)
        self._prepared = []
        for name, column in self.base_columns.items():
            column = self.columns[name].column
            if not isinstance(column, Col):
                raise TypeError(f"{type(self).__name__}.{name}: use core.tables columns")
            column.prepare(name, model)
            column.table = self
            self._prepared.append((name, column))

    def headers(self):
        return [(name, column.verbose_name, column.css) for name, column in self._prepared if column.visible]

    def tbody_html(self, empty_message=""):
        """The rows as one string of <tr>s, built in Python: a template loop over rows × cells cost the ledger's
        list about a quarter of its time (bench/README.md). Cells are escaped by their column's html()."""
        visible = [column for _name, column in self._prepared if column.visible]
        if not self.records:
            return format_html('<tr><td colspan="{}" class="text-muted">{}</td></tr>', len(visible), empty_message)
        opens = [format_html('<td class="{}">', column.css) if column.css else "<td>" for column in visible]
        rows = []
        for record in self.records:
            cells = [
                opening + conditional_escape(column.html(record)) + "</td>"
                for opening, column in zip(opens, visible, strict=True)
            ]
            rows.append("<tr>" + "".join(cells) + "</tr>")
        return mark_safe("".join(rows))  # noqa: S308 - each cell is conditional_escape()d above

    def export_columns(self):
        """[(header, text(record)), …]: every column but those excluded from export, hidden ones included."""
        columns = [column for _name, column in self._prepared if not column.exclude_from_export]
        return [(column.verbose_name, column.text) for column in columns]

"""The row loop every importer shares: each row imported or rejected with its reasons, progress saved as it goes.

RowImporter is the base of an importer's row mapping: cells converted by their columns' kinds, duplicates,
validation and saving as hooks, every reason of a row collected before it is rejected.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .columns import Column, Columns, Header, header_warnings, require_columns
from .lookups import Lookups
from .parsing import cell_for_report, decimal, is_blank_cell, messages, plain_text, refuse_unreadable
from .services import ImportFailed

__all__ = ["PROGRESS_EVERY", "Row", "run_rows", "reasons", "RowImporter"]

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 20


@dataclass
class Row:
    """One data row: its number in the file, its mapped cells, and the key that names it in the report."""

    number: int
    cells: dict
    key: str = ""


def run_rows(job, rows, header: Header, columns: Columns, import_row: Callable[[Row], list[str]], warnings=()):
    """Import every data row below the header through import_row(row) -> reasons (none: the row landed).

    The job records the header, the warnings, the counts and, for each rejected row, its reasons and its
    original values; a row whose import raises is rejected with the error and the rows after it still run.
    """
    width = header.width
    job.columns = [cell_for_report(c) for c in header.cells[:width]]
    job.warnings = list(warnings)
    data_rows = header.data_rows(rows)
    job.total_rows = len(data_rows)
    job.save_progress()
    for done, (number, values) in enumerate(data_rows, start=1):
        row = Row(number=number, cells=header.cells_of(values))
        row.key = plain_text(row.cells.get(columns.key) or "")
        try:
            rejected = import_row(row)
        except Exception as exc:  # a bug must not stop the rows after it
            logger.exception("import job %s: row %s failed", job.pk, number)
            rejected = [_("处理这一行时出错：%(error)s") % {"error": str(exc) or type(exc).__name__}]
        if rejected:
            original = [cell_for_report(v) for v in (list(values[:width]) + [None] * (width - len(values)))]
            job.add_rejected(number, row.key, rejected, original)
        else:
            job.accepted_rows += 1
        job.processed_rows = done
        if done % PROGRESS_EVERY == 0:
            job.save_progress()
    job.save_progress()


def reasons(errors: dict, columns: Columns, label: Callable[[str], str]) -> list[str]:
    """Every reason as "字段：说明", in the columns' order, each once; errors of the row as a whole last."""
    out = []
    for field in sorted(errors, key=lambda f: columns.order.get(f, len(columns.order))):
        for message in dict.fromkeys(errors[field]):
            if field == NON_FIELD_ERRORS:
                out.append(message)
            else:
                out.append(_("%(label)s：%(message)s") % {"label": label(field), "message": message})
    return out


class RowImporter:
    """The rows of one kind of import: each converted, checked, and saved whole or rejected with every reason.

    A subclass declares its columns, the model its rows become, its parsers and choices, and implements create()
    (and check_duplicates() and validate() for what create() cannot tell apart or would say one reason at a time).
    A cell becomes a value by its column's kind: org (a unit by name or credit code; blank: the importer's own
    unit where that fits), region (a district), decimal (rounded to the model field's places), choice
    (self.choices[field]), any other kind through self.parsers[kind]. A blank cell is "" for text_kinds, else None.
    """

    columns: Columns
    model = None  # what a row becomes: reasons name its fields, decimals take their places
    parsers: dict = {}  # kind -> parse(value)
    choices: dict = {}  # field -> Choices
    text_kinds = ("text",)
    not_imported: dict = {}  # {header: why the column is deliberately not imported}, said once in the report
    conflict = ""  # the reason for a row the database refuses (IntegrityError): another record has its key

    def __init__(self, actor, fields: set[str]):
        self.actor = actor
        self.fields = fields  # the fields the header row maps
        self.lookups = self.make_lookups(actor)
        self.first_rows = {}  # key -> the first row of the file with it

    @classmethod
    def for_job(cls, job, fields: set[str]):
        """The importer of one job's rows."""
        return cls(job.created_by, fields)

    def make_lookups(self, actor) -> Lookups:
        """Where the units and districts the rows name are looked up: an import whose rows name some overrides it."""
        return Lookups()

    @classmethod
    def import_rows(cls, job, rows) -> None:
        """Import a sheet's rows (tuples of cell values, from the first row of the sheet) into the job's report."""
        rows = list(rows)
        if not rows:
            raise ImportFailed(_("文件是空的：没有找到任何数据行。"))
        confirmed, header_row = getattr(job, "mapping", None), getattr(job, "header_row", None)
        if confirmed and header_row is not None:  # on the mapping step
            header = cls.columns.header_at(rows, header_row, confirmed)
        else:
            header = cls.columns.find_header(rows)
        importer = cls.for_job(job, header.fields)
        require_columns(importer.missing_columns())
        warnings = header_warnings(header, explained={name: str(why) for name, why in cls.not_imported.items()})
        run_rows(job, rows, header, cls.columns, importer.import_row, warnings=warnings)
        importer.finish(job)

    def finish(self, job) -> None:
        """After the last row: what the job should still record (nothing by default)."""

    def required(self, field: str) -> bool:
        """A required column, or one whose blank cell only the importer's own unit may stand for."""
        return self.columns.of[field].required or field in self.lookups.own_unit_fields

    def missing_columns(self) -> list[Column]:
        """The required columns the header lacks; a column of the importer's own unit is not missed if it has one."""
        return [
            column
            for column in self.columns
            if self.required(column.field)
            and column.field not in self.fields
            and self.lookups.default(column.field) is None
        ]

    def import_row(self, row: Row) -> list[str]:
        """The reasons the row was rejected; none when it landed."""
        data, errors = self.convert(row.cells)
        row.key = data.get(self.columns.key) or row.key
        self.check_duplicates(row.number, data, errors)
        self.validate(data, errors)
        if not errors:
            self.save(data, errors)
        return reasons(errors, self.columns, self.label)

    def convert(self, cells: dict) -> tuple[dict, dict]:
        """(data for create(), {field: [messages]}) of one row's cells."""
        data, errors = {}, {}
        for field, value in cells.items():
            try:
                data[field] = self.value(field, value)
            except ValidationError as exc:
                errors.setdefault(field, []).extend(messages(exc))
        for field in self.lookups.own_unit_fields:
            if field not in self.fields:  # a file without the column: the importer's own unit, if any
                data[field] = self.lookups.default(field)
        for field in cells:
            if self.required(field) and field not in errors and data.get(field) in (None, ""):
                errors[field] = [_("必填，不能为空。")]
        return data, errors

    def value(self, field: str, value):
        """One cell as its column's kind makes it; a ValidationError says why it cannot be."""
        refuse_unreadable(value)
        kind = self.columns.of[field].kind
        blank = is_blank_cell(value)
        if kind == "org":
            return self.lookups.default(field) if blank else self.lookups.organisation(field, value)
        if blank:
            return "" if kind in self.text_kinds else None
        if kind == "decimal":
            return decimal(value, self.model._meta.get_field(field).decimal_places)
        if kind == "choice":
            return self.choices[field].parse(value)
        if kind == "region":
            return self.lookups.region(value)
        return self.parsers[kind](value)

    def earlier_row(self, key, row_number: int) -> int | None:
        """The earlier row of the file with the same key (a code, a (city, code) pair …); None for the first."""
        first = self.first_rows.setdefault(key, row_number)
        return None if first == row_number else first

    def check_duplicates(self, row_number: int, data: dict, errors: dict) -> None:
        """Refuse a row whose key an earlier row or a saved record has (see earlier_row); none by default."""

    def validate(self, data: dict, errors: dict) -> None:
        """Add the reasons create() would refuse the row for, all of them (see merge); none by default."""

    def create(self, data: dict) -> None:
        """Save one row's data (through the app's service); a ValidationError rejects the row."""
        raise NotImplementedError

    def save(self, data: dict, errors: dict) -> None:
        """create() in its own savepoint: all of the row lands, or nothing."""
        try:
            with transaction.atomic():
                self.create(data)
        except ValidationError as exc:
            self.merge(exc, errors)
        except IntegrityError:
            errors.setdefault(NON_FIELD_ERRORS, []).append(str(self.conflict))

    def merge(self, exc: ValidationError, errors: dict) -> None:
        """A ValidationError's messages into errors, but for fields the row already has a reason for."""
        if not hasattr(exc, "error_dict"):
            errors.setdefault(NON_FIELD_ERRORS, []).extend(messages(exc))
            return
        for field, items in exc.error_dict.items():
            if field != NON_FIELD_ERRORS and self.said_already(field, errors):
                continue
            for item in items:
                self.add_reason(field, item, errors)

    def said_already(self, field: str, errors: dict) -> bool:
        """Whether the row already says why the field is wrong, in the importer's own words."""
        return field in errors

    def add_reason(self, field: str, error: ValidationError, errors: dict) -> None:
        errors.setdefault(field, []).extend(messages(error))

    @classmethod
    def label(cls, field: str) -> str:
        """A field's name in a reason: the model field's verbose name, else the column's header."""
        if cls.model is not None:
            try:
                return str(cls.model._meta.get_field(field).verbose_name)
            except FieldDoesNotExist:
                pass
        column = cls.columns.of.get(field)
        return column.header if column else field

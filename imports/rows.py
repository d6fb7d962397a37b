"""The row loop every importer shares: each row imported or rejected with its reasons, progress saved as it goes."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

from .columns import Columns, Header
from .parsing import plain_text
from .services import cell_for_report

__all__ = ["PROGRESS_EVERY", "Row", "run_rows", "reasons"]

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

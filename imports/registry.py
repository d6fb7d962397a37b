"""Which kinds of import exist and which module holds each one's row logic.

An importer module provides:

- LABEL: what is imported, for people (电梯台账);
- TEMPLATE_FILENAME: the download name of the template (without .xlsx);
- RETURN_URL, RETURN_LABEL: the URL name of the list the imported rows land in, and its link text;
- KEY_LABEL: the column that names a row in the report (report entries carry it as "register_code");
- STEPS: a few sentences explaining the steps on the start page;
- can_import(user) -> bool: who may import (others get 403);
- build_template() -> bytes: the XLSX template;
- ROWS: its RowImporter subclass (the mapping step reads its columns, suggests, previews and checks with it);
- import_rows(job, rows): process the sheet's rows (tuples of cell values, the header among them), updating
  job.total_rows / processed_rows / accepted_rows / rejected_rows / report and calling job.save_progress().

The generic pieces an importer builds on: imports.columns (Column, Columns: the header row and its
synonyms), imports.parsing (dates, numbers, codes, choices, units by name or credit code), imports.lookups
(Lookups: units and districts among those the importer may use, each answer remembered), imports.rows
(run_rows: the row loop, progress and report; RowImporter: cells converted by kind, duplicates, validation
and a savepoint per row as hooks; its import_rows classmethod is the contract's import_rows) and
imports.template (build_template). An importer module then holds only its column list and its row mapping, as
elevators/importer.py does.
"""

from importlib import import_module

from django.http import Http404

from .models import ImportKind

__all__ = ["IMPORTERS", "importer_for"]

IMPORTERS = {
    ImportKind.ELEVATORS: "elevators.importer",
}


def importer_for(kind: str):
    """The importer module of a kind; 404 for a kind that does not exist."""
    path = IMPORTERS.get(kind)
    if path is None:
        raise Http404
    return import_module(path)

"""The mapping step: which column of another system's sheet fills which of ours, remembered per unit.

After the upload a job waits (pending) while its importer sees the header row found in the sheet, the column
suggested for each of ours (what the unit chose before, else the synonyms), and a preview of the first rows
as they will be read, with each cell's problem. A sheet that reads exactly as our template goes straight on.
Only the first rows of the file are read here: the page stays quick whatever the sheet's size.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tenancy import scope_for

from .columns import HEADER_SEARCH_ROWS, Header, normalise_header
from .models import ColumnMapping
from .parsing import cell_for_report
from .services import ImportFailed, confirm_job, is_blank, read_rows

__all__ = [
    "PREVIEW_ROWS",
    "remembered",
    "remember",
    "read_head",
    "suggest",
    "header_choices",
    "header_of_row",
    "goes_straight_through",
    "MappingChoice",
    "preview",
    "column_letter",
    "confirm",
]

PREVIEW_ROWS = 10
HEAD_ROWS = HEADER_SEARCH_ROWS + PREVIEW_ROWS + 20  # the header may stand below titles; some rows may be blank


def _own(user):
    """The unit's own mappings (the operator's are those without a unit), through the gate."""
    return ColumnMapping.objects.visible_to(user).filter(organization_id=scope_for(user).organization_id)


def remembered(user, kind: str) -> dict[str, str]:
    """{normalised header: field, or "" for a column not imported} as the user's unit chose before."""
    return dict(_own(user).filter(kind=kind).values_list("header", "field"))


def remember(user, kind: str, header: Header) -> None:
    """Note what the unit chose for each header of the sheet, to suggest it the next time."""
    now = timezone.now()
    with transaction.atomic():
        for index, cell in enumerate(header.cells):
            key = normalise_header(cell)
            if not key:
                continue
            name = header.mapping.get(index, "")
            key = key[: ColumnMapping._meta.get_field("header").max_length]
            if _own(user).filter(kind=kind, header=key).update(field=name, updated_at=now):
                continue
            try:
                with transaction.atomic():
                    ColumnMapping.objects.create(
                        organization_id=scope_for(user).organization_id,
                        kind=kind,
                        header=key,
                        field=name,
                        updated_at=now,
                    )
            except IntegrityError:  # another upload of the unit remembered it at the same moment
                _own(user).filter(kind=kind, header=key).update(field=name, updated_at=now)


def read_head(job) -> list[tuple]:
    """The first rows of the job's sheet: enough for the header and the preview."""
    return read_rows(job, limit=HEAD_ROWS)


def suggest(rows_class, user, kind: str, rows) -> Header:
    """The header row found in the sheet and the mapping suggested for it."""
    if not rows:
        raise ImportFailed(_("文件是空的：没有找到任何数据行。"))
    return rows_class.columns.guess_header(rows, remembered(user, kind))


def header_choices(rows) -> list[tuple[int, str]]:
    """The top rows that could be the header, as (index, "第 n 行：its first cells"), for the person to pick."""
    out = []
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [str(cell_for_report(c)).strip() for c in row if c is not None and str(c).strip()]
        if cells:
            text = "、".join(cells[:4]) + ("…" if len(cells) > 4 else "")
            out.append((index, _("第 %(row)s 行：%(cells)s") % {"row": index + 1, "cells": text[:80]}))
    return out


def header_of_row(rows_class, user, kind: str, rows, index: int) -> Header:
    """Row `index` as the header the person picked, with the mapping suggested for it."""
    mapped, ignored, duplicated = rows_class.columns.map_header(rows[index], remembered(user, kind))
    return Header(index=index, cells=tuple(rows[index]), mapping=mapped, ignored=ignored, duplicated=duplicated)


def goes_straight_through(rows_class, user, kind: str, rows) -> bool:
    """Whether the sheet reads as our template: every header known, none twice, nothing the unit chose otherwise."""
    columns = rows_class.columns
    try:
        header = columns.find_header(rows)
    except ImportFailed:
        return False
    explained = {normalise_header(name) for name in getattr(rows_class, "not_imported", {})}
    if header.duplicated or any(normalise_header(h) not in explained for h in header.ignored):
        return False
    own, _ignored, _duplicated = columns.map_header(header.cells, remembered(user, kind))
    if own != header.mapping:
        return False
    return not rows_class(user, header.fields).missing_columns()


def column_letter(index: int) -> str:
    """A, B, … Z, AA … as the spreadsheet names its columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class MappingChoice:
    """One of our columns, the sheet's column chosen for it (None: not imported) and the problem with that."""

    column: object
    chosen: int | None
    errors: list = field(default_factory=list)


def choices_from(rows_class, header: Header, data=None) -> tuple[list[MappingChoice], dict[int, str], list[str]]:
    """Our columns with the sheet's column each takes (from the form's data, else the suggestion), the mapping
    {their index: our field}, and what is wrong with it as a whole (a column chosen twice)."""
    columns = rows_class.columns
    width = len(header.cells)
    suggested = {name: index for index, name in header.mapping.items()}
    choices, mapping, problems = [], {}, []
    for column in columns:
        if data is None:
            chosen = suggested.get(column.field)
        else:
            raw = str(data.get(f"map-{column.field}", "")).strip()
            chosen = int(raw) if raw.isdigit() and int(raw) < width else None
        choice = MappingChoice(column, chosen)
        if chosen is not None:
            if chosen in mapping:
                other = columns.of[mapping[chosen]].header
                choice.errors.append(
                    _("“%(their)s”列已用于“%(ours)s”。") % {"their": header_text(header, chosen), "ours": other}
                )
            else:
                mapping[chosen] = column.field
        choices.append(choice)
    if any(c.errors for c in choices):
        problems.append(_("同一列不能对应两个字段，请改正标红的选择。"))
    return choices, mapping, problems


def header_text(header: Header, index: int) -> str:
    cell = header.cells[index] if index < len(header.cells) else None
    text = str(cell_for_report(cell) or "").strip()
    return f"{column_letter(index)}：{text}" if text else column_letter(index)


def preview(rows_class, user, rows, header: Header) -> tuple[list[str], list[dict]]:
    """The fields shown and the first data rows as the import will read them: each cell's value and problems."""
    importer = rows_class(user, header.fields)
    columns = rows_class.columns
    fields = sorted(set(header.mapping.values()), key=lambda name: columns.order[name])
    out = []
    for number, values in header.data_rows(rows)[:PREVIEW_ROWS]:
        cells = header.cells_of(values)
        if is_blank(cells.values()):
            continue
        try:
            _data, errors = importer.convert(cells)
        except Exception as exc:  # a bug must not cost the page: the row says so
            errors = {columns.key: [str(exc) or type(exc).__name__]}
        out.append(
            {
                "number": number,
                "cells": [
                    {"field": name, "value": cell_for_report(cells.get(name)), "errors": errors.get(name, [])}
                    for name in fields
                ],
            }
        )
    return fields, out


def confirm(job, user, rows_class, header: Header, request=None) -> list[str]:
    """Check the chosen mapping, remember it for the unit and start the job; the reasons it cannot start, if any."""
    missing = rows_class(user, header.fields).missing_columns()
    if missing:
        names = "、".join(c.header for c in missing)
        return [_("缺少必填列：%(columns)s。请为它们选择文件中的列。") % {"columns": names}]
    with transaction.atomic():
        remember(user, job.kind, header)
        confirm_job(job, user, header_row=header.index, mapping=header.mapping, request=request)
    return []

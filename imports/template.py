"""The XLSX template of an import: a data sheet with the header row, and an instruction sheet for people.

The instruction sheet holds a title, numbered notes, one line per column (header, required, how to fill it,
an example, the other headers accepted), any tables the importer adds (appendices), and an example row.
"""

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import Columns

__all__ = ["Appendix", "build_template"]

REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
OPTIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TEXT_ROWS = 500  # data rows formatted as text below the header, so Excel keeps long codes whole
LIST_ROWS = 5000  # data rows offered a drop-down list


@dataclass(frozen=True)
class Appendix:
    """A table of the instruction sheet: a heading row, then rows whose first cell is a code (kept as text)."""

    heading: list
    rows: list


def build_template(
    columns: Columns,
    *,
    data_sheet: str,
    instruction_sheet: str,
    title: str,
    notes: list[str],
    example_title: str,
    text_fields=(),
    lists=None,
    appendices=(),
) -> bytes:
    """The template workbook as bytes.

    text_fields: columns formatted as text (codes Excel would turn into numbers); lists: {field: values} offered
    as a drop-down (any other value is still accepted); appendices: the importer's own tables (code lists).
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = data_sheet
    template_columns = columns.in_template
    sheet.append([c.template_header for c in template_columns])
    for index, column in enumerate(template_columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = BOLD
        cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        if column.field in text_fields:
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, TEXT_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.kind == "date":
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        if column.field in (lists or {}):
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(lists[column.field]) + '"',
                allow_blank=True,
                showErrorMessage=False,
            )
            validation.add(f"{letter}2:{letter}{LIST_ROWS}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    notes_sheet = workbook.create_sheet(instruction_sheet)
    for letter, width in zip("ABCDE", (24, 8, 70, 28, 40), strict=True):
        notes_sheet.column_dimensions[letter].width = width
    notes_sheet.append([title])
    notes_sheet["A1"].font = TITLE_FONT
    for line in notes:
        notes_sheet.append([line])
    notes_sheet.append([])
    _heading(notes_sheet, [_("列名"), _("必填"), _("填写说明"), _("示例"), _("也接受的列名")])
    for column in columns:
        notes_sheet.append(
            [
                column.template_header if column.in_template else column.header,
                _("是") if column.required else "",
                str(column.help),
                column.example if column.example != "" else "",
                "、".join(column.synonyms),
            ]
        )
        for cell in notes_sheet[notes_sheet.max_row]:
            cell.alignment = WRAP
    for appendix in appendices:
        notes_sheet.append([])
        _heading(notes_sheet, appendix.heading)
        for row in appendix.rows:
            notes_sheet.append(row)
            notes_sheet.cell(row=notes_sheet.max_row, column=1).number_format = "@"
            notes_sheet.cell(row=notes_sheet.max_row, column=len(row)).alignment = WRAP
    notes_sheet.append([])
    notes_sheet.append([example_title])
    notes_sheet.cell(row=notes_sheet.max_row, column=1).font = BOLD
    start = notes_sheet.max_row + 1
    notes_sheet.append([c.template_header for c in template_columns])
    notes_sheet.append([c.example for c in template_columns])
    for cell in notes_sheet[start]:
        cell.font = BOLD
    for cell in notes_sheet[start + 1]:
        cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _heading(sheet, cells) -> None:
    sheet.append(cells)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
        cell.fill = OPTIONAL_FILL

"""An import's columns and the matching of a sheet's header row against them.

A column names the field it fills, its header in the template (a file format: always Chinese, whatever the
page's language), the kind of value it takes, and the other headers real files use for it (synonyms). Headers
compare without spaces, required marks, units in brackets or full-width forms, so "额定速度（m/s）*" finds the
column "额定速度".
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .services import ImportFailed, is_blank

__all__ = ["Column", "Columns", "Header", "normalise_header", "require_columns", "header_warnings"]

# Row numbers and the 错误原因 column of a downloaded report of rejected rows: never worth a warning.
SILENTLY_IGNORED = ("错误原因", "序号", "行号")
HEADER_SEARCH_ROWS = 20  # a title or two may stand above the header row


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # in the template (a file format: Chinese)
    kind: str  # what the importer's row mapping makes of the value (text, date, int, decimal, choice …)
    required: bool = False
    synonyms: tuple = ()
    help: str = ""
    example: object = ""
    in_template: bool = True

    @property
    def template_header(self) -> str:
        """The header as the template writes it: required columns carry a *."""
        return self.header + ("*" if self.required else "")


def normalise_header(value) -> str:
    """Headers compare without spaces, required marks, units in brackets or full-width forms."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    text = next((line for line in text.splitlines() if line.strip()), "")  # a second line is a note on filling it
    text = re.sub(r"\s+", "", text).strip("*").strip()
    text = re.sub(r"\([^()]*\)$", "", text)
    return text.lower()


@dataclass(frozen=True)
class Header:
    """The header row found in a sheet: where it is and which column fills which field."""

    index: int  # of the header row among the sheet's rows
    cells: tuple
    mapping: dict[int, str]  # column index -> field
    ignored: list[str] = field(default_factory=list)  # headers that name no column
    duplicated: list[str] = field(default_factory=list)  # headers naming a column an earlier one already fills

    @property
    def fields(self) -> set[str]:
        return set(self.mapping.values())

    @property
    def width(self) -> int:
        """The number of cells up to the last non-blank header cell."""
        width = len(self.cells)
        while width and (self.cells[width - 1] is None or not str(self.cells[width - 1]).strip()):
            width -= 1
        return width

    def cells_of(self, row) -> dict:
        """{field: value} of one data row, for the mapped columns only."""
        return {name: (row[i] if i < len(row) else None) for i, name in self.mapping.items()}

    def data_rows(self, rows) -> list[tuple[int, tuple]]:
        """(row number in the file, row) of every row below the header with a value in a mapped column."""
        start = self.index + 1
        return [
            (number, row)
            for number, row in enumerate(rows[start:], start=start + 1)
            if not is_blank(self.cells_of(row).values())
        ]


class Columns:
    """The columns of one kind of import, in template order, with the headers they answer to.

    key: the field that names a row (the report lists rows by it; a header row must name it).
    """

    def __init__(self, columns, *, key: str, silently_ignored=SILENTLY_IGNORED):
        self.all = list(columns)
        self.key = key
        self.of = {c.field: c for c in self.all}
        self.in_template = [c for c in self.all if c.in_template]
        self.order = {c.field: i for i, c in enumerate(self.all)}
        self.silently_ignored = {normalise_header(h) for h in silently_ignored}
        self.synonyms = {}
        for column in self.all:
            for name in (column.header, *column.synonyms):
                self.synonyms.setdefault(normalise_header(name), column.field)

    def __iter__(self):
        return iter(self.all)

    def __len__(self):
        return len(self.all)

    def map_header(self, cells, remembered=None) -> tuple[dict[int, str], list[str], list[str]]:
        """{column index: field}, the ignored headers, and the duplicated ones, for one header row.

        remembered: {normalised header: field, or "" for "not imported"} that a unit chose before; it wins over
        the synonyms.
        """
        remembered = remembered or {}
        mapping, ignored, duplicated, taken = {}, [], [], set()
        for index, cell in enumerate(cells):
            if cell is None or not str(cell).strip():
                continue
            key = normalise_header(cell)
            name = remembered[key] if key in remembered else self.synonyms.get(key)
            if name is not None and name not in self.of:
                name = None  # a remembered field that this import no longer has
            if name is None:
                if key not in self.silently_ignored:
                    ignored.append(str(cell).strip())
                continue
            if name in taken:
                duplicated.append(str(cell).strip())
                continue
            taken.add(name)
            mapping[index] = name
        return mapping, ignored, duplicated

    def find_header(self, rows, remembered=None) -> Header:
        """The header row: the first of the top rows that names the key column and two more."""
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            mapping, ignored, duplicated = self.map_header(row, remembered)
            fields = set(mapping.values())
            if self.key in fields and len(fields) >= 3:
                return Header(index=index, cells=tuple(row), mapping=mapping, ignored=ignored, duplicated=duplicated)
        raise self.no_header()

    def guess_header(self, rows, remembered=None) -> Header:
        """The header row of a sheet from another system, for the mapping step to show and correct.

        The row find_header takes if there is one; else the top row naming the most of our columns (two at
        least); else the first row with three cells of text or more, mapped to nothing yet.
        """
        try:
            return self.find_header(rows, remembered)
        except ImportFailed:
            pass
        best = None
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            mapping, ignored, duplicated = self.map_header(row, remembered)
            if len(mapping) >= 2 and (best is None or len(mapping) > len(best.mapping)):
                best = Header(index=index, cells=tuple(row), mapping=mapping, ignored=ignored, duplicated=duplicated)
        if best is not None:
            return best
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            texts = [c for c in row if isinstance(c, str) and c.strip()]
            if len(texts) >= 3:
                ignored = [str(c).strip() for c in row if c is not None and str(c).strip()]
                return Header(index=index, cells=tuple(row), mapping={}, ignored=ignored)
        raise self.no_header()

    def header_at(self, rows, index: int, mapping: dict) -> Header:
        """The header row a person confirmed: row `index`, {column index: field} as chosen."""
        if index >= len(rows):
            raise self.no_header()
        cells = tuple(rows[index])
        mapping = {int(i): name for i, name in mapping.items() if name in self.of}
        ignored = [
            str(c).strip()
            for i, c in enumerate(cells)
            if i not in mapping
            and c is not None
            and str(c).strip()
            and normalise_header(c) not in self.silently_ignored
        ]
        return Header(index=index, cells=cells, mapping=mapping, ignored=ignored)

    def no_header(self) -> ImportFailed:
        return ImportFailed(
            _("找不到表头：文件中应有一行列名，至少包含“%(column)s”列。请下载导入模板，按模板的列名填写。")
            % {"column": self.of[self.key].header}
        )


def require_columns(missing) -> None:
    """Fail the whole file when required columns are missing, naming each of them."""
    if missing:
        raise ImportFailed(
            _("缺少必填列：%(columns)s。请下载导入模板，按模板的列名填写。")
            % {"columns": "、".join(f"“{c.header}”" for c in missing)}
        )


def header_warnings(header: Header, explained=None) -> list[str]:
    """What the report says about the header: columns not imported and columns named twice.

    explained: {header: message} for columns that are known but deliberately not imported; their message
    replaces the generic "not recognised" (said once, first).
    """
    explained = {normalise_header(name): message for name, message in (explained or {}).items()}
    said = [explained[normalise_header(h)] for h in header.ignored if normalise_header(h) in explained]
    other = [h for h in header.ignored if normalise_header(h) not in explained]
    warnings = [str(message) for message in dict.fromkeys(said)]
    if other:
        warnings.append(_("以下列无法识别，未导入：%(columns)s。") % {"columns": "、".join(other)})
    if header.duplicated:
        warnings.append(
            _("以下列与前面的列含义相同，已忽略：%(columns)s。") % {"columns": "、".join(header.duplicated)}
        )
    return warnings

"""Export any list as CSV or XLSX, streamed so that a large table never sits in memory."""

import csv
import io
import re
from datetime import date, datetime
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

__all__ = ["export_response", "neutralise", "EXPORT_FORMATS", "XLSX_MAX_ROWS"]

EXPORT_FORMATS = ("csv", "xlsx")
XLSX_MAX_ROWS = 200_000  # beyond this, CSV (Excel opens it too) keeps memory flat


class _Echo:
    def write(self, value):
        return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def neutralise(text: str) -> str:
    """A text a spreadsheet would run as a formula (OWASP CSV injection) gets a leading apostrophe; plain
    numbers such as -1.5 stay as they are."""
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value.isoformat()
    return value if isinstance(value, (int, float)) else neutralise(str(value))


def _disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def export_response(rows, columns, fmt: str, filename: str):
    """rows: an iterable of objects; columns: [(header, getter(obj))]; fmt: csv or xlsx."""
    headers = [neutralise(str(h)) for h, _g in columns]
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(headers)
        for index, row in enumerate(rows):
            if index >= XLSX_MAX_ROWS:
                break
            sheet.append([_cell(getter(row)) for _h, getter in columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = _disposition(f"{filename}.xlsx")
        return response

    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # BOM: Excel opens UTF-8 Chinese correctly
        yield writer.writerow(headers)
        for row in rows:
            yield writer.writerow([_cell(getter(row)) for _h, getter in columns])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(f"{filename}.csv")
    return response


def query_without(request, *names) -> str:
    """The current query string without some parameters (for export and paging links)."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()

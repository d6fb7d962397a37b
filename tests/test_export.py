"""Exports neutralise what a spreadsheet would run as a formula (OWASP CSV injection), in every list."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.export import neutralise
from tests import sweep
from tests.factories import make_elevator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text, expected",
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x.example","点我")', '\'=HYPERLINK("http://x.example","点我")'),
        ("+86 23 6389 1234", "'+86 23 6389 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-1.5", "-1.5"),
        ("+3", "+3"),
        ("龙湖·星悦荟3栋", "龙湖·星悦荟3栋"),
        ("a=1", "a=1"),
    ],
)
def test_neutralise(text, expected):
    assert neutralise(text) == expected


def test_every_list_exports_through_the_neutralising_writer():
    """Each ObjectListView exports through core.export.export_response (where neutralise() sits)."""
    from core.generic import ObjectListView

    for page, _kwargs in sweep.list_pages():
        view = page.view.view_class
        assert view.export is ObjectListView.export or "super().export" in _source(view.export), page.name


def _source(function) -> str:
    import inspect

    return inspect.getsource(function)


def test_a_formula_in_the_ledger_leaves_csv_and_xlsx_as_text(world, client_for):
    make_elevator(world, building='=HYPERLINK("http://evil.example","点我")')
    client = client_for(world.admin_a)
    csv_text = b"".join(client.get(reverse("elevators:list"), {"export": "csv"}).streaming_content).decode()
    assert '\'=HYPERLINK("http://evil.example"' in csv_text.replace('""', '"')
    workbook = load_workbook(io.BytesIO(client.get(reverse("elevators:list"), {"export": "xlsx"}).content))
    cells = [cell for row in workbook.active.iter_rows() for cell in row if "HYPERLINK" in str(cell.value)]
    assert cells and all(cell.data_type == "s" and cell.value.startswith("'=") for cell in cells)


def test_english_exports_have_english_headers_and_names(world, client_for):
    make_elevator(world)
    client = client_for(world.admin_a)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("elevators:list"), {"export": "csv"})
    assert "Elevator%20ledger.csv" in response["Content-Disposition"]
    header, row = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[:2]
    assert header.startswith("Register code,Rescue code,Device category")
    assert "Traction passenger elevator" in row or "3110" in row
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in header)

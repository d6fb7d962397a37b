"""Column declarations and the header row: synonyms, marks, units, duplicates, the row the header is on."""

import pytest

from imports.columns import Column, Columns, header_warnings, normalise_header, require_columns
from imports.services import ImportFailed

COLUMNS = Columns(
    [
        Column("code", "编号", "text", True, ("设备编号", "编码")),
        Column("name", "名称", "text", True, ("设备名称",)),
        Column("speed", "额定速度（m/s）", "decimal", False, ("速度",)),
        Column("floors", "层数", "int"),
        Column("combined", "层/站/门", "text", in_template=False),
    ],
    key="code",
)


def test_headers_compare_without_spaces_marks_units_or_full_width_forms():
    assert normalise_header(" 额定速度 (m/s) * ") == "额定速度"
    assert normalise_header("额定速度（m/s）") == "额定速度"
    assert normalise_header("ＡＢＣ　编号") == "abc编号"
    assert normalise_header(None) == ""


def test_a_header_row_maps_synonyms_and_reports_the_rest():
    mapping, ignored, duplicated = COLUMNS.map_header(["序号", "设备编号*", None, "名称", "速度", "编码", "备注", ""])
    assert mapping == {1: "code", 3: "name", 4: "speed"}
    assert ignored == ["备注"]  # 序号 is a row number: ignored without a word
    assert duplicated == ["编码"]


def test_the_header_may_stand_below_a_title_and_needs_the_key_column_and_two_more():
    rows = [("某某公司设备清单（2026 年）",), (), ("编号", "名称", "层数", "状态"), ("A-1", "一号梯", 6, "在用")]
    header = COLUMNS.find_header(rows)
    assert (header.index, header.fields, header.ignored, header.width) == (2, {"code", "name", "floors"}, ["状态"], 4)
    assert header.cells_of(rows[3]) == {"code": "A-1", "name": "一号梯", "floors": 6}
    assert header.data_rows(rows + [(None, " ", None, "在用"), ("A-2",)]) == [(4, rows[3]), (6, ("A-2",))]
    with pytest.raises(ImportFailed, match="“编号”"):
        COLUMNS.find_header([("编号", "名称"), ("A-1", "一号梯")])  # two columns only


def test_the_template_header_marks_required_columns():
    assert [c.template_header for c in COLUMNS.in_template] == ["编号*", "名称*", "额定速度（m/s）", "层数"]
    assert COLUMNS.order["floors"] == 3 and COLUMNS.of["combined"].in_template is False and len(COLUMNS) == 5


def test_missing_columns_fail_the_file_naming_each():
    require_columns([])
    with pytest.raises(ImportFailed) as exc:
        require_columns([COLUMNS.of["name"], COLUMNS.of["floors"]])
    assert "“名称”、“层数”" in str(exc.value)


def test_warnings_explain_known_columns_once_and_list_the_others():
    header = COLUMNS.find_header([("编号", "名称", "层数", "状态", "使用状态", "备注", "编码")])
    warnings = header_warnings(header, explained={"状态": "状态不导入。", "使用状态": "状态不导入。"})
    assert warnings[0] == "状态不导入。"
    assert "备注" in warnings[1] and "状态" not in warnings[1]
    assert "编码" in warnings[2] and len(warnings) == 3

"""The template workbook of an import: header row, instruction sheet, appendices, example row."""

import io

from openpyxl import load_workbook

from imports.columns import Column, Columns
from imports.template import Appendix, build_template

COLUMNS = Columns(
    [
        Column("code", "编号", "text", True, ("设备编号",), "字母或数字", "A-001"),
        Column("kind", "品种", "text", True, (), "见下表", "11"),
        Column("since", "启用日期", "date", False, (), "YYYY-MM-DD", "2020-05-18"),
        Column("combined", "层/站/门", "text", False, ("层站门",), "18/18/18", in_template=False),
    ],
    key="code",
)


def test_the_template_has_the_header_the_notes_and_an_example():
    content = build_template(
        COLUMNS,
        data_sheet="设备",
        instruction_sheet="说明",
        title="设备导入说明",
        notes=["1. 每行一台。"],
        example_title="示例",
        text_fields={"code"},
        lists={"kind": ["11", "12"]},
        appendices=[Appendix(["品种代码", "", "说明"], [["11", "", "乘客电梯"], ["12", "", "载货电梯"]])],
    )
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["设备", "说明"]
    data = workbook["设备"]
    assert [c.value for c in data[1]] == ["编号*", "品种*", "启用日期"]
    assert data["A2"].number_format == "@" and data.freeze_panes == "A2"
    [validation] = data.data_validations.dataValidation
    assert validation.formula1 == '"11,12"' and str(validation.sqref) == "B2:B5000"

    rows = [[c for c in row if c is not None] for row in workbook["说明"].iter_rows(values_only=True)]
    assert rows[0] == ["设备导入说明"] and rows[1] == ["1. 每行一台。"]
    assert ["层/站/门", "18/18/18", "层站门"] in rows  # a column outside the template is still explained
    assert ["编号*", "是", "字母或数字", "A-001", "设备编号"] in rows
    assert ["11", "乘客电梯"] in rows and rows[-3] == ["示例"]
    assert rows[-2] == ["编号*", "品种*", "启用日期"] and rows[-1] == ["A-001", "11", "2020-05-18"]

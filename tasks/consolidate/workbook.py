"""The consolidation as an Excel workbook: an about sheet, tables 2, 3 and 4 in the statutory layout,
completeness, year on year and the R1–R3 check of the consolidated table 3.

Every figure of tables 2–4 carries a comment saying how many reports had a number in it and how many
left it blank; a cell not every summed report filled in is shaded yellow, one no report filled in grey.

Cells are data, never code: text goes in with write_string (xlsxwriter's write() would turn an agency
named "=HYPERLINK(…)" into a live formula and "http://…" into a link), figures with write_number.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import Any

from tasks.consolidate.layout import (
    AGENCY_COLUMNS_ZH,
    AMOUNT_COLUMNS,
    CELL_NOTE,
    KIND_ZH,
    SCOPE_NOTE,
    STATUS_ZH,
    T3_VALUE_COLUMNS,
    TABLE_ZH,
    YOY_COLUMNS_ZH,
    CellCount,
    number,
    reason_zh,
    scope_label,
    table2_counts,
    table2_printed,
    table3_counts,
    table4_counts,
)
from tasks.consolidate.read import Consolidation, Frame
from tasks.consolidate.rectification import COLUMNS_ZH as RECTIFY_COLUMNS_ZH
from tasks.consolidate.rectification import rectification_note, rectification_rows
from tasks.keys import T3_COLUMNS, T3_GROUP_LABELS
from tasks.messages import completeness, expected_basis, t


def write_workbook(c: Consolidation, path: Path) -> Path:
    """The consolidated tables in the statutory layout, with completeness and year-on-year sheets."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    # belt and braces: even a stray write() of text makes neither a formula nor a link
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    fmt = _formats(wb)
    _about_sheet(wb.add_worksheet("说明"), c, fmt)
    _table2_sheet(wb.add_worksheet("表二 主动公开"), c, fmt)
    _table3_sheet(wb.add_worksheet("表三 依申请"), c, fmt)
    _table4_sheet(wb.add_worksheet("表四 复议诉讼"), c, fmt)
    _frame_sheet(wb.add_worksheet("完整性"), c.agencies, AGENCY_COLUMNS_ZH, fmt)
    _frame_sheet(wb.add_worksheet("同比"), c.yoy, YOY_COLUMNS_ZH, fmt)
    _checks_sheet(wb.add_worksheet("勾稽检查"), c, fmt)
    _rectification_sheet(wb.add_worksheet("整改事项"), c, fmt)
    wb.close()
    return path


def _put(ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """One cell by the value's type: blank, number, or text as a string (never a formula)."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float, Decimal)):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _merge(ws: Any, first_row: int, first_col: int, last_row: int, last_col: int, text: str, fmt: Any) -> None:
    """A merged range holding text: merged blank, then the text written as a string into its first cell."""
    ws.merge_range(first_row, first_col, last_row, last_col, "", fmt)
    ws.write_string(first_row, first_col, text, fmt)


def _formats(wb: Any) -> dict[str, Any]:
    """The cell formats: title, head (table headings), label (text cells), int and amount (figures)."""
    return {
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "head": wb.add_format(
            {
                "bold": True,
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "bg_color": "#EEEEEE",
            }
        ),
        "label": wb.add_format({"border": 1, "valign": "vcenter", "text_wrap": True}),
        "int": wb.add_format({"border": 1, "num_format": "#,##0"}),
        "amount": wb.add_format({"border": 1, "num_format": "#,##0.00"}),
        # a figure some summed reports left blank (yellow), one no report filled in (grey)
        "int_partial": wb.add_format({"border": 1, "num_format": "#,##0", "bg_color": "#FFF2CC"}),
        "amount_partial": wb.add_format({"border": 1, "num_format": "#,##0.00", "bg_color": "#FFF2CC"}),
        "int_blank": wb.add_format({"border": 1, "num_format": "#,##0", "bg_color": "#D9D9D9"}),
        "amount_blank": wb.add_format({"border": 1, "num_format": "#,##0.00", "bg_color": "#D9D9D9"}),
        "pct": wb.add_format({"border": 1, "num_format": "0.0"}),
        "fail": wb.add_format({"border": 1, "valign": "vcenter", "text_wrap": True, "font_color": "#C00000"}),
        "note": wb.add_format({"italic": True, "font_color": "#555555"}),
    }


def _counted(ws: Any, row: int, col: int, value: Any, count: CellCount | None, fmt: dict[str, Any], amount=False):
    """A consolidated figure with its comment (reports with a number, blanks) and its shade."""
    kind = "amount" if amount or (isinstance(value, float) and not value.is_integer()) else "int"
    if count is not None and value is None:
        kind += "_blank"
    elif count is not None and not count.complete:
        kind += "_partial"
    _put(ws, row, col, number(value), fmt[kind])
    if count is not None:
        ws.write_comment(row, col, f"{count.text_zh}（{CELL_NOTE}）", {"author": "ogi", "x_scale": 1.6})


def _legend(ws: Any, row: int, fmt: dict[str, Any]) -> None:
    """The note under a table on what the comments and shades mean."""
    _put(
        ws,
        row,
        0,
        "每个数字的批注写明有几份报告填了数字、几份空白；黄色：部分报告空白或未印此栏；灰色：全部空白。"
        + CELL_NOTE
        + "。",
        fmt["note"],
    )


def _figure(fmt: dict[str, Any], value: Any, amount: bool = False) -> Any:
    """The format of a figure: amounts with two decimals, counts without; a count that is not whole
    (a report's typo, say) also shows its decimals rather than being rounded on screen."""
    if amount or (isinstance(value, float) and not value.is_integer()):
        return fmt["amount"]
    return fmt["int"]


def _page_setup(ws: Any, header_rows: int) -> None:
    """The header rows frozen on screen and repeated on every printed page; A4 landscape, one page wide."""
    ws.freeze_panes(header_rows, 0)
    ws.repeat_rows(0, header_rows - 1)
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as it takes


def _about_sheet(ws: Any, c: Consolidation, fmt: dict[str, Any]) -> None:
    """Scope, counts and the note on what is summed."""
    h = c.header
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 60)
    _put(ws, 0, 0, "政府信息公开工作年度报告汇总", fmt["title"])
    facts = [
        ("范围", scope_label(h)),
        ("汇总标识 consolidation_key", h["consolidation_key"]),
        (t("completeness.basis"), expected_basis(h)),
        *completeness(h),
        ("已汇总报告", h["reports_summed"]),
        ("上年已汇总报告", h["reports_summed_prior_year"]),
        ("仅有隔离报告的机构", h["agencies_quarantined"]),
        ("生成时间", str(h["consolidated_at"])[:19]),
        ("说明", SCOPE_NOTE),
    ]
    for i, (k, v) in enumerate(facts, start=2):
        _put(ws, i, 0, k, fmt["label"])
        _put(ws, i, 1, v, fmt["int"] if isinstance(v, int) else fmt["label"])
    _page_setup(ws, 1)


def _table2_sheet(ws: Any, c: Consolidation, fmt: dict[str, Any]) -> None:
    """Table 2 as printed: one block per item of Art. 20, for each template in the consolidation."""
    head, label = fmt["head"], fmt["label"]
    counts = table2_counts(c)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 5, 16)
    _put(ws, 0, 0, "二、主动公开政府信息情况", fmt["title"])
    row = 2
    for template, item, columns, rows in table2_printed(c.table2):
        _put(ws, row, 0, f"{item}({template}年模板)", head)
        _put(ws, row, 1, "信息内容", head)
        for j, col in enumerate(columns):
            _put(ws, row, 2 + j, col, head)
        for r_label, cells in rows:
            row += 1
            _put(ws, row, 0, "", label)
            _put(ws, row, 1, r_label, label)
            for j, cell in enumerate(cells):
                count = counts.get((cell["template"], cell["row_key"], cell["column_key"]))
                _counted(ws, row, 2 + j, cell["value"], count, fmt, cell["column_key"] in AMOUNT_COLUMNS)
        row += 2
    _legend(ws, row, fmt)
    _page_setup(ws, 1)


def _table3_head(ws: Any, fmt: dict[str, Any]) -> None:
    """Table 3's title, column widths and the three heading rows above its figures."""
    head = fmt["head"]
    _put(ws, 0, 0, "三、收到和处理政府信息公开申请情况", fmt["title"])
    ws.set_column(0, 0, 8)
    ws.set_column(1, 1, 14)
    ws.set_column(2, 2, 40)
    ws.set_column(3, 9, 11)
    _merge(ws, 2, 0, 4, 2, "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", head)
    _merge(ws, 2, 3, 2, 9, "申请人情况", head)
    _merge(ws, 3, 3, 4, 3, "自然人", head)
    _merge(ws, 3, 4, 3, 8, "法人或其他组织", head)
    _merge(ws, 3, 9, 4, 9, "总计", head)
    for j, col in enumerate(T3_VALUE_COLUMNS[1:6]):
        _put(ws, 4, 4 + j, col, head)


def _table3_sheet(ws: Any, c: Consolidation, fmt: dict[str, Any]) -> None:
    """Table 3 as printed by the year's template: three label columns (section, group, item) and the
    seven applicant columns; exactly the template's rows."""
    label = fmt["label"]
    _table3_head(ws, fmt)
    first = 5
    printed = c.t3_rows
    values = {(r, col): cell.value for (r, col), cell in c.cells.items()}
    counts = table3_counts(c)
    outcome_rows = [i for i, r in enumerate(printed) if r.group]
    _merge(ws, first + outcome_rows[0], 0, first + outcome_rows[-1], 0, "三、本年度办理结果", label)
    for group, members in groupby(enumerate(printed), key=lambda ir: ir[1].group):
        members = list(members)
        if group in T3_GROUP_LABELS:
            top, bottom = first + members[0][0], first + members[-1][0]
            if top == bottom:
                _put(ws, top, 1, T3_GROUP_LABELS[group], label)
            else:
                _merge(ws, top, 1, bottom, 1, T3_GROUP_LABELS[group], label)
    for i, r in enumerate(printed):
        y = first + i
        if not r.group:
            _merge(ws, y, 0, y, 2, r.label, label)
        elif r.group in T3_GROUP_LABELS:
            _put(ws, y, 2, r.label, label)
        else:
            _merge(ws, y, 1, y, 2, r.label, label)
        for j, col in enumerate(T3_COLUMNS):
            _counted(ws, y, 3 + j, values.get((r.key, col)), counts.get((r.key, col)), fmt)
    _legend(ws, first + len(printed) + 1, fmt)
    _page_setup(ws, first)


def _table4_sheet(ws: Any, c: Consolidation, fmt: dict[str, Any]) -> None:
    """Table 4 as printed: review and the two kinds of lawsuit, five outcomes each, in one row."""
    head = fmt["head"]
    _put(ws, 0, 0, "四、政府信息公开行政复议、行政诉讼情况", fmt["title"])
    ws.set_column(0, 14, 10)
    _merge(ws, 2, 0, 3, 4, "行政复议", head)
    _merge(ws, 2, 5, 2, 14, "行政诉讼", head)
    _merge(ws, 3, 5, 3, 9, "未经复议直接起诉", head)
    _merge(ws, 3, 10, 3, 14, "复议后起诉", head)
    counts = table4_counts(c)
    for j, r in enumerate(c.table4.dicts()):
        _put(ws, 4, j, r["outcome_label_zh"], head)
        _counted(ws, 5, j, r["cases"], counts.get(r["cell_key"]), fmt)
    _legend(ws, 7, fmt)
    _page_setup(ws, 5)


def _frame_value(column: str, value: Any) -> Any:
    """A completeness or year-on-year value as a cell: codes in Chinese, figures stay numbers."""
    if column == "status":
        return STATUS_ZH.get(value, value)
    if column == "agency_kind":
        return KIND_ZH.get(value, value)
    if column == "table_name":
        return TABLE_ZH.get(value, value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is not None and hasattr(value, "isoformat"):
        return value.isoformat()
    return number(value)


def _frame_sheet(ws: Any, frame: Frame, headings: dict[str, str], fmt: dict[str, Any]) -> None:
    """A query's rows under Chinese headings (completeness, year on year): figures as numbers,
    a blank as a blank cell."""
    for j, col in enumerate(frame.columns):
        _put(ws, 0, j, headings.get(col, col), fmt["head"])
        ws.set_column(j, j, 40 if col in ("agency_name", "reason", "项目") else 14)
    for i, row in enumerate(frame.rows, start=1):
        for j, v in enumerate(row):
            col = frame.columns[j]
            value = reason_zh(v) if col == "reason" else _frame_value(col, v)
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                cell_fmt = fmt["pct"] if col == "change_pct" else fmt["int"]
                if col in ("last_loaded_year",):
                    cell_fmt = fmt["label"]
            else:
                cell_fmt = fmt["label"]
            _put(ws, i, j, value, cell_fmt)
    _page_setup(ws, 1)


def _checks_sheet(ws: Any, c: Consolidation, fmt: dict[str, Any]) -> None:
    """R1–R3 on the consolidated table 3: one row per instance, violations first, in red."""
    headings = ("规则", "结果", "列/行", "规则说明", "左边", "右边", "空白单元格", "详情")
    widths = (6, 10, 24, 60, 10, 10, 10, 60)
    for j, (h, w) in enumerate(zip(headings, widths)):
        _put(ws, 0, j, h, fmt["head"])
        ws.set_column(j, j, w)
    order = {"fail": 0, "not_assessable": 1, "pass": 2}
    for i, k in enumerate(sorted(c.checks, key=lambda k: order[k.outcome]), start=1):
        text = fmt["fail"] if k.outcome == "fail" else fmt["label"]
        for j, v in enumerate((k.rule_id, k.outcome_zh, k.label_zh, k.message_zh)):
            _put(ws, i, j, v, text)
        _put(ws, i, 4, k.lhs, fmt["int"])
        _put(ws, i, 5, k.rhs, fmt["int"])
        _put(ws, i, 6, k.blanks, fmt["int"])
        _put(ws, i, 7, k.detail_zh, text)
    _page_setup(ws, 1)


def _rectification_sheet(ws: Any, c: Consolidation, fmt: dict[str, Any]) -> None:
    """The scope's open rectification items: agency, year, problem, status, due date; overdue in red."""
    widths = (6, 36, 6, 28, 60, 8, 12, 6)
    for j, (h, w) in enumerate(zip(RECTIFY_COLUMNS_ZH, widths)):
        _put(ws, 0, j, h, fmt["head"])
        ws.set_column(j, j, w)
    rows = rectification_rows(c)
    for i, row in enumerate(rows, start=1):
        text = fmt["fail"] if row[-1] else fmt["label"]
        for j, v in enumerate(row):
            _put(ws, i, j, v, fmt["int"] if j == 0 else (fmt["label"] if j == 2 else text))
    _put(ws, len(rows) + 2, 0, rectification_note(c), fmt["label"])
    _page_setup(ws, 1)

"""The consolidation as a Word document (python-docx) for the office's written report: a short header
(year, scope, reports summed), the three statutory tables in the printed layout with the workbook's
merged headings, the R1–R3 check of the consolidated table 3 and the completeness list.

A figure not every summed report filled in carries a superscript marker; the footnotes under its table
say how many reports had a number in it and how many left it blank. Text goes in as text: python-docx
never interprets it.
"""

from __future__ import annotations

from itertools import groupby
from pathlib import Path
from typing import Any

from tasks.consolidate.layout import (
    AMOUNT_COLUMNS,
    KIND_ZH,
    SCOPE_NOTE,
    STATUS_ZH,
    T3_VALUE_COLUMNS,
    CellCount,
    Footnotes,
    reason_zh,
    scope_label,
    shown,
    table2_counts,
    table2_printed,
    table3_counts,
    table4_counts,
)
from tasks.consolidate.read import Consolidation
from tasks.consolidate.rectification import COLUMNS_ZH as RECTIFY_COLUMNS_ZH
from tasks.consolidate.rectification import TITLE as RECTIFY_TITLE
from tasks.consolidate.rectification import rectification_note, rectification_rows
from tasks.keys import T3_COLUMNS, T3_GROUP_LABELS
from tasks.messages import completeness, expected_basis, t

T3_HEAD = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
COMPLETENESS_COLUMNS = ("状态", "机构", "类别", "应报", "发布日期", "法定期限", "逾期", "最近入库年度", "原因")
CHECK_COLUMNS = ("规则", "结果", "列/行", "规则说明", "详情")
T3_WIDTHS_CM = (2.0, 2.4, 7.0, *([2.0] * 7))  # section, group, item, seven figures: 25.4 of 26.1 cm
FONT_EAST_ASIA = "宋体"  # SimSun: what Word and WPS on Chinese Windows have; LibreOffice falls back to Noto CJK


def write_docx(c: Consolidation, path: Path) -> Path:
    """consolidation_<slug>.docx: header, tables 2–4 as printed, the R1–R3 check, completeness."""
    from docx import Document

    doc = Document()
    _page_and_fonts(doc)
    _header(doc, c)
    _table2(doc, c)
    _table3(doc, c)
    _table4(doc, c)
    _checks(doc, c)
    _completeness(doc, c)
    _rectification(doc, c)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _page_and_fonts(doc: Any) -> None:
    """A4 landscape (table 3 has ten columns), narrow margins; 宋体 for Chinese in every style used."""
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Number"):
        style = doc.styles[name]
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), FONT_EAST_ASIA)
        for attr in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme"):
            fonts.attrib.pop(qn(attr), None)
    doc.styles["Normal"].font.size = Pt(10.5)


def _cell(cell: Any, text: str, mark: str = "", bold: bool = False, right: bool = False, size: float = 9) -> None:
    """One table cell's text, with a superscript marker after a figure."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = cell.paragraphs[0]
    for run in list(p.runs):
        run._r.getparent().remove(run._r)
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    if mark:
        sup = p.add_run(mark)
        sup.font.superscript = True
        sup.font.size = Pt(size)
    if right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif bold:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _merged(table: Any, r0: int, c0: int, r1: int, c1: int, text: str, bold: bool = True) -> None:
    cell = table.cell(r0, c0)
    if (r0, c0) != (r1, c1):
        cell = cell.merge(table.cell(r1, c1))
    _cell(cell, text, bold=bold)


def _grid(doc: Any, rows: int, cols: int, widths_cm: tuple[float, ...] = (), header_rows: int = 1) -> Any:
    """A bordered table; its header rows repeat on every page; column widths when given."""
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = doc.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    for row in table.rows[:header_rows]:
        trpr = row._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:tblHeader"), {}))
    if widths_cm:
        table.autofit = False
        for j, w in enumerate(widths_cm):
            table.columns[j].width = Cm(w)
            for cell in table.columns[j].cells:
                cell.width = Cm(w)
    return table


def _figure(table: Any, r: int, col: int, value: Any, count: CellCount | None, notes: Footnotes, amount=False):
    """A consolidated figure with its marker; a cell no report filled in shows a dash (blank, not 0)."""
    text = shown(value, amount)
    if value is None and count is not None:
        text = "—"  # no summed report printed a number: blank, not 0
    _cell(table.cell(r, col), text, notes.mark(count), right=True)


def _footnotes(doc: Any, c: Consolidation, notes: Footnotes) -> None:
    from docx.shared import Pt

    for line in notes.lines(c.header["reports_summed"]):
        doc.add_paragraph(line).runs[0].font.size = Pt(9)


def _header(doc: Any, c: Consolidation) -> None:
    h = c.header
    doc.add_heading("政府信息公开工作年度报告汇总", level=0)
    doc.add_paragraph(f"{scope_label(h)}　汇总标识 {h['consolidation_key']}　生成于 {str(h['consolidated_at'])[:19]}")
    doc.add_paragraph(
        f"汇总了 {h['reports_summed']:,} 份报告（上年 {h['reports_summed_prior_year']:,} 份）；"
        f"{_completeness_line(h)}；仅有隔离报告的机构 {h['agencies_quarantined']:,} 个。"
    )
    failed = [k for k in c.checks if k.outcome == "fail"]
    doc.add_paragraph(f"汇总后的表三按 R1–R3 检查：{len(failed)} 处不成立" + ("，见“勾稽检查”。" if failed else "。"))
    doc.add_paragraph(SCOPE_NOTE)


def _table2(doc: Any, c: Consolidation) -> None:
    doc.add_heading("二、主动公开政府信息情况", level=1)
    counts = table2_counts(c)
    notes = Footnotes()
    for template, item, columns, rows in table2_printed(c.table2):
        doc.add_paragraph(f"{item}（{template}年模板）")
        table = _grid(doc, 1 + len(rows), 1 + len(columns), (5.0, *([4.5] * len(columns))))
        for j, col in enumerate(["信息内容", *columns]):
            _cell(table.cell(0, j), col, bold=True)
        for i, (label, cells) in enumerate(rows, start=1):
            _cell(table.cell(i, 0), label)
            for j, cell in enumerate(cells, start=1):
                count = counts.get((cell["template"], cell["row_key"], cell["column_key"]))
                _figure(table, i, j, cell["value"], count, notes, cell["column_key"] in AMOUNT_COLUMNS)
    _footnotes(doc, c, notes)


def _table3(doc: Any, c: Consolidation) -> None:
    """Table 3 as the workbook prints it: three label columns (section, group, item), seven figures."""
    doc.add_heading("三、收到和处理政府信息公开申请情况", level=1)
    printed = c.t3_rows
    first = 3
    table = _grid(doc, first + len(printed), 10, T3_WIDTHS_CM, header_rows=first)
    _merged(table, 0, 0, 2, 2, T3_HEAD)
    _merged(table, 0, 3, 0, 9, "申请人情况")
    _merged(table, 1, 3, 2, 3, "自然人")
    _merged(table, 1, 4, 1, 8, "法人或其他组织")
    _merged(table, 1, 9, 2, 9, "总计")
    for j, col in enumerate(T3_VALUE_COLUMNS[1:6]):
        _cell(table.cell(2, 4 + j), col, bold=True)
    outcome_rows = [i for i, r in enumerate(printed) if r.group]
    _merged(table, first + outcome_rows[0], 0, first + outcome_rows[-1], 0, "三、本年度办理结果", bold=False)
    for group, members in groupby(enumerate(printed), key=lambda ir: ir[1].group):
        members = list(members)
        if group in T3_GROUP_LABELS:
            _merged(table, first + members[0][0], 1, first + members[-1][0], 1, T3_GROUP_LABELS[group], bold=False)
    values = {k: cell.value for k, cell in c.cells.items()}
    counts = table3_counts(c)
    notes = Footnotes()
    for i, r in enumerate(printed):
        y = first + i
        if not r.group:
            _merged(table, y, 0, y, 2, r.label, bold=False)
        elif r.group in T3_GROUP_LABELS:
            _cell(table.cell(y, 2), r.label)
        else:
            _merged(table, y, 1, y, 2, r.label, bold=False)
        for j, k in enumerate(T3_COLUMNS):
            _figure(table, y, 3 + j, values.get((r.key, k)), counts.get((r.key, k)), notes)
    _footnotes(doc, c, notes)


def _table4(doc: Any, c: Consolidation) -> None:
    doc.add_heading("四、政府信息公开行政复议、行政诉讼情况", level=1)
    table = _grid(doc, 4, 15, header_rows=3)
    _merged(table, 0, 0, 1, 4, "行政复议")
    _merged(table, 0, 5, 0, 14, "行政诉讼")
    _merged(table, 1, 5, 1, 9, "未经复议直接起诉")
    _merged(table, 1, 10, 1, 14, "复议后起诉")
    counts = table4_counts(c)
    notes = Footnotes()
    for j, r in enumerate(c.table4.dicts()):
        _cell(table.cell(2, j), r["outcome_label_zh"], bold=True)
        _figure(table, 3, j, r["cases"], counts.get(r["cell_key"]), notes)
    _footnotes(doc, c, notes)


def _checks(doc: Any, c: Consolidation) -> None:
    """R1–R3 on the consolidated table 3: every instance that does not hold (or cannot be judged)."""
    doc.add_heading("勾稽检查（汇总后的表三，R1–R3）", level=1)
    shown_checks = [k for k in c.checks if k.outcome != "pass"]
    passed = len(c.checks) - len(shown_checks)
    doc.add_paragraph(
        f"共检查 {len(c.checks):,} 处，{passed:,} 处成立；下列各处不成立或无法判断。"
        "部分报告空白的单元格未按 0 计，可能使汇总后的等式不成立，详情中注明了空白单元格数。"
    )
    if not shown_checks:
        return
    table = _grid(doc, 1 + len(shown_checks), len(CHECK_COLUMNS))
    for j, col in enumerate(CHECK_COLUMNS):
        _cell(table.cell(0, j), col, bold=True)
    for i, k in enumerate(shown_checks, start=1):
        for j, v in enumerate((k.rule_id, k.outcome_zh, k.label_zh, k.message_zh, k.detail_zh)):
            _cell(table.cell(i, j), v)


def _completeness_line(h: dict[str, Any]) -> str:
    """应报 y 个，已报 x 个（按期 a，逾期 b），已报但被隔离 q 个，未报 m 个."""
    (e, expected), (r, reported), (o, on_time), (la, late), (q, quarantined), (m, missing) = completeness(h)
    return (
        f"{e} {expected or 0:,} 个，{r} {reported or 0:,} 个（{o} {on_time or 0:,}，{la} {late or 0:,}），"
        f"{q} {quarantined or 0:,} 个，{m} {missing or 0:,} 个"
    )


def _completeness(doc: Any, c: Consolidation) -> None:
    """Every report of the year in scope and every expected agency without one."""
    h = c.header
    doc.add_heading("完整性：应报、已报、未报送、已隔离", level=1)
    agencies = c.agencies.dicts()
    by_status = {s: sum(1 for a in agencies if a["status"] == s) for s in STATUS_ZH}
    doc.add_paragraph(
        f"{_completeness_line(h)}（{t('completeness.basis')}：{expected_basis(h)}）；"
        f"已汇总报告 {by_status['summed']:,} 份；已隔离报告 {by_status['quarantined']:,} 份；"
        f"同年另有报告而未汇总 {by_status['not_summed_duplicate']:,} 份。"
    )
    table = _grid(doc, 1 + len(agencies), len(COMPLETENESS_COLUMNS))
    for j, col in enumerate(COMPLETENESS_COLUMNS):
        _cell(table.cell(0, j), col, bold=True)
    for i, a in enumerate(agencies, start=1):
        values = (
            STATUS_ZH.get(a["status"], a["status"]),
            a["agency_name"],
            KIND_ZH.get(a["agency_kind"], a["agency_kind"] or ""),
            "是" if a["expected"] else "",
            a["publication_date"].isoformat() if a["publication_date"] else "",
            a["deadline"].isoformat() if a["deadline"] else "",
            {True: "逾期", False: ""}.get(a["published_late"], ""),
            str(a["last_loaded_year"] or ""),
            reason_zh(a["reason"]) or "",
        )
        for j, v in enumerate(values):
            _cell(table.cell(i, j), v)


def _rectification(doc: Any, c: Consolidation) -> None:
    """The scope's open rectification items: what each agency still has to correct, and by when."""
    doc.add_heading(RECTIFY_TITLE, level=1)
    doc.add_paragraph(rectification_note(c))
    rows = rectification_rows(c)
    if not rows:
        return
    table = _grid(doc, 1 + len(rows), len(RECTIFY_COLUMNS_ZH))
    for j, col in enumerate(RECTIFY_COLUMNS_ZH):
        _cell(table.cell(0, j), col, bold=True)
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            _cell(table.cell(i, j), "" if v is None else str(v), right=j in (0, 2))

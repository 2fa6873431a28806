"""One grid policy for merged cells in every reader: a number printed in a merged cell is read
once, at its origin (top-left) cell; a label spanning rows is repeated down its first column;
spans never reach beyond the table, however large the printed span attribute."""

from __future__ import annotations

import io
import time

import docx
from docx.oxml.ns import qn
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from tasks.read import Document, read_document
from tasks.read.grid import MAX_SPAN, clamp_span, covered_text


def grid(doc: Document) -> list[list[str]]:
    """The texts of every table row the reader produced, row by row."""
    return [[c.text for c in b.cells] for b in doc.blocks if b.kind == "row"]


def count(rows: list[list[str]], text: str) -> int:
    return sum(row.count(text) for row in rows)


def docx_bytes(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_policy_keeps_a_number_at_its_origin_and_a_label_down_its_first_column() -> None:
    assert covered_text("37", first_row=True, first_col=True) == "37"
    assert covered_text("37", first_row=False, first_col=True) == ""
    assert covered_text("（三）不予公开", first_row=False, first_col=True) == "（三）不予公开"
    assert covered_text("（三）不予公开", first_row=True, first_col=False) == ""
    assert clamp_span(300_000_000, 4) == 4 and clamp_span(0, 4) == 1 and clamp_span(2, 4) == 2


def test_html_row_spanned_number_is_read_once() -> None:
    html = (
        "<html><body><table>"
        "<tr><td>项目</td><td>件数</td><td>其他</td></tr>"
        '<tr><td rowspan="2">申请</td><td rowspan="2">37</td><td>4</td></tr>'
        "<tr><td>5</td></tr>"
        "</table></body></html>"
    )
    rows = grid(read_document(html.encode(), "spans.html"))
    assert rows == [["项目", "件数", "其他"], ["申请", "37", "4"], ["申请", "", "5"]]
    assert count(rows, "37") == 1


def test_docx_vertically_merged_number_is_read_once() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for r, (label, value, other) in enumerate([("项目", "件数", "其他"), ("申请", "", "4"), ("", "", "5")]):
        table.cell(r, 0).text, table.cell(r, 1).text, table.cell(r, 2).text = label, value, other
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(1, 1).merge(table.cell(2, 1)).text = "37"
    rows = grid(read_document(docx_bytes(document), "merged.docx"))
    assert rows == [["项目", "件数", "其他"], ["申请", "37", "4"], ["申请", "", "5"]]
    assert count(rows, "37") == 1


def test_pdf_number_spanning_two_ruled_rows_is_read_once() -> None:
    out = io.BytesIO()
    data = [["item", "count", "other"], ["requests", "37", "4"], ["", "", "5"]]
    table = Table(data, colWidths=[120, 80, 80], rowHeights=24)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.75, "black"),
                ("SPAN", (0, 1), (0, 2)),  # the label over two rows
                ("SPAN", (1, 1), (1, 2)),  # the number over two rows
            ]
        )
    )
    SimpleDocTemplate(out, pagesize=A4).build([table])
    doc = read_document(out.getvalue(), "spans.pdf")
    rows = grid(doc)
    assert rows == [["item", "count", "other"], ["requests", "37", "4"], ["requests", "", "5"]]
    assert count(rows, "37") == 1
    assert all(c.page == 1 and c.bbox is not None for b in doc.blocks if b.kind == "row" for c in b.cells)


def test_docx_huge_grid_span_is_clamped_to_the_table() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for c, text in enumerate(["项目", "件数", "其他"]):
        table.cell(0, c).text = text
    table.cell(1, 0).text, table.cell(1, 1).text, table.cell(2, 0).text = "申请", "37", "9"
    tr = table.rows[1]._tr
    tr.remove(tr.tc_lst[2])  # the row's last cell spans the rest of the grid, printed absurdly
    tcpr = tr.tc_lst[1].get_or_add_tcPr()
    tcpr.append(tcpr.makeelement(qn("w:gridSpan"), {qn("w:val"): "300000000"}))
    skipped = table.rows[2]._tr
    for tc in skipped.tc_lst[1:]:
        skipped.remove(tc)  # one cell after an absurd count of skipped grid columns
    trpr = skipped.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:gridBefore"), {qn("w:val"): "300000000"}))
    started = time.perf_counter()
    rows = grid(read_document(docx_bytes(document), "huge.docx"))
    assert time.perf_counter() - started < 5
    assert max(len(r) for r in rows) <= 4  # three declared columns, one more for the skipped row
    assert rows[1][:3] == ["申请", "37", ""] and count(rows, "37") == 1


def test_html_huge_spans_are_clamped_to_the_table() -> None:
    html = '<table><tr><td rowspan="300000000">申请</td><td colspan="300000000">37</td></tr><tr><td>5</td></tr></table>'
    rows = grid(read_document(html.encode(), "huge.html"))
    assert len(rows) == 2  # the rowspan stops at the last printed row
    assert len(rows[0]) == 1 + MAX_SPAN  # the colspan stops at MAX_SPAN columns
    assert rows[0][:2] == ["申请", "37"] and rows[1][:2] == ["申请", "5"]
    assert count(rows, "37") == 1

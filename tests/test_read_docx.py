"""The DOCX reader on the official 2021 template, blank and filled with the real reports'
hand-checked numbers, on small documents built for one feature each, and on broken files."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import CORPUS
from render import COLUMNS, TABLE4_KEYS, render_docx, table2_printed, table3_printed, table4_printed

from tasks.read import Document, UnreadableDocument, read_document, read_path
from tasks.read.docx import read

TEMPLATE = CORPUS / "reference" / "national-template-2021-blank.docx"
# The real 2021-table PDF reports whose truth fills the template, by name: a glob of the corpus
# would collect no case where it is missing; here each case fails (the `corpus` fixture).
FILLED = ("2023_huaian-hongze-district-gov.json", "2024_huaian-city-gov.json", "2024_huaian-hongze-district-gov.json")


def truth(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def template(corpus) -> Path:
    """The official blank 2021 template (render_docx fills it too): a missing corpus fails the test."""
    assert TEMPLATE.is_file(), f"{TEMPLATE} is missing"
    return TEMPLATE


def texts(block) -> list[str]:
    return [c.text for c in block.cells]


def rows_of(doc: Document, table: int) -> list:
    return [b for b in doc.blocks if b.kind == "row" and b.table == table]


def saved(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- the official template -------------------------------------------------------------------


def test_template_grids_have_the_official_shapes(template) -> None:
    doc = read_path(template)
    shapes = [(len(rows_of(doc, t)), {len(r.cells) for r in rows_of(doc, t)}) for t in range(3)]
    assert shapes == [(14, {4}), (28, {10}), (4, {15})]
    assert {b.table for b in doc.blocks if b.kind == "row"} == {0, 1, 2}


def test_paragraphs_and_tables_keep_document_order(template) -> None:
    blocks = read_path(template).blocks
    kinds = [(b.kind, b.table) for b in blocks]
    heading = [b.cells[0].text for b in blocks].index
    assert kinds.index(("row", 0)) == heading("二、主动公开政府信息情况") + 1
    assert kinds.index(("row", 1)) == heading("三、收到和处理政府信息公开申请情况") + 1
    assert kinds.index(("row", 2)) == heading("四、政府信息公开行政复议、行政诉讼情况") + 1
    assert blocks[-1].cells[0].text == "（文字描述，收取信息处理费情况在此处报告。）"


def test_vertical_merge_repeats_the_label_on_every_row_it_spans(template) -> None:
    rows = rows_of(read_path(template), 1)
    assert [texts(r)[0] for r in rows[5:27]] == ["三、本年度办理结果"] * 22
    assert [texts(r)[1] for r in rows[7:15]] == ["（三）不予公开"] * 8
    assert texts(rows[2])[3] == "自然人" and texts(rows[2])[9] == "总计"  # header cells merged down


def test_horizontal_span_puts_the_text_first_and_blanks_after(template) -> None:
    rows = rows_of(read_path(template), 1)
    assert texts(rows[3])[:3] == ["一、本年新收政府信息公开申请数量", "", ""]
    assert texts(rows[0])[3:] == ["申请人情况"] + [""] * 6


def test_blank_template_values_are_empty_not_ideographic_spaces(template) -> None:
    rows = rows_of(read_path(template), 0)
    assert texts(rows[2]) == ["规章", "", "", ""]  # the template holds "\u3000\u3000" there


def test_cells_have_no_page_or_bbox_before_layout(template) -> None:
    doc = read_path(template)
    assert doc.format == "docx"
    assert sum(len(b.cells) for b in doc.blocks) > 300
    assert all(c.page is None and c.bbox is None for b in doc.blocks for c in b.cells)


# --- the template filled with real numbers ---------------------------------------------------


def test_the_filled_reports_are_every_2021_table_pdf_of_the_corpus(corpus) -> None:
    truths = [truth(p) for p in sorted((corpus / "real" / "truth").glob("*.json"))]
    pdfs_2021 = [
        f"{Path(t['source']).stem}.json" for t in truths if t["template"] == "2021" and t["source"].endswith(".pdf")
    ]
    assert pdfs_2021 == sorted(FILLED)


@pytest.mark.parametrize("name", FILLED, ids=lambda n: Path(n).stem)
def test_filled_template_reads_back_the_printed_numbers(tmp_path, corpus, name: str) -> None:
    record = truth(corpus / "real" / "truth" / name)
    doc = read_path(render_docx(record, tmp_path / "report.docx"))
    table3 = [texts(r)[3:] for r in rows_of(doc, 1)[3:]]
    expected = table3_printed(record)
    if "other_no_amendment" not in record["table3"]:  # the single (六) row fills the first of three
        expected = expected[:21] + [[""] * 7] * 2 + expected[21:]
    assert table3 == expected
    assert texts(rows_of(doc, 2)[3]) == table4_printed(record)
    table2 = rows_of(doc, 0)
    values = [*texts(table2[2])[1:], *texts(table2[3])[1:]] + [texts(table2[r])[1] for r in (6, 9, 10, 13)]
    assert values == table2_printed(record)
    assert doc.title == f"{record['agency']}{record['report_year']}年政府信息公开工作年度报告"


def test_new_requests_row_of_the_filled_template_matches_the_truth(corpus, tmp_path) -> None:
    record = truth(corpus / "real" / "truth" / "2024_huaian-city-gov.json")
    doc = read_path(render_docx(record, tmp_path / "report.docx"))
    row = next(r for r in rows_of(doc, 1) if "本年新收" in r.cells[0].text)
    assert texts(row)[3:] == [str(record["table3"]["new_requests"][c]) for c in COLUMNS]


def test_blank_values_stay_blank_in_their_column(corpus, tmp_path) -> None:
    record = truth(corpus / "real" / "truth" / "2024_huaian-city-gov.json")
    record["table3"]["granted"]["research"] = None
    record["table4"]["review_total"] = None
    doc = read_path(render_docx(record, tmp_path / "report.docx"))
    assert texts(rows_of(doc, 1)[5])[3:] == ["1288", "21", "", "0", "50", "3", "1362"]
    assert texts(rows_of(doc, 2)[3])[TABLE4_KEYS.index("review_total")] == ""


# --- small documents, one feature each -------------------------------------------------------


def test_vertically_merged_number_is_given_once_and_label_repeated() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for r, (label, value) in enumerate([("甲", "5"), ("", ""), ("乙", "7")]):
        table.cell(r, 0).text, table.cell(r, 2).text = label, value
    table.cell(0, 0).merge(table.cell(1, 0))  # label over two rows
    table.cell(0, 2).merge(table.cell(1, 2))  # one number over two rows
    rows = rows_of(read(saved(document), "merged.docx"), 0)
    assert [texts(r) for r in rows] == [["甲", "", "5"], ["甲", "", ""], ["乙", "", "7"]]


def test_nested_table_rows_follow_the_row_that_holds_them() -> None:
    document = docx.Document()
    outer = document.add_table(rows=2, cols=2)
    outer.cell(0, 0).text, outer.cell(1, 0).text = "外一", "外二"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "内", "9"
    blocks = read(saved(document), "nested.docx").blocks
    assert [(texts(b), b.table) for b in blocks] == [
        (["外一", ""], 0),
        (["内", "9"], 1),
        (["外二", ""], 0),
    ]


def test_one_column_frame_is_read_as_its_content() -> None:
    document = docx.Document()
    frame = document.add_table(rows=1, cols=1)
    frame.cell(0, 0).text = "框内文字"
    grid = frame.cell(0, 0).add_table(rows=1, cols=2)
    grid.cell(0, 0).text, grid.cell(0, 1).text = "规章", "3"
    document.add_paragraph("框后文字")
    blocks = read(saved(document), "frame.docx").blocks
    assert [(b.kind, texts(b), b.table) for b in blocks] == [
        ("line", ["框内文字"], None),
        ("row", ["规章", "3"], 0),
        ("line", ["框后文字"], None),
    ]


def test_cell_and_line_text_drop_cjk_spacing_but_keep_spaces_between_words() -> None:
    document = docx.Document()
    document.add_paragraph("2024 年 1 月\u3000共 3119 件 Word Press")
    run = document.add_paragraph("第一行").add_run()
    run.add_break()
    run.add_text("第二行")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "商业\n企业"  # python-docx writes a line break inside the run
    table.cell(0, 1).paragraphs[0].text = "3119"
    table.cell(0, 1).add_paragraph("52")  # a number wrapped onto a second paragraph
    blocks = read(saved(document), "spacing.docx").blocks
    assert [texts(b) for b in blocks] == [
        ["2024年1月共3119件Word Press"],
        ["第一行"],
        ["第二行"],
        ["商业企业", "311952"],
    ]


def test_document_text_holds_every_line_and_each_merged_cell_once(corpus, tmp_path) -> None:
    record = truth(corpus / "real" / "truth" / "2024_huaian-city-gov.json")
    text = read_path(render_docx(record, tmp_path / "report.docx")).text
    assert text.splitlines()[0] == "淮安市人民政府2024年政府信息公开工作年度报告"
    assert text.count("三、本年度办理结果") == 1
    assert "一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119" in text


# --- files that are not Word documents -------------------------------------------------------


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "make",
    [
        lambda template: template()[: len(template()) // 2],
        lambda _: zipped({"[Content_Types].xml": b"<Types/>", "word/readme.txt": b"x"}),
        lambda _: zipped({"hello.txt": b"not office"}),
        lambda _: b"PK\x03\x04 not really a zip",
    ],
    ids=["truncated", "no-main-part", "plain-zip", "bad-zip"],
)
def test_damaged_or_foreign_package_is_rejected_naming_the_file(request, make) -> None:
    data = make(lambda: request.getfixturevalue("template").read_bytes())  # the corpus only where used
    with pytest.raises(UnreadableDocument) as err:
        read(data, "report.docx")
    assert err.value.status == "rejected"
    assert err.value.reason.startswith("report.docx: not a valid Word (.docx) package (")


def test_truncated_docx_is_rejected_through_the_format_sniffer(template) -> None:
    data = template.read_bytes()
    with pytest.raises(UnreadableDocument) as err:
        read_document(data[: len(data) // 2], "half.docx")
    assert err.value.status == "rejected" and "half.docx" in err.value.reason

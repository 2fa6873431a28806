"""The PDF reader on the real reports (against their hand-checked truth), on reports rendered
from known records, and on files it must refuse with a clear status."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from cdp import chromium
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render import (
    COLUMNS,
    TABLE4_KEYS,
    Rules,
    docx_to_pdf,
    render_docx,
    render_pdf,
    table2_printed,
    table3_keys,
    table3_printed,
    table4_printed,
)
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from tasks.evaluate import DocScore, score
from tasks.parse import parse_record
from tasks.read import Document, UnreadableDocument, read_document, read_path
from tasks.read.pdf import read

# The real PDF reports the per-report tests run on, by name: a parametrisation over a glob of the
# corpus would collect no case where the corpus is missing; here each case fails instead (the
# `corpus` fixture), and test_the_tested_pdfs_are_every_pdf_of_the_corpus keeps the list complete.
REAL_PDFS = ("2023_huaian-hongze-district-gov.pdf", "2024_huaian-city-gov.pdf", "2024_huaian-hongze-district-gov.pdf")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
TABLE2_LABELS = {  # printed label → how many values its row prints (2021 table 2)
    "规章": 3, "行政规范性文件": 3, "行政许可": 1, "行政处罚": 1, "行政强制": 1, "行政事业性收费": 1,
}  # fmt: skip


def truth(pdf: Path) -> dict:
    return json.loads((pdf.parent / "truth" / f"{pdf.stem}.json").read_text(encoding="utf-8"))


@pytest.fixture(params=REAL_PDFS, ids=lambda name: Path(name).stem)
def pdf(request, corpus) -> Path:
    """One of the real PDF reports of the shared corpus."""
    path = corpus / "real" / request.param
    assert path.is_file(), f"{request.param} is missing from {corpus / 'real'}"
    return path


@pytest.fixture
def a_real_pdf(corpus) -> Path:
    return corpus / "real" / REAL_PDFS[0]


@cache
def read_real(pdf: Path) -> Document:
    """Each real PDF is read once per test session (about half a second each)."""
    return read_path(pdf)


def texts(block) -> list[str]:
    return [c.text for c in block.cells]


def table_of(doc: Document, fragment: str) -> int:
    """Index of the first table with a cell containing `fragment`."""
    return next(b.table for b in doc.blocks if b.kind == "row" and any(fragment in c.text for c in b.cells))


def rows_of(doc: Document, table: int) -> list:
    return [b for b in doc.blocks if b.kind == "row" and b.table == table]


def value_rows(rows: list, first_value: int) -> list:
    """Rows whose cells from `first_value` on are numbers or blank (a label row, not a header)."""
    out = []
    for row in rows:
        values = texts(row)[first_value:]
        if any(texts(row)) and all(v == "" or NUMBER.fullmatch(v) for v in values):
            out.append(row)
    return out


def table3_rows(doc: Document) -> list:
    return value_rows(rows_of(doc, table_of(doc, "本年新收")), 3)


def row_with(rows: list, fragment: str):
    return next(r for r in rows if any(fragment in c.text for c in r.cells))


# --- the real reports ------------------------------------------------------------------------


def test_the_tested_pdfs_are_every_pdf_of_the_corpus(corpus) -> None:
    assert sorted(p.name for p in (corpus / "real").glob("*.pdf")) == sorted(REAL_PDFS)
    assert all((corpus / "real" / "truth" / f"{Path(n).stem}.json").is_file() for n in REAL_PDFS)


def test_every_table3_row_has_ten_cells(pdf: Path) -> None:
    rows = rows_of(read_real(pdf), table_of(read_real(pdf), "本年新收"))
    assert rows and all(len(r.cells) == 10 for r in rows)


def test_new_requests_row_carries_the_printed_values_in_order(pdf: Path) -> None:
    row = row_with(rows_of(read_real(pdf), table_of(read_real(pdf), "本年新收")), "本年新收")
    expected = [str(truth(pdf)["table3"]["new_requests"][c]) for c in COLUMNS]
    assert texts(row)[3:] == expected


def test_all_table3_rows_come_out_across_the_page_break_in_printed_order(pdf: Path) -> None:
    record = truth(pdf)
    rows = table3_rows(read_real(pdf))
    assert len(rows) == len(table3_keys(record))  # 25 rows (2021), 23 (single (六) row)
    assert [texts(r)[3:] for r in rows] == table3_printed(record)


def test_table3_continues_on_the_next_page_under_one_table_index(pdf: Path) -> None:
    doc = read_real(pdf)
    rows = rows_of(doc, table_of(doc, "本年新收"))
    pages = sorted({c.page for r in rows for c in r.cells})
    assert len(pages) == 2 and pages[1] == pages[0] + 1
    assert any("结转下年度" in c.text for c in rows[-1].cells)  # the last row is in the same table


def test_vertical_label_is_joined_and_repeated_on_every_row_it_spans(pdf: Path) -> None:
    rows = table3_rows(read_real(pdf))
    outcome_rows = rows[2:-1]  # 予以公开 … 总计
    assert [texts(r)[0] for r in outcome_rows] == ["三、本年度办理结果"] * len(outcome_rows)


def test_label_cut_by_the_page_break_is_whole_on_both_pages(pdf: Path) -> None:
    # in all three reports the page break falls inside the (四)无法提供 group
    rows = table3_rows(read_real(pdf))
    group = [row_with(rows, leaf) for leaf in ("1.本机关不掌握", "2.没有现成信息", "3.补正后申请")]
    assert len({r.cells[3].page for r in group}) == 2
    assert [texts(r)[1] for r in group] == ["（四）无法提供"] * 3


def test_table4_row_has_the_fifteen_printed_values(pdf: Path) -> None:
    doc = read_real(pdf)
    rows = value_rows(rows_of(doc, table_of(doc, "行政复议")), 0)
    assert [texts(r) for r in rows] == [[str(truth(pdf)["table4"][k]) for k in TABLE4_KEYS]]


def test_table2_values_are_in_their_cells_with_spans_blank(pdf: Path) -> None:
    doc = read_real(pdf)
    rows = rows_of(doc, table_of(doc, "第二十条"))  # one table, though it crosses a page break
    found = []
    for label, count in TABLE2_LABELS.items():
        row = next(r for r in rows if r.cells[0].text == label)
        assert len(row.cells) == 4 and all(c.text == "" for c in row.cells[1 + count :])
        found += texts(row)[1 : 1 + count]
    assert found == table2_printed(truth(pdf))


def test_every_cell_has_a_page_and_a_bbox_on_that_page(pdf: Path) -> None:
    with pdfplumber.open(pdf) as source:
        sizes = [(page.width, page.height) for page in source.pages]
    blocks = read_real(pdf).blocks
    assert sum(len(b.cells) for b in blocks) > 300  # three tables and the prose
    for block in blocks:
        for cell in block.cells:
            x0, top, x1, bottom = cell.bbox
            width, height = sizes[cell.page - 1]
            assert 0 <= x0 < x1 <= width and 0 <= top < bottom <= height


def test_a_value_bbox_frames_the_printed_number(pdf: Path) -> None:
    row = row_with(table3_rows(read_real(pdf)), "本年新收")
    assert len(row.cells[3:]) == len(COLUMNS)
    with pdfplumber.open(pdf) as source:
        for cell in row.cells[3:]:
            framed = source.pages[cell.page - 1].crop(cell.bbox).extract_text()
            assert framed.strip() == cell.text


def test_headings_are_lines_between_the_tables_they_introduce(pdf: Path) -> None:
    blocks = read_real(pdf).blocks

    def first(predicate) -> int:
        return next(i for i, b in enumerate(blocks) if predicate(b))

    def line(text: str) -> int:
        return first(lambda b: b.kind == "line" and b.cells[0].text == text)

    def row(fragment: str) -> int:
        return first(lambda b: b.kind == "row" and any(fragment in c.text for c in b.cells))

    assert row("行政事业性收费") < line("三、收到和处理政府信息公开申请情况") < row("本年新收")
    assert row("结转下年度") < line("四、政府信息公开行政复议、行政诉讼情况") < row("行政复议")


def test_document_text_reads_the_prose_with_cjk_spacing_removed(corpus) -> None:
    doc = read_real(corpus / "real" / "2024_huaian-city-gov.pdf")
    assert doc.format == "pdf" and doc.source == "2024_huaian-city-gov.pdf"
    assert "淮安市人民政府\n2024年政府信息公开工作年度报告" in doc.text
    assert "统计期限自2024年1月1日至2024年12月31日" in doc.text  # printed "自 2024 年 1 月 1 日"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("2024_huaian-city-gov.pdf", "政府信息公开工作年度报告"),
        ("2023_huaian-hongze-district-gov.pdf", "洪泽区人民政府2023年政府信息公开工作年度报告"),
    ],
)
def test_title_comes_from_the_utf16le_metadata(corpus, name: str, title: str) -> None:
    assert read_real(corpus / "real" / name).title == title


# --- files the reader must refuse ------------------------------------------------------------


def scanned(pdf: Path) -> bytes:
    """The first page of a real report as an image-only PDF, like a scan."""
    image = pypdfium2.PdfDocument(pdf.read_bytes())[0].render(scale=1).to_pil()
    out = io.BytesIO()
    image.save(out, format="PDF")
    return out.getvalue()


def encrypted(user_password: str) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, encrypt=StandardEncryption(user_password, "owner-secret", canPrint=0))
    pdf.drawString(100, 700, "report 2024")
    pdf.save()
    return out.getvalue()


def test_image_only_pdf_needs_ocr(a_real_pdf) -> None:
    with pytest.raises(UnreadableDocument) as err:
        read(scanned(a_real_pdf), "scan.pdf")
    assert err.value.status == "needs_ocr"
    assert err.value.reason == "scan.pdf: no text layer (scanned?); needs OCR"


def test_password_protected_pdf_is_reported_encrypted() -> None:
    with pytest.raises(UnreadableDocument) as err:
        read(encrypted("secret"), "locked.pdf")
    assert err.value.status == "encrypted" and "locked.pdf" in err.value.reason


def test_pdf_with_only_an_owner_password_is_read() -> None:
    assert "report 2024" in read(encrypted(""), "permissions.pdf").text


def test_truncated_pdf_is_rejected_naming_the_file(a_real_pdf) -> None:
    data = a_real_pdf.read_bytes()
    with pytest.raises(UnreadableDocument) as err:
        read(data[: len(data) // 2], "half.pdf")
    assert err.value.status == "rejected"
    assert err.value.reason.startswith("half.pdf: ") and "truncated" in err.value.reason


def test_truncated_pdf_with_an_end_marker_is_rejected_as_malformed(a_real_pdf) -> None:
    data = a_real_pdf.read_bytes()
    with pytest.raises(UnreadableDocument) as err:
        read(data[: len(data) // 2] + b"\n%%EOF\n", "half.pdf")
    assert err.value.status == "rejected" and "half.pdf: malformed PDF" in err.value.reason


def test_pdf_header_over_garbage_is_rejected_as_malformed() -> None:
    with pytest.raises(UnreadableDocument) as err:
        read(b"%PDF-1.7\n" + b"not a pdf body " * 50 + b"\n%%EOF\n", "junk.pdf")
    assert err.value.status == "rejected" and "junk.pdf: malformed PDF" in err.value.reason


# --- reports rendered from known records ----------------------------------------------------


def record(table3: dict, table4: dict | None = None, table2: dict | None = None) -> dict:
    return {
        "agency": "测试县人民政府",
        "report_year": 2024,
        "table3": table3,
        "table4": table4 or {k: i for i, k in enumerate(TABLE4_KEYS)},
        "table2": table2
        or {
            "rules": {"issued": 0, "repealed": 1, "in_force": 2},
            "normative_documents": {"issued": 3, "repealed": 4, "in_force": 5},
            "licensing": {"decisions": 6},
            "penalty": {"decisions": 7},
            "coercion": {"decisions": 8},
            "fees": {"amount_10k_yuan": 9.5},
        },
    }


def numbered(split_other: bool = True) -> dict:
    """Table 3 where every cell holds a different number (row * 10 + column)."""
    keys = table3_keys({"table3": {"other_no_amendment": {}} if split_other else {}})
    return {key: {c: r * 10 + i for i, c in enumerate(COLUMNS)} for r, key in enumerate(keys)}


def check_round_trip(doc: Document, rec: dict) -> None:
    """The reader's rows hold exactly the rendered numbers, in order, in one table per grid."""
    rows = table3_rows(doc)
    assert [texts(r)[3:] for r in rows] == table3_printed(rec)
    assert len({r.table for r in rows}) == 1
    table4 = rows_of(doc, table_of(doc, "行政复议"))
    assert len(table4) == 4 and texts(table4[-1]) == table4_printed(rec)


@pytest.mark.parametrize("rows_per_page", [4, 6, 9, 14, 20, 27])
def test_rendered_table3_reads_back_wherever_the_page_breaks(tmp_path, pdf, rows_per_page) -> None:
    rec = truth(pdf)
    doc = read_path(render_pdf(rec, tmp_path / "r.pdf", rows_per_page=rows_per_page))
    check_round_trip(doc, rec)
    rows = table3_rows(doc)
    assert [texts(r)[0] for r in rows[2:-1]] == ["三、本年度办理结果"] * (len(rows) - 3)
    for leaf, group in [("1.属于国家秘密", "（三）不予公开"), ("8.属于行政查询事项", "（三）不予公开"),
                        ("3.补正后申请内容", "（四）无法提供"), ("5.要求行政机关确认", "（五）不予处理")]:  # fmt: skip
        assert texts(row_with(rows, leaf))[1] == group


def test_repeated_header_rows_are_read_once(tmp_path) -> None:
    rec = record(numbered())
    doc = read_path(render_pdf(rec, tmp_path / "r.pdf", rows_per_page=10, repeat_header=True))
    rows = rows_of(doc, table_of(doc, "本年新收"))
    assert len({c.page for r in rows for c in r.cells}) == 4  # 7 data rows a page under 3 header rows
    assert sum("申请人情况" in r.text for r in rows) == 1
    assert len(rows) == 3 + 25
    check_round_trip(doc, rec)


def test_table_with_no_bottom_border_above_the_page_break_keeps_its_last_row(tmp_path) -> None:
    rec = record(numbered(split_other=False))
    doc = read_path(render_pdf(rec, tmp_path / "r.pdf", rows_per_page=13, open_breaks=True))
    check_round_trip(doc, rec)


@pytest.mark.parametrize("open_breaks", [False, True])
def test_blank_value_below_a_header_cut_off_by_the_page_break_stays_blank(tmp_path, open_breaks: bool) -> None:
    table4 = {k: i for i, k in enumerate(TABLE4_KEYS)}
    table4["review_upheld"] = table4["litigation_direct_total"] = None
    rec = record(numbered(), table4)
    path = render_pdf(rec, tmp_path / "r.pdf", table4_rows_per_page=3, open_breaks=open_breaks)
    doc = read_path(path)
    rows = rows_of(doc, table_of(doc, "行政复议"))
    assert rows[-1].cells[0].page == rows[-2].cells[0].page + 1  # values alone on the next page
    check_round_trip(doc, rec)


def test_blank_cells_stay_blank_in_place(tmp_path) -> None:
    table3 = numbered()
    table3["granted"]["research"] = None
    table3["handled_total"]["total"] = None
    rec = record(table3)
    doc = read_path(render_pdf(rec, tmp_path / "r.pdf"))
    check_round_trip(doc, rec)
    assert texts(row_with(table3_rows(doc), "予以公开"))[5] == ""


def test_unruled_table_numbers_are_placed_by_word_positions(tmp_path) -> None:
    table3 = numbered()
    table3["carried_over_in"]["commercial"] = None
    rec = record(table3)
    doc = read_path(render_pdf(rec, tmp_path / "r.pdf", rows_per_page=None, ruled=False))
    rows = [r for r in doc.blocks if r.kind == "row" and r.table == table_of(doc, "本年新收")]
    values = [texts(r)[-7:] for r in value_rows(rows, len(rows[-1].cells) - 7)]
    assert values == table3_printed(rec)


counts = st.one_of(st.none(), st.integers(0, 9), st.integers(10, 9_999_999))


@st.composite
def records(draw) -> dict:
    split = draw(st.booleans())
    keys = table3_keys({"table3": {"other_no_amendment": {}} if split else {}})
    table3 = {k: {c: draw(counts) for c in COLUMNS} for k in keys}
    return record(table3, {k: draw(counts) for k in TABLE4_KEYS})


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rec=records(), data_rows=st.integers(5, 27), repeat=st.booleans(), open_breaks=st.booleans())
def test_any_rendered_record_reads_back(tmp_path, rec, data_rows, repeat, open_breaks) -> None:
    # at least 5 rows of a table on a page: a merged label then never covers a whole page
    # while its text is printed on a later one (which nothing on the page could tell apart)
    path = render_pdf(
        rec,
        tmp_path / "r.pdf",
        rows_per_page=data_rows + (3 if repeat else 0),
        repeat_header=repeat,
        open_breaks=open_breaks,
    )
    check_round_trip(read_path(path), rec)


@pytest.mark.libreoffice
def test_template_docx_converted_by_libreoffice_reads_back(tmp_path, corpus) -> None:
    rec = truth(corpus / "real" / "2024_huaian-city-gov.pdf")
    pdf = docx_to_pdf(render_docx(rec, tmp_path / "report.docx"), tmp_path)
    doc = read_path(pdf)
    check_round_trip(doc, rec)
    rows = rows_of(doc, table_of(doc, "本年新收"))
    assert len({c.page for r in rows for c in r.cells}) == 2  # LibreOffice breaks table 3 too
    assert doc.title == "淮安市人民政府2024年政府信息公开工作年度报告"


# --- rules as other producers draw them -------------------------------------------------------


@pytest.mark.parametrize(
    "rules",
    [
        Rules("fill", (0.0, 0.0, 0.0)),
        Rules("fill", (0.33, 0.33, 0.33), white_hairlines=True),
        Rules("path", (0.66, 0.66, 0.66)),
        Rules("path", (0.1, 0.2, 0.6), white_hairlines=True),
        Rules("stroke", (0.5, 0.0, 0.0), white_hairlines=True),
    ],
    ids=lambda r: f"{r.style}-{'-'.join(map(str, r.colour))}{'-white' if r.white_hairlines else ''}",
)
def test_tables_ruled_with_thin_fills_or_paths_in_any_colour_read_back(tmp_path, rules: Rules) -> None:
    """Borders filled as hairline rectangles or polygons (as a browser prints) are borders in any
    colour that shows; white hairlines across the cells are not (they would split every cell)."""
    rec = record(numbered())
    doc = read_path(render_pdf(rec, tmp_path / "r.pdf", rows_per_page=14, rules=rules))
    check_round_trip(doc, rec)


def test_cjk_radicals_from_a_pdf_font_map_read_as_ideographs() -> None:
    """Text copied out of a browser's PDF says ⼈⺠ (radicals sharing the glyph) for 人民."""
    doc = read_document("上海市⼈⺠政府办公厅2019年政府信息公开⼯作年度报告\n".encode(), "r.txt")
    assert doc.text.startswith("上海市人民政府办公厅2019年政府信息公开工作年度报告")


# --- real producers: Chromium's print-to-PDF and LibreOffice's PDF of the corpus web pages ----

REAL_HTML = ("2019_shanghai-gov-office.html", "2023_shuyang-county-drc.html")


@pytest.fixture(scope="session")
def printed_by_chromium(tmp_path_factory, corpus) -> dict[str, Path]:
    """Each web page of the corpus printed to PDF by headless Chromium (once per session)."""
    exe = chromium()
    if exe is None:
        pytest.fail("chromium is not installed (make system-deps)")
    out = tmp_path_factory.mktemp("chromium_pdf")
    pdfs = {}
    for name in REAL_HTML:
        pdf = out / (Path(name).stem + ".pdf")
        subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={out / 'profile'}",
             "--no-pdf-header-footer", f"--print-to-pdf={pdf}", (corpus / "real" / name).as_uri()],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        pdfs[name] = pdf
    return pdfs


def scored(path: Path, truth: dict) -> DocScore:
    return score(parse_record(read_path(path)), truth)


@pytest.mark.browser
@pytest.mark.parametrize("name", REAL_HTML)
def test_chromium_pdf_of_a_web_report_gives_the_cells_of_the_page(printed_by_chromium, corpus, name: str) -> None:
    """Chromium fills every border as a thin rectangle or polygon (grey, bevelled, one frame per
    cell with cellspacing) and clips a table wider than the paper: the same cells as the HTML."""
    truth = json.loads((corpus / "real" / "truth" / f"{Path(name).stem}.json").read_text(encoding="utf-8"))
    page = scored(corpus / "real" / name, truth)
    pdf = scored(printed_by_chromium[name], truth)
    assert pdf.cells_wrong == 0, pdf.wrong
    assert pdf.cells_right == page.cells_right == page.cells_total, pdf.wrong
    assert pdf.agency_ok and pdf.year_ok and pdf.template_ok


def _libreoffice_pdf(html: Path, out_dir: Path) -> Path:
    """LibreOffice's HTML import → PDF (the Writer filter)."""
    profile = Path("/tmp") / f"lo_profile_html_{os.getpid()}"
    subprocess.run(
        [
            shutil.which("soffice") or "soffice", f"-env:UserInstallation=file://{profile}", "--headless",
            "--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out_dir),
            str(html),
        ],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return out_dir / (html.stem + ".pdf")


@pytest.mark.libreoffice
def test_a_label_wrapped_over_the_page_break_keeps_the_rows_below_in_place(tmp_path, corpus) -> None:
    """LibreOffice's PDF of the Shuyang page breaks table 3 inside three row labels (2.其他法律行 |
    政法规禁止公开): the label's tail is not a row, so （七）总计 and 四 keep their own numbers."""
    name = "2023_shuyang-county-drc"
    truth = json.loads((corpus / "real" / "truth" / f"{name}.json").read_text(encoding="utf-8"))
    pdf = _libreoffice_pdf(corpus / "real" / f"{name}.html", tmp_path)
    got = parse_record(read_path(pdf))
    assert got.get("table3.handled_total.natural_person") == 26
    assert got.get("table3.carried_over_out.natural_person") == 0
    assert got.get("table3.denied_prohibited_by_law.total") == 0
    s = score(got, truth)
    assert s.cells_wrong == 0, s.wrong
    # table 4 is wider than the page: its last three columns are cut off, so it stays unread
    assert s.cells_missing == len([k for k in truth["table4"]]), s.wrong

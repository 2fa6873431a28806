"""Text exported with its layout (`pdftotext -layout`, pdfplumber's `extract_text(layout=True)`):
columns lined up with spaces, labels wrapped over lines, blank cells printed as nothing. Every
document here is made in the session from a real report of the corpus and scored against its
truth: no cell may be wrong, and the cells that stay null say which and why."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from cdp import chromium
from render import render_pdf

from tasks.evaluate import score
from tasks.parse import parse_document, parse_record
from tasks.read import read_document, read_path

REAL_PDFS = ("2023_huaian-hongze-district-gov.pdf", "2024_huaian-city-gov.pdf", "2024_huaian-hongze-district-gov.pdf")
REAL_HTML = ("2019_shanghai-gov-office.html", "2023_shuyang-county-drc.html")


def truth(corpus: Path, name: str) -> dict:
    return json.loads((corpus / "real" / "truth" / f"{Path(name).stem}.json").read_text(encoding="utf-8"))


def pdftotext(pdf: Path, out: Path) -> Path:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.fail("pdftotext is not installed (make system-deps: poppler-utils)")
    subprocess.run([exe, "-layout", str(pdf), str(out)], check=True, capture_output=True, timeout=120)
    return out


def plumber(pdf: Path, out: Path) -> Path:
    with pdfplumber.open(pdf) as doc:
        out.write_text("\n".join(page.extract_text(layout=True) for page in doc.pages), encoding="utf-8")
    return out


PRODUCERS = {"pdftotext": pdftotext, "pdfplumber": plumber}


@pytest.fixture(scope="session")
def layout_texts(tmp_path_factory, corpus) -> dict[tuple[str, str], Path]:
    """Each PDF of the corpus as layout text, by both producers (once per session)."""
    out = tmp_path_factory.mktemp("layout")
    return {
        (name, producer): make(corpus / "real" / name, out / f"{Path(name).stem}.{producer}.txt")
        for name in REAL_PDFS
        for producer, make in PRODUCERS.items()
    }


@pytest.mark.parametrize("producer", PRODUCERS)
@pytest.mark.parametrize("name", REAL_PDFS)
def test_layout_text_of_a_pdf_report_gives_every_cell(layout_texts, corpus, name: str, producer: str) -> None:
    """Numbers placed by the columns they share with the header words (商业企 / 业 wrapped, 其他
    on a line of its own), labels wrapped around their row's numbers joined, page numbers
    ("- 4 -") no row, table 4's one line of fifteen numbers fifteen cells."""
    s = score(parse_record(read_path(layout_texts[name, producer])), truth(corpus, name))
    assert s.cells_wrong == 0, s.wrong
    assert s.cells_right == s.cells_total, s.wrong
    assert s.agency_ok and s.year_ok and s.template_ok


@pytest.fixture(scope="session")
def printed_layout(tmp_path_factory, corpus) -> dict[tuple[str, str], Path]:
    """Each web page of the corpus printed to PDF by headless Chromium, then exported as layout
    text by both producers (once per session)."""
    exe = chromium()
    if exe is None:
        pytest.fail("chromium is not installed (make system-deps)")
    out = tmp_path_factory.mktemp("chromium_layout")
    texts = {}
    for name in REAL_HTML:
        pdf = out / (Path(name).stem + ".pdf")
        subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={out / 'profile'}",
             "--no-pdf-header-footer", f"--print-to-pdf={pdf}", (corpus / "real" / name).as_uri()],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        for producer, make in PRODUCERS.items():
            texts[name, producer] = make(pdf, out / f"{pdf.stem}.{producer}.txt")
    return texts


def _nulls(record: dict, prefix: str) -> dict[str, str]:
    return {k: v for k, v in record["null_meanings"].items() if k.startswith(prefix)}


@pytest.mark.browser
@pytest.mark.parametrize("producer", PRODUCERS)
def test_separately_printed_numbers_keep_their_columns(printed_layout, corpus, producer: str) -> None:
    """`（一）予以公开   258  12                 1    1` is four cells under 自然人, 商业企业,
    法律服务机构 and 其他 (not seven cells 2,5,8,1,2,1,1 cut from one digit run); no cell of the
    page is wrong. pdftotext keeps every header word apart, so table 3 comes out whole; pdfplumber
    prints 商业企业科研机构社会公益组织法律服务机构 as one word, so its columns cannot be counted
    and table 3 stays null ("ambiguous") rather than guessed."""
    name = "2019_shanghai-gov-office.html"
    doc = read_path(printed_layout[name, producer])
    record = parse_document(doc)
    s = score(parse_record(doc), truth(corpus, name))
    assert s.cells_wrong == 0, s.wrong
    granted = record["table3"].get("granted", {})
    assert 2 not in granted.values() and 5 not in granted.values() and 8 not in granted.values()
    if producer == "pdftotext":
        assert granted == {"natural_person": 258, "commercial": 12, "research": None, "public_interest": None,
                           "legal_services": 1, "other_org": 1, "total": None}  # fmt: skip
        assert record["table3"]["new_requests"]["total"] == 859
        assert record["table3"]["handled_total"]["natural_person"] == 767
    else:
        assert set(_nulls(record, "table3.granted").values()) == {"ambiguous"}


@pytest.mark.browser
@pytest.mark.parametrize("producer", PRODUCERS)
def test_a_row_whose_blanks_the_layout_cannot_place_is_null_and_ambiguous(printed_layout, corpus, producer) -> None:
    """Table 4 of the Shanghai page prints `5 2 7 8 1 9` under fifteen narrow columns: the
    positions fit the header several ways, so all fifteen cells are null ("ambiguous"); the
    Shuyang page's table 3 rows print two numbers (26 … 26) whose columns pdftotext does not keep
    (the same column drifts from row to row), so those rows are null too. Nothing is wrong."""
    shanghai = parse_document(read_path(printed_layout["2019_shanghai-gov-office.html", producer]))
    assert all(v is None for v in shanghai["table4"].values())
    assert set(_nulls(shanghai, "table4").values()) == {"ambiguous"}
    name = "2023_shuyang-county-drc.html"
    doc = read_path(printed_layout[name, producer])
    s = score(parse_record(doc), truth(corpus, name))
    assert s.cells_wrong == 0, s.wrong
    record = parse_document(doc)
    assert record["table4"]["review_pending"] == 1 and record["table4"]["review_total"] == 1
    assert record["table2"]["normative_documents"] == {"issued": 8, "repealed": 0, "in_force": 18}
    assert record["table3"]["new_requests"]["natural_person"] is None
    assert _nulls(record, "table3.new_requests.natural_person") == {"table3.new_requests.natural_person": "ambiguous"}


@pytest.mark.parametrize("name", ["2023_shuyang-county-drc", "2024_huaian-city-gov", "2024_shanghai-stc-kewei"])
def test_layout_text_of_a_rendered_report_has_no_wrong_cell(tmp_path, corpus, name: str) -> None:
    """A report drawn in the 2021 layout (numbers centred in ruled cells, blanks printed as
    nothing), exported by pdfplumber as layout text: no cell is wrong, and every cell of a report
    that prints all its cells (Huai'an) comes back."""
    rec = truth(corpus, name)
    text = plumber(render_pdf(rec, tmp_path / "r.pdf"), tmp_path / "r.txt")
    s = score(parse_record(read_path(text)), rec)
    assert s.cells_wrong == 0, s.wrong
    if name == "2024_huaian-city-gov":
        assert s.cells_right == s.cells_total, s.wrong


# The header and first rows of table 3 as pdftotext prints Chromium's PDF of the Shanghai page.
_HEADER = """\
                                                      申请人情况
  （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 自然人            法人或其他组织
                                           商业企业 科研机构 社会公益组织 法律服务机构 其他 总计
"""
_ROWS = """\
一、本年新收政府信息公开申请数量                       821  35                 2    1 859
二、上年结转政府信息公开申请数量                        18                             18
          （一）予以公开                      258  12                 1    1
"""


def _table3(text: str) -> tuple[dict, dict]:
    record = parse_document(read_document(("三、收到和处理政府信息公开申请情况\n" + text).encode(), "t.txt"))
    return record["table3"], record["null_meanings"]


def test_numbers_are_placed_by_the_header_words_above_them() -> None:
    table3, _ = _table3(_HEADER + _ROWS)
    assert table3["new_requests"] == {"natural_person": 821, "commercial": 35, "research": None,
                                      "public_interest": None, "legal_services": 2, "other_org": 1,
                                      "total": 859}  # fmt: skip
    assert table3["carried_over_in"]["natural_person"] == 18 and table3["carried_over_in"]["total"] == 18
    assert table3["granted"]["total"] is None


def test_without_header_words_the_blanks_are_not_guessed() -> None:
    """The same rows with the header cut off: where the blank columns are is unknown, so every
    cell is null ("ambiguous") — never 821 35 2 1 859 shifted into the first five columns."""
    table3, nulls = _table3(_ROWS)
    assert all(v is None for row in table3.values() for v in row.values())
    assert nulls["table3.granted.natural_person"] == "ambiguous"
    assert nulls["table3.new_requests.total"] == "ambiguous"


def test_a_line_of_numbers_alone_is_never_read_as_one_number() -> None:
    """`0   0   2   0 …` on a line of its own is fifteen cells, not review_upheld = 2000000000000."""
    t4 = "   ".join("0 0 2 0 2 0 0 0 0 0 0 0 0 0 0".split())
    heading = "四、政府信息公开行政复议、行政诉讼情况\n行政复议                    行政诉讼"
    text = f"三、收到和处理政府信息公开申请情况\n{_HEADER}{_ROWS}\n{heading}\n{t4}\n"
    table4 = parse_document(read_document(text.encode(), "t.txt"))["table4"]
    assert table4["review_other"] == 2 and table4["review_total"] == 2
    assert max(v for v in table4.values() if v is not None) == 2

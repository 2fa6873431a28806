"""The consolidation's files are data, not code (OWASP CSV injection): an agency name that looks like a
formula stays text in the workbook, is neutralised with a leading ' in the CSV files and is escaped
in the HTML report. The names come in through the real ingest, in copies of a bundled report whose
heading names another agency, and, for names the metadata parser would not take, are put into the
consolidation read back from the warehouse."""

from __future__ import annotations

import csv
import dataclasses
import html
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLES

from flows.consolidate import consolidate
from flows.ingest import ingest
from tasks.consolidate import Consolidation, Frame, read_consolidation, write_csvs, write_html, write_workbook
from tasks.settings import Settings

BASE = "003_be04c842d3f1cdaa.txt"  # a 2024 township report, plain text
BASE_NAMES = ("石柱土家族自治县人民政府南宾街道办事处", "石柱土家族自治县南宾街道办事处")
# agency names the metadata parser takes from a heading "2024年<name>政府信息公开工作年度报告"
# (it needs a name ending like an agency, without digits)
INGESTED = (
    '=HYPERLINK("http://x","y")局',
    "=cmd|' /c calc'!A局",
    "+SUM(A:A)局",
    "@SUM(A:A)局",
    '<script>alert("x")</script>局',
)
# names put straight into a consolidation: every character OWASP says starts a formula
INJECTED = (
    '=HYPERLINK("http://x","y")',
    "=cmd|'/c calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "<script>alert(1)</script>",
)


def _report_of(agency: str) -> str:
    """The bundled report 003 with its heading and every mention of its agency naming `agency`."""
    lines = (SAMPLES / BASE).read_text(encoding="utf-8").splitlines()
    text = "\n".join([f"2024年{agency}政府信息公开工作年度报告", *lines[3:]])
    for name in BASE_NAMES:
        text = text.replace(name, "本街道")
    return text


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """A warehouse with five 2024 reports whose agency names look like formulas or markup."""
    root = tmp_path_factory.mktemp("outputs")
    inbox = root / "inbox"
    inbox.mkdir()
    for i, agency in enumerate(INGESTED):
        (inbox / f"2024_hostile_{i}.txt").write_text(_report_of(agency), encoding="utf-8")
    shutil.copy(SAMPLES / "2023_shuyang-county-drc.html", inbox)  # a year before, for year on year
    wh = root / "wh" / "ogi.duckdb"
    ingest(str(inbox), Settings(wh))
    return wh


@pytest.fixture(scope="module")
def files(hostile, tmp_path_factory) -> dict[str, Path]:
    result = consolidate(2024, settings=Settings(hostile), out_dir=str(tmp_path_factory.mktemp("out")))
    assert sorted(a["agency_name"] for a in result["agencies"] if a["status"] == "summed") == sorted(INGESTED)
    return {Path(f).name: Path(f) for f in result["files"]}


def _with_names(c: Consolidation, names: tuple[str, ...]) -> Consolidation:
    """`c` with one agency per name in completeness and in the top-agencies chart, and a year-on-year row
    whose change is negative."""

    def renamed(frame: Frame) -> Frame:
        """One row per name, the stored rows repeated as needed."""
        i = frame.columns.index("agency_name")
        rows = [frame.rows[k % len(frame.rows)] for k in range(len(names))]
        return dataclasses.replace(frame, rows=tuple((*r[:i], n, *r[i + 1 :]) for r, n in zip(rows, names)))

    yoy = c.yoy.rows[0]
    falling = yoy[: c.yoy.columns.index("value")] + (3, 5, -2, -40.0)
    return dataclasses.replace(
        c,
        agencies=renamed(c.agencies),
        top_agencies=renamed(c.top_agencies),
        yoy=dataclasses.replace(c.yoy, rows=(falling, *c.yoy.rows[1:])),
    )


@pytest.fixture(scope="module")
def injected(hostile, files, tmp_path_factory) -> tuple[Consolidation, dict[str, Path]]:
    c = _with_names(read_consolidation(hostile, "2024"), INJECTED)  # stored by `files`
    assert [a["agency_name"] for a in c.agencies.dicts()] == list(INJECTED)
    out = tmp_path_factory.mktemp("injected")
    paths = [write_workbook(c, out / "w.xlsx"), *write_csvs(c, out), write_html(c, out / "report.html")]
    return c, {p.name: p for p in paths}


# ------------------------------------------------------------------------------------------ workbook


def _workbook_cells(path: Path) -> list:
    wb = openpyxl.load_workbook(path)  # formulas as written, not cached values
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


def _assert_data_only(path: Path, names: tuple[str, ...]) -> None:
    cells = _workbook_cells(path)
    formulas = [(c.parent.title, c.coordinate, c.value) for c in cells if c.data_type == "f"]
    assert formulas == []
    assert [c.coordinate for c in cells if c.hyperlink is not None] == []
    by_value = {c.value: c for c in cells if isinstance(c.value, str)}
    for name in names:
        # xlsxwriter stores a CR as the OOXML escape _x000D_, which Excel decodes and openpyxl leaves as it is
        cell = by_value.get(name.replace("\r", "_x000D_"))
        assert cell is not None, name
        assert cell.data_type == "s" and cell.parent.title == "完整性"


def test_agency_names_like_formulas_are_text_cells_in_the_workbook(files):
    _assert_data_only(files["consolidation_2024.xlsx"], INGESTED)


def test_every_formula_prefix_stays_text_in_the_workbook(injected):
    _, paths = injected
    _assert_data_only(paths["w.xlsx"], INJECTED)


def test_the_workbook_keeps_figures_as_numbers(files):
    ws = openpyxl.load_workbook(files["consolidation_2024.xlsx"])["表三 依申请"]
    row = next(r for r in ws.iter_rows() if r[0].value == "一、本年新收政府信息公开申请数量")
    assert [c.data_type for c in row[3:10]] == ["n"] * 7 and isinstance(row[9].value, int) and row[9].value > 0


# ---------------------------------------------------------------------------------------------- CSV


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_agency_names_like_formulas_are_neutralised_in_the_csv_files(files):
    names = [r["agency_name"] for r in _csv(files["agencies.csv"]) if r["status"] == "summed"]
    assert sorted(names) == sorted("'" + n if n[0] in "=+-@" else n for n in INGESTED)
    assert "'<script>" not in "".join(names)  # only formula prefixes are touched


def test_every_formula_prefix_is_neutralised_and_numbers_stay_numbers_in_the_csv_files(injected):
    _, paths = injected
    names = [r["agency_name"] for r in _csv(paths["agencies.csv"])]
    expected = [n if n.startswith("<") else "'" + n for n in INJECTED]
    assert names == expected
    falling = _csv(paths["yoy.csv"])[0]
    assert (falling["value"], falling["change"], falling["change_pct"]) == ("3", "-2", "-40")
    cells = [v for p in paths.values() if p.suffix == ".csv" for r in _csv(p) for v in r.values()]
    assert not [v for v in cells if v[:1] in ("=", "+", "@", "\t", "\r")]
    assert not [v for v in cells if v.startswith("-") and not v[1:].replace(".", "").isdigit()]


# --------------------------------------------------------------------------------------------- HTML


def _assert_escaped(path: Path, names: tuple[str, ...]) -> None:
    page = path.read_bytes().decode("utf-8")  # not read_text: it would turn a \r into \n
    assert "<script" not in page
    for name in names:
        assert html.escape(name) in page, name
        if any(ch in name for ch in "<>&\"'"):
            assert name not in page, name


def test_agency_names_like_markup_are_escaped_in_the_html_report(files):
    _assert_escaped(files["report.html"], INGESTED)


def test_every_injected_name_is_escaped_in_the_html_report(injected):
    _, paths = injected
    _assert_escaped(paths["report.html"], INJECTED)


# ---------------------------------------------------------------------------------- workbook layout

HEADER_ROWS = {
    "说明": 1,
    "表二 主动公开": 1,
    "表三 依申请": 5,
    "表四 复议诉讼": 5,
    "完整性": 1,
    "同比": 1,
    "勾稽检查": 1,
    "整改事项": 1,
}


def test_every_sheet_freezes_and_repeats_its_header_rows_and_prints_a4_landscape_one_page_wide(files):
    wb = openpyxl.load_workbook(files["consolidation_2024.xlsx"])
    assert wb.sheetnames == list(HEADER_ROWS)
    for ws in wb.worksheets:
        rows = HEADER_ROWS[ws.title]
        ps = ws.page_setup
        assert ws.freeze_panes == f"A{rows + 1}", ws.title
        assert ws.print_title_rows == f"$1:${rows}", ws.title
        assert (ps.paperSize, ps.orientation) == (9, "landscape"), ws.title  # 9: A4
        # fit to one page wide: fitToWidth left out means 1 (its OOXML default), 0 pages tall means as many as needed
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToWidth in (None, 1) and ps.fitToHeight == 0


def test_counts_show_thousands_separators_and_amounts_two_decimals(files):
    wb = openpyxl.load_workbook(files["consolidation_2024.xlsx"])
    figures = {
        ws.title: [c for row in ws.iter_rows() for c in row if c.data_type == "n" and c.value is not None]
        for ws in wb.worksheets
    }
    for title in ("表三 依申请", "表四 复议诉讼"):
        assert figures[title] and {c.number_format for c in figures[title]} == {"#,##0"}, title
    t2 = wb["表二 主动公开"]
    fee = next(c for row in t2.iter_rows() for c in row if c.value == "本年收费金额(单位:万元)")
    amount = t2.cell(fee.row + 1, fee.column)
    assert amount.data_type == "n" and amount.number_format == "#,##0.00"
    counts = [c for c in figures["表二 主动公开"] if c.column != fee.column]
    assert counts and {c.number_format for c in counts} == {"#,##0"}
    assert {c.number_format for c in figures["说明"]} == {"#,##0"}

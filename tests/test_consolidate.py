"""The annual consolidation on the bundled samples, loaded by the real ingest flow (the session's
warehouse, copied for each test: a consolidation writes): totals against the hand-checked truth,
quarantined and duplicate reports never summed, completeness, outputs."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import duckdb
import pytest
from conftest import truth_of

from flows.consolidate import consolidate
from tasks.keys import T3_COLUMN_LABELS, T3_COLUMNS, T3_ROW_KEYS, T4_KEYS
from tasks.settings import Settings

# every 2024 sample report except the altered copy of 003 (quarantined) and the duplicate
SUMMED_2024 = [
    "003_be04c842d3f1cdaa.txt",
    "2024_shanghai-stc-kewei.md",
    "2024_huaian-city-gov.pdf",
    "2024_huaian-hongze-district-gov.pdf",
]


@pytest.fixture
def loaded(warehouse_copy) -> Path:
    """The samples (with a re-published copy of the Shanghai STC report, conftest.REPUBLISHED) loaded
    by the main job once for the session; each test consolidates into its own copy."""
    return warehouse_copy


@pytest.fixture(scope="module")
def truth(corpus) -> dict[str, dict]:
    return truth_of(corpus / "seeds") | truth_of(corpus / "real")


def _rows(wh: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _truth_sum(truth: dict[str, dict], sources: list[str], table: str) -> dict:
    """Cell → sum over the truth records; None where every report left the cell blank."""
    sums: dict = {}
    for source in sources:
        t = truth[source][table]
        cells = t.items() if table == "table4" else ((r, c) for r in t for c in t[r])
        for cell in cells:
            key, value = (cell[0], cell[1]) if table == "table4" else ((cell[0], cell[1]), t[cell[0]][cell[1]])
            if value is not None:
                sums[key] = (sums.get(key) or 0) + value
            else:
                sums.setdefault(key, None)
    return sums


def test_consolidated_2024_equals_the_truth_of_the_loaded_reports_and_never_sums_the_quarantined_one(
    loaded, truth, tmp_path
):
    result = consolidate(2024, settings=Settings(loaded), out_dir=str(tmp_path / "out"))
    sources = SUMMED_2024
    table3 = dict(
        ((r, c), v)
        for r, c, v in _rows(
            loaded, "select row_key, column_key, requests from fct_consolidated_table3 where consolidation_key = '2024'"
        )
    )
    expected3 = _truth_sum(truth, sources, "table3")
    assert {k: table3[k] for k in expected3} == expected3
    expected_new = sum(truth[s]["table3"]["new_requests"]["natural_person"] for s in sources)
    assert table3[("new_requests", "natural_person")] == expected_new  # the altered copy would add 5
    table4 = dict(_rows(loaded, "select cell_key, cases from fct_consolidated_table4 where consolidation_key = '2024'"))
    assert table4 == _truth_sum(truth, sources, "table4")
    quarantined = [a for a in result["agencies"] if a["status"] == "quarantined"]
    assert len(quarantined) == 1 and "R1" in quarantined[0]["reason"]
    assert result["header"]["reports_summed"] == len(sources)


def test_a_second_loaded_report_of_the_same_agency_and_year_is_listed_not_summed(loaded, tmp_path):
    result = consolidate(2024, settings=Settings(loaded), out_dir=str(tmp_path / "out"))
    kewei = [a for a in result["agencies"] if a["agency_name"] == "上海市科委"]
    assert sorted(a["status"] for a in kewei) == ["not_summed_duplicate", "summed"]
    assert _rows(loaded, "select count(*) from documents where status = 'loaded' and report_year = 2024") == [(5,)]


def test_consolidated_totals_equal_an_independent_sum_of_the_summed_reports_facts(loaded, truth, tmp_path):
    consolidate(2019, settings=Settings(loaded), out_dir=str(tmp_path / "out"))
    independent = _rows(
        loaded,
        "select row_key, column_key, sum(requests) from fct_table3 f join documents d using (document_id) "
        "where d.report_year = 2019 and d.status = 'loaded' group by all order by all",
    )
    stored = _rows(
        loaded,
        "select row_key, column_key, requests from fct_consolidated_table3 "
        "where consolidation_key = '2019' and reports + blank_cells > 0 order by all",
    )
    assert stored == independent
    assert len(stored) == (len(T3_ROW_KEYS) - 3) * len(T3_COLUMNS)  # 2019 reports print no (六) sub-rows
    # and both are the hand-checked truth of the two 2019 reports, not just equal to each other
    expected = _truth_sum(truth, ["2019_pingtan_zone.txt", "2019_shanghai-gov-office.html"], "table3")
    assert {(r, c): v for r, c, v in stored} == expected


def test_expected_agencies_without_a_report_for_the_year_are_listed_missing(loaded, tmp_path):
    """Without a roster, expected are the agencies that reported on either of the two years before."""
    result = consolidate(2024, settings=Settings(loaded), out_dir=str(tmp_path / "out"))
    earlier = {
        n
        for (n,) in _rows(
            loaded,
            "select distinct agency_name from v_documents where status = 'loaded' and report_year in (2022, 2023) "
            "except select agency_name from v_documents where report_year = 2024",
        )
    }
    assert earlier == {"沭阳县发展和改革局", "湘乡市信访局"}  # 2019-2021 reporters are not expected for 2024
    missing = {a["agency_name"]: a for a in result["agencies"] if a["status"] == "missing"}
    assert set(missing) == earlier
    assert missing["湘乡市信访局"]["last_loaded_year"] == 2022
    assert result["header"]["agencies_missing"] == len(earlier)


def test_a_region_prefix_and_an_agency_list_choose_the_agencies(loaded, truth, tmp_path):
    region = consolidate(2022, region="4303", settings=Settings(loaded), out_dir=str(tmp_path / "r"))
    assert [a["agency_name"] for a in region["agencies"]] == ["湘乡市信访局"]
    listed = consolidate(
        2020, agencies=["盘州市乌蒙镇人民政府", "某县不存在局"], settings=Settings(loaded), out_dir=str(tmp_path / "l")
    )
    status = {a["agency_name"]: (a["status"], a["reason"]) for a in listed["agencies"]}
    assert status["盘州市乌蒙镇人民政府"][0] == "summed"
    assert status["某县不存在局"] == ("missing", "no document of this agency in the warehouse")
    t3 = _rows(
        loaded,
        "select row_key, column_key, requests from fct_consolidated_table3 where consolidation_key = ?",
        [listed["key"]],
    )
    expected = _truth_sum(truth, ["002_991ae62c2104bae0.txt"], "table3")
    assert {(r, c): v for r, c, v in t3 if (r, c) in expected} == expected


def test_year_on_year_compares_with_the_year_before_over_the_same_scope(loaded, truth, tmp_path):
    consolidate(2024, settings=Settings(loaded), out_dir=str(tmp_path / "out"))
    (value, prior, change), *_ = _rows(
        loaded,
        "select value, value_prior_year, change from consolidation_yoy "
        "where consolidation_key = '2024' and row_key = 'new_requests'",
    )
    now = sum(truth[s]["table3"]["new_requests"]["total"] for s in SUMMED_2024)
    before = truth["2023_shuyang-county-drc.html"]["table3"]["new_requests"]["total"]
    assert (value, prior, change) == (now, before, now - before)


def test_running_a_consolidation_again_replaces_it(loaded, tmp_path):
    consolidate(2024, settings=Settings(loaded), out_dir=str(tmp_path / "a"))
    consolidate(2024, settings=Settings(loaded), out_dir=str(tmp_path / "b"))
    assert _rows(loaded, "select count(*) from consolidations where consolidation_key = '2024'") == [(1,)]
    assert _rows(loaded, "select count(*) from fct_consolidated_table3 where consolidation_key = '2024'") == [
        (len(T3_ROW_KEYS) * len(T3_COLUMNS),)
    ]


def _xlsx_cells(path: Path) -> dict[str, dict[str, object]]:
    """Sheet name → cell reference → value, read from the workbook's XML."""
    m = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    with zipfile.ZipFile(path) as z:
        strings = [
            "".join(t.text or "" for t in si.iter(f"{m}t"))
            for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
        ]
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = {rel.get("Id"): rel.get("Target") for rel in rels}
        sheets = {}
        for sheet in ElementTree.fromstring(z.read("xl/workbook.xml")).iter(f"{m}sheet"):
            cells = {}
            for c in ElementTree.fromstring(z.read("xl/" + target[sheet.get(f"{r}id")])).iter(f"{m}c"):
                v = c.find(f"{m}v")
                if v is not None:
                    cells[c.get("r")] = strings[int(v.text)] if c.get("t") == "s" else float(v.text)
            sheets[sheet.get("name")] = cells
    return sheets


def test_workbook_csv_and_html_carry_the_consolidated_tables(loaded, truth, tmp_path):
    result = consolidate(2024, settings=Settings(loaded), out_dir=str(tmp_path / "out"))
    files = {Path(f).name: Path(f) for f in result["files"]}
    summed = SUMMED_2024
    expected = _truth_sum(truth, summed, "table3")
    new_requests = [expected[("new_requests", c)] for c in T3_COLUMNS]

    sheet = _xlsx_cells(files["consolidation_2024.xlsx"])["表三 依申请"]
    row = next(re.sub(r"\D", "", ref) for ref, v in sheet.items() if v == "一、本年新收政府信息公开申请数量")
    assert [sheet[f"{col}{row}"] for col in "DEFGHIJ"] == new_requests

    with open(files["table3.csv"], encoding="utf-8-sig", newline="") as f:
        rows = {r["row_key"]: r for r in csv.DictReader(f)}
    assert [int(rows["new_requests"][c]) for c in T3_COLUMN_LABELS.values()] == new_requests
    with open(files["table4.csv"], encoding="utf-8-sig", newline="") as f:
        header, values, reports, blanks = list(csv.reader(f))
    assert len(header) == 1 + len(T4_KEYS) and [values[0], reports[0], blanks[0]] == [
        "案件数",
        "有数字的报告数",
        "空白的报告数",
    ]
    assert values[1] == str(_truth_sum(truth, summed, "table4")["review_upheld"])

    page = files["report.html"].read_text(encoding="utf-8")
    assert page.count("<svg") == 4  # requests by year, outcomes mix, top agencies, violations
    assert "<script" not in page and "http://" not in page and "https://" not in page and "src=" not in page
    assert "上海市科委" in page and "R1" in page and "未报送" in page


def test_consolidate_command_names_a_missing_agency_file_without_a_traceback(loaded, tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "flows.cli",
            "consolidate",
            "--year",
            "2024",
            "--agencies",
            str(tmp_path / "nope.txt"),
            "--warehouse",
            str(loaded),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2 and "nope.txt" in out.stderr and "Traceback" not in out.stderr

"""The roster (应报单位名单) on real documents: importing it (xlsx, csv, Chinese or English headings),
matching its units to the agencies the session warehouse resolved from the samples, completeness
against it (应报 / 已报 on time and late / quarantined / 未报), the MISSING items it raises, and a
roster imported before the reports arrive being matched as they are loaded."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
import xlsxwriter
from click.testing import CliRunner

import warehouse
from expectations import load_catalogue
from flows.cli import main
from flows.consolidate import consolidate
from tasks.identity.roster import Entry, Known, RosterError, match_entries, read_roster
from tasks.pipeline import Batch, process_batch
from tasks.settings import Settings

NOWHERE = "某某县不存在局"  # listed, printed by no document: unmatched


def _rows(wh: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ogi(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args), prog_name="ogi")
    return res.exit_code, res.output


@pytest.fixture
def jiangsu_2024(warehouse_copy, tmp_path) -> Path:
    """The session warehouse with a 2024 roster of region 32: Huai'an city, Hongze under the name it
    printed for 2023, Shuyang's DRC (reported on 2023 only) and a unit no document names."""
    roster = _csv(
        tmp_path / "roster.csv",
        [
            "单位名称,区划代码,类别",
            "淮安市人民政府,320800,政府",
            "洪泽区人民政府,,",
            "沭阳县发展和改革局,,部门",
            f"{NOWHERE},,",
        ],
    )
    code, out = _ogi(
        "roster", "import", str(roster), "--year", "2024", "--region", "32", "--warehouse", str(warehouse_copy)
    )
    assert code == 0, out
    return warehouse_copy


def test_a_roster_import_matches_its_units_and_lists_the_one_no_agency_printed(jiangsu_2024):
    matches = dict(
        _rows(
            jiangsu_2024,
            "select e.listed_name, a.agency_name from roster_entries e left join dim_agency a using (agency_id)",
        )
    )
    assert matches == {
        "淮安市人民政府": "淮安市人民政府",
        "洪泽区人民政府": "淮安市洪泽区人民政府",  # one agency across the 2023 and 2024 names
        "沭阳县发展和改革局": "沭阳县发展和改革局",
        NOWHERE: None,
    }
    code, out = _ogi("roster", "list", "--year", "2024", "--warehouse", str(jiangsu_2024))
    assert code == 0, out
    lines = out.splitlines()
    assert NOWHERE in lines[2]  # unmatched first
    assert "ogi agencies alias" in out
    code, out = _ogi("roster", "list", "--format", "json", "--lang", "en", "--warehouse", str(jiangsu_2024))
    reported = {e["listed_name"]: e["reported"] for e in json.loads(out)}
    assert reported == {"淮安市人民政府": True, "洪泽区人民政府": True, "沭阳县发展和改革局": False, NOWHERE: False}


def test_importing_again_needs_replace_and_then_replaces_the_roster(jiangsu_2024, tmp_path):
    smaller = _csv(tmp_path / "smaller.csv", ["name", "淮安市人民政府"])
    code, out = _ogi(
        "roster", "import", str(smaller), "--year", "2024", "--region", "32", "--warehouse", str(jiangsu_2024)
    )
    assert code == 2 and "--replace" in out
    assert _rows(jiangsu_2024, "select count(*) from roster_entries") == [(4,)]
    code, out = _ogi("roster", "import", str(smaller), "--year", "2024", "--region", "32", "--replace",
                     "--lang", "en", "--warehouse", str(jiangsu_2024))  # fmt: skip
    assert code == 0 and "1 matched" in out, out
    assert _rows(jiangsu_2024, "select count(*), count(distinct roster_id) from roster_entries") == [(1, 1)]


def test_completeness_with_a_roster_counts_expected_reported_and_not_reported(jiangsu_2024, tmp_path):
    result = consolidate(2024, region="32", settings=Settings(jiangsu_2024), out_dir=str(tmp_path / "out"))
    h = result["header"]
    assert h["expected_basis"] == "roster"
    assert (h["agencies_expected"], h["agencies_reported"], h["expected_quarantined"], h["agencies_missing"]) == (
        4,
        2,
        0,
        2,
    )
    missing = {a["agency_name"]: a["reason"] for a in result["agencies"] if a["status"] == "missing"}
    assert set(missing) == {"沭阳县发展和改革局", NOWHERE}
    assert "roster" in missing[NOWHERE]
    # the workbook's 完整性 and 说明 sheets say the same
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "out" / "consolidation_2024_region-32.xlsx")
    about = {r[0]: r[1] for r in wb.worksheets[0].iter_rows(values_only=True) if r and r[0]}
    assert (about["应报"], about["已报"], about["未报"]) == (4, 2, 2)
    assert "名单" in about["应报依据"]


def test_on_time_late_and_quarantined_come_from_the_deadlines_and_the_report_status(warehouse_copy, tmp_path):
    """2023: Shuyang's DRC published 2024-01-17 (a department: due 31 January), Hongze's report is
    quarantined (it fails R5 as printed), Huai'an city has none. 2020: Qujiang's civil affairs
    bureau published 2021-02-18, after its 31 January deadline."""
    wh = str(warehouse_copy)
    r2023 = _csv(tmp_path / "r2023.csv", ["单位名称", "沭阳县发展和改革局", "淮安市洪泽区人民政府", "淮安市人民政府"])
    r2020 = _csv(tmp_path / "r2020.csv", ["name,kind", "衢州市衢江区民政局,department"])
    assert _ogi("roster", "import", str(r2023), "--year", "2023", "--region", "32", "--warehouse", wh)[0] == 0
    assert _ogi("roster", "import", str(r2020), "--year", "2020", "--region", "33", "--warehouse", wh)[0] == 0
    published = dict(
        _rows(warehouse_copy, "select record->>'agency', publication_date from documents where status = 'loaded'")
    )
    assert published["沭阳县发展和改革局"] <= date(2024, 1, 31) < published["衢州市衢江区民政局"].replace(year=2024)
    h = consolidate(2023, region="32", settings=Settings(warehouse_copy), out_dir=str(tmp_path / "a"))["header"]
    counts = ("agencies_expected", "agencies_reported", "reported_on_time", "reported_late", "expected_quarantined",
              "agencies_missing")  # fmt: skip
    assert tuple(h[k] for k in counts) == (3, 1, 1, 0, 1, 1)
    h = consolidate(2020, region="33", settings=Settings(warehouse_copy), out_dir=str(tmp_path / "b"))["header"]
    assert tuple(h[k] for k in counts) == (1, 1, 0, 1, 0, 0)


def test_without_a_roster_the_expected_are_the_agencies_with_a_current_report_in_the_two_years_before(
    warehouse_copy, tmp_path
):
    h = consolidate(2024, settings=Settings(warehouse_copy), out_dir=str(tmp_path / "out"))["header"]
    earlier = _rows(
        warehouse_copy,
        "select count(distinct agency_id) from current_reports "
        "where report_role = 'current' and report_year in (2022, 2023)",
    )
    assert (
        h["expected_basis"] == "previous_years" and h["agencies_expected"] == earlier[0][0] == 2
    )  # 湘乡 2022, 沭阳 2023


def test_rectify_list_year_raises_missing_items_for_the_imported_roster(jiangsu_2024):
    code, out = _ogi("rectify", "list", "--year", "2024", "--format", "json", "--warehouse", str(jiangsu_2024))
    assert code == 0, out
    missing = {i["instance"]: i for i in json.loads(out) if i["rule_id"] == "MISSING"}
    assert set(missing) == {"沭阳县发展和改革局", NOWHERE}  # Huai'an city and Hongze reported on 2024
    assert missing["沭阳县发展和改革局"]["agency_id"] is not None and missing[NOWHERE]["agency_id"] is None


def test_a_roster_imported_before_the_reports_is_matched_as_they_are_loaded(corpus, tmp_path):
    cfg = Settings(tmp_path / "wh" / "ogi.duckdb")
    warehouse.migrate(cfg.warehouse)
    process_batch(Batch(files=(corpus / "real" / "2023_huaian-hongze-district-gov.pdf",)), cfg, load_catalogue())
    roster = _csv(tmp_path / "r.csv", ["单位名称", "淮安市洪泽区人民政府", "淮安市人民政府"])
    code, out = _ogi("roster", "import", str(roster), "--year", "2024", "--warehouse", str(cfg.warehouse))
    assert code == 0 and "淮安市人民政府" in out.split("：", 2)[-1], out  # not loaded yet: unmatched
    process_batch(Batch(files=(corpus / "real" / "2024_huaian-city-gov.pdf",)), cfg, load_catalogue())
    matched = dict(_rows(cfg.warehouse, "select listed_name, match_method from roster_entries"))
    assert matched == {"淮安市洪泽区人民政府": "division_name", "淮安市人民政府": "exact"}
    h = consolidate(2024, settings=Settings(cfg.warehouse), out_dir=str(tmp_path / "out"))["header"]
    assert (h["agencies_expected"], h["agencies_reported"], h["agencies_missing"]) == (2, 1, 1)


# ------------------------------------------------------------------------------- matching rules


def _known(i: int, name: str, code: str | None, kind: str = "department") -> Known:
    return Known(i, name, (name,), code, kind, None)


def test_a_fuzzy_match_needs_one_close_agency_of_the_same_division():
    agencies = [
        _known(1, "石柱土家族自治县人民政府南宾街道办事处", "500240", "government"),
        _known(2, "湘乡市人民政府办公室", "430381"),
        _known(3, "盘州市乌蒙镇人民政府", "520281", "government"),
    ]
    entries = [
        Entry(2, "石柱土家族自治县人民政府南宾街道办"),  # the name cut short: the same office
        Entry(3, "湘潭市人民政府办公室"),  # one character off, but another city (430300)
        Entry(4, "盘州市乌龙镇人民政府"),  # one character off, another town of the same county
    ]
    got = {m.seq: (m.agency_id, m.method) for m in match_entries(entries, agencies, {}, {})}
    assert got == {2: (1, "fuzzy"), 3: (None, None), 4: (None, None)}


def test_numbers_in_a_name_must_agree_for_a_fuzzy_match():
    agencies = [_known(1, "国家税务总局盘州市税务局第一税务分局", "520281")]
    (m,) = match_entries([Entry(2, "国家税务总局盘州市税务局第二税务分局")], agencies, {}, {})
    assert m.agency_id is None


def test_a_roster_reads_xlsx_with_chinese_headings_and_rejects_bad_rows(tmp_path):
    path = tmp_path / "roster.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    for r, row in enumerate(
        [
            ["应报单位名单"],
            [],
            ["序号", "单位名称", "区划代码", "类别", "上级"],
            [1, "湘乡市信访局", 430381, "部门", "湘乡市人民政府"],
        ]
    ):
        ws.write_row(r, 0, row)
    wb.close()
    # the title line above the header is skipped; the code typed as a number is read as its digits
    assert read_roster(path) == [Entry(4, "湘乡市信访局", "430381", None, "department", "湘乡市人民政府")]
    with pytest.raises(RosterError, match="表头"):
        read_roster(_csv(tmp_path / "no_header.csv", ["机构,代码", "湘乡市信访局,430381"]))
    bad = _csv(tmp_path / "bad.csv", ["名称,区划代码,统一社会信用代码", "甲局,4303,", "乙局,,123", "甲局,,"])
    with pytest.raises(RosterError) as err:
        read_roster(bad)
    assert all(f"第 {n} 行" in str(err.value) for n in (2, 3, 4))

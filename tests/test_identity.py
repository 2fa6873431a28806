"""Agency identity, one current report per agency and year, v_panel, and consolidation on
identities: real documents through the real batch core into a real DuckDB, checked against the
hand-checked truth and python-stdnum's division table (ground truth from outside the code)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from conftest import CORPUS, SAMPLES, truth_of
from hypothesis import given, settings
from hypothesis import strategies as st

import warehouse
from expectations import load_catalogue
from flows.cli import main
from tasks.identity.rules import Printed, assign_ids, resolve
from tasks.identity.store import reresolve
from tasks.parse.divisions import _table, current_code, division_from_name, names_of
from tasks.pipeline import Batch, process_batch
from tasks.review import accept
from tasks.settings import Settings

REAL = CORPUS / "real"
HONGZE = ["2023_huaian-hongze-district-gov.pdf", "2024_huaian-hongze-district-gov.pdf"]
SEED_001 = "001_d450694d9fdf7559.txt"
SEED_003 = "003_be04c842d3f1cdaa.txt"
SYNTH = Path(__file__).resolve().parents[2] / "shared" / "tools" / "synth_corpus.py"


def _load(wh: Path, files: list[Path]):
    warehouse.migrate(wh)
    return process_batch(Batch(files=tuple(files)), Settings(wh), load_catalogue())


def _rows(wh: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Path:
    """Hongze 2023 and 2024, Huai'an city 2024, seed 001, seed 003 and a copy of it one byte longer;
    Hongze 2023 (which fails R5 as printed) accepted as printed."""
    root = tmp_path_factory.mktemp("identity")
    inbox = root / "inbox"
    inbox.mkdir()
    for name in [*HONGZE, "2024_huaian-city-gov.pdf"]:
        shutil.copy(REAL / name, inbox / name)
    for name in (SEED_001, SEED_003):
        shutil.copy(SAMPLES / name, inbox / name)
    (inbox / "003_copy.txt").write_bytes((SAMPLES / SEED_003).read_bytes() + b" ")
    wh = root / "wh" / "ogi.duckdb"
    _load(wh, sorted(inbox.iterdir()))
    accept(Settings(wh), HONGZE[0], "the source itself fails R5 (checked by hand)", by="test")
    return wh


def test_hongze_2023_and_2024_are_one_agency_in_the_panel(loaded):
    truth = truth_of(REAL)
    printed = {truth[n]["agency"] for n in HONGZE}
    assert printed == {"洪泽区人民政府", "淮安市洪泽区人民政府"}  # two spellings in the sources
    rows = _rows(
        loaded, "select agency_id, agency_name, report_year from v_panel where agency_name = any(?)", [sorted(printed)]
    )
    assert sorted((name, year) for _, name, year in rows) == sorted(
        (truth[n]["agency"], truth[n]["report_year"]) for n in HONGZE
    )
    assert len({agency for agency, _, _ in rows}) == 1
    agency = rows[0][0]
    names = _rows(
        loaded, "select agency_name, first_year, last_year from agency_names where agency_id = ? order by 2", [agency]
    )
    assert names == [("洪泽区人民政府", 2023, 2023), ("淮安市洪泽区人民政府", 2024, 2024)]
    division, parent = _rows(loaded, "select division_code, parent_id from dim_agency where agency_id = ?", [agency])[0]
    assert division == "320813" and names_of(division, 2024)[1] == "洪泽区"
    city = _rows(loaded, "select agency_id, division_code from dim_agency where agency_name = '淮安市人民政府'")
    assert city and parent == city[0][0] and city[0][1] == "320800"  # a county government → its city's


def test_seed_001_division_is_the_county_level_city_not_its_parent_city(loaded):
    rows = _rows(loaded, "select division_code, agency_level from v_panel where agency_name = '湘乡市信访局'")
    assert rows and rows[0][0] == "430381"
    assert names_of("430381", 2022)[1] == "湘乡市" and names_of("430300", 2022)[1] == "湘潭市"


def test_a_copy_with_one_more_byte_is_a_duplicate_of_the_current_report(loaded):
    truth = truth_of(CORPUS / "seeds")[SEED_003]
    panel = _rows(
        loaded,
        "select agency_id, document_id from v_panel where report_year = ? and agency_id in "
        "(select d.agency_id from documents d join document_arrivals a using (document_id) "
        "where a.original_name in (?, '003_copy.txt'))",
        [truth["report_year"], SEED_003],
    )
    assert len(panel) == 1
    roles = _rows(
        loaded,
        "select report_role, current_document_id, needs_review from current_reports "
        "where agency_id = ? and report_year = ? order by report_role",
        [panel[0][0], truth["report_year"]],
    )
    assert roles == [("current", panel[0][1], False), ("duplicate", panel[0][1], False)]


def test_every_panel_row_is_one_agency_and_year_and_every_column_has_a_comment(loaded):
    counts = _rows(loaded, "select count(*), count(distinct (agency_id, report_year)) from v_panel")[0]
    assert counts[0] == counts[1] == 5  # Hongze 2023 and 2024, Huai'an 2024, 湘乡 2022, 南宾 2024
    missing = _rows(loaded, "select column_name from duckdb_columns() where table_name = 'v_panel' and comment is null")
    assert missing == []


def test_consolidate_2024_after_accepting_hongze_2023_does_not_list_hongze_missing(loaded, tmp_path):
    out = CliRunner().invoke(
        main,
        ["consolidate", "--year", "2024", "--warehouse", str(loaded), "--out", str(tmp_path / "c"), "--lang", "en"],
        prog_name="ogi",
    )
    assert out.exit_code == 0, out.output
    missing = [line.split()[1].rstrip(":") for line in out.output.splitlines() if line.startswith("  missing ")]
    assert missing == ["湘乡市信访局"]  # reported on 2022 only; 洪泽 reported on 2024 under its full name
    assert not [line for line in out.output.splitlines() if "missing" in line and "洪泽" in line]
    rows = _rows(
        loaded,
        "select agency_name, expected, status from consolidation_agencies where consolidation_key = '2024'"
        " and agency_id = (select agency_id from agency_names where agency_name = '洪泽区人民政府')",
    )
    assert rows == [("淮安市洪泽区人民政府", True, "summed")]
    # the copy of seed 003 is listed, never summed
    dup = _rows(
        loaded,
        "select count(*) filter (where status = 'summed'), count(*) from consolidation_agencies "
        "where consolidation_key = '2024' and agency_name like '%南宾街道%'",
    )
    assert dup == [(1, 2)]
    like = _rows(loaded, "select agencies_like_for_like from consolidations where consolidation_key = '2024'")
    assert like == [(1,)]  # only Hongze has a summed report in 2023 and 2024
    t3 = _rows(
        loaded,
        "select value, like_value, like_value_prior_year from consolidation_yoy "
        "where consolidation_key = '2024' and table_name = 'table3' and row_key = 'new_requests'",
    )[0]
    truth = truth_of(REAL)
    assert t3[1:] == (
        truth[HONGZE[1]]["table3"]["new_requests"]["total"],
        truth[HONGZE[0]]["table3"]["new_requests"]["total"],
    )
    assert t3[0] > t3[1]  # the totals cover every agency of 2024


@pytest.mark.libreoffice
def test_an_html_report_and_its_pdf_twin_give_one_current_report(tmp_path):
    html = tmp_path / "in" / "2023_shuyang-county-drc.html"
    html.parent.mkdir()
    shutil.copy(REAL / html.name, html)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo_profile'}",
            "--headless",
            "--infilter=HTML (StarWriter)",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(html.parent),
            str(html),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = html.with_suffix(".pdf")
    assert pdf.exists()
    wh = tmp_path / "wh" / "ogi.duckdb"
    result = _load(wh, [html, pdf])
    assert [o.status for o in result.outcomes] == ["loaded", "loaded"]
    truth = truth_of(REAL)[html.name]
    panel = _rows(
        wh,
        "select document_id from v_panel where agency_name = ? and report_year = ?",
        [truth["agency"], truth["report_year"]],
    )
    assert len(panel) == 1
    roles = sorted(o.report_role for o in result.outcomes)
    assert roles[0] == "current" and roles[1] in ("duplicate", "superseded")
    other = next(o for o in result.outcomes if o.report_role != "current")
    assert other.current_document_id == panel[0][0]


# ------------------------------------------------------------------------------ the rules as properties


ROLES = [
    "人民政府",
    "人民政府办公室",
    "发展和改革局",
    "教育局",
    "公安局",
    "民政局",
    "财政局",
    "信访局",
    "卫生健康委员会",
]


def _counties(year: int, years: range = range(2019, 2025)) -> list[tuple[str, str, str, str]]:
    """(code, province, city, county) of county-level divisions in stdnum's table whose county name
    alone names them in every year the reports are drawn from (so a report may drop the city and
    province): 桥东区 alone named two districts until 2020 (邢台's became 襄都区), so a 2019 report
    printing only 桥东区人民政府 is rightly not given 张家口's code."""
    out = []
    for code in sorted(_table()[1]):
        if code.endswith("00") or not code[:2].isdigit():
            continue
        if not any(first <= year <= last for _, first, last in _table()[1][code]):
            continue  # a division of another period (宿县, abolished): not one a report of these years names
        province, county = names_of(code, year)
        city = names_of(code[:4] + "00", year)[1]
        if city in ("市辖区", "县"):  # a municipality's districts: no city name is ever printed
            city = ""
        if county and county != "市辖区" and all(division_from_name(county, y) == code for y in years):
            out.append((code, province, city, county))
    return out


COUNTIES = _counties(2023)


def _spelling(draw, province: str, city: str, county: str, role: str) -> str:
    prefix = draw(st.sampled_from([county, city + county, province + city + county]))
    return prefix + role


@st.composite
def county_reports(draw):
    """Reports of one county's agencies over years, each printed with a random place-name prefix."""
    code, province, city, county = draw(st.sampled_from(COUNTIES))
    roles = draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=4, unique=True))
    docs = []
    for year in draw(st.lists(st.integers(2019, 2024), min_size=2, max_size=5, unique=True)):
        for role in roles:
            name = _spelling(draw, province, city, county, role)
            docs.append((role, Printed(f"{year}-{role}-{len(docs)}", name, year, division_from_name(name, year))))
    return docs


def _ids_year_by_year(docs: list[tuple[str, Printed]]) -> dict[str, int]:
    """document → agency id, resolving as the reports arrive year by year (ids never reassigned)."""
    own: dict[str, int] = {}
    last = 0
    out: dict[str, int] = {}
    years = sorted({p.report_year for _, p in docs})
    for y in years:
        seen = [p for _, p in docs if p.report_year <= y]
        res = resolve(seen)
        fresh, ids = assign_ids(res, own, {}, last)
        own.update(fresh)
        last = max([last, *fresh.values()])
        now = {p.document_id: ids[res.group[res.keys[p.document_id]]] for p in seen}
        assert all(now[d] == i for d, i in out.items()), "an id changed when later reports arrived"
        out = now
    return out


@settings(max_examples=60, deadline=None)
@given(county_reports())
def test_renames_by_place_name_prefix_map_an_agency_to_one_id_over_the_years(docs):
    ids = _ids_year_by_year(docs)
    by_role: dict[str, set[int]] = {}
    for role, p in docs:
        by_role.setdefault(role, set()).add(ids[p.document_id])
    assert all(len(v) == 1 for v in by_role.values())  # one agency per role, however it is spelled
    assert len({next(iter(v)) for v in by_role.values()}) == len(by_role)  # and different roles differ


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(COUNTIES), min_size=2, max_size=2, unique_by=lambda c: c[0]), st.sampled_from(ROLES),
       st.integers(2019, 2024), st.data())  # fmt: skip
def test_the_same_short_name_in_two_divisions_never_merges(counties, role, year, data):
    docs = []
    for code, province, city, county in counties:
        name = _spelling(data.draw, province, city, county, role)
        docs.append(Printed(f"{code}-{year}", name, year, division_from_name(name, year)))
    res = resolve(docs)
    groups = {res.group[res.keys[p.document_id]] for p in docs}
    assert len(groups) == 2


def test_a_county_renamed_a_district_is_one_agency():
    """洪泽县 (320829, to 2016) became 洪泽区 (320813): stdnum's table knows both codes."""
    old = Printed("a", "洪泽县人民政府", 2015, division_from_name("洪泽县人民政府", 2015))
    new = Printed("b", "淮安市洪泽区人民政府", 2017, division_from_name("淮安市洪泽区人民政府", 2017))
    assert (old.division_code, new.division_code) == ("320829", "320813")
    res = resolve([old, new])
    assert res.group[res.keys["a"]] == res.group[res.keys["b"]]
    assert current_code("320829") == "320813"


# --------------------------------------------------------------------------------- upgrading a warehouse


def _warehouse_before_006(wh: Path, files: list[Path], monkeypatch) -> None:
    """A warehouse of migrations 001-005 loaded the way it was loaded then (name-keyed dim_agency)."""
    from tasks.isolation import extract_isolated
    from tasks.load import batch_frames, decide
    from tasks.quality import gate
    from tasks.stage import stage_files

    old = wh.parent / "migrations_001_005"
    old.mkdir(parents=True)
    for f in sorted(warehouse.MIGRATIONS.glob("00[1-5]_*.sql")):
        shutil.copy(f, old / f.name)
    with monkeypatch.context() as m:
        m.setattr(warehouse, "MIGRATIONS", old)
        assert len(warehouse.migrate(wh)) == 5
    cfg = Settings(wh)
    staged, _ = stage_files(files, cfg.staging)
    extracted = extract_isolated(staged, cfg.limits)
    catalogue = load_catalogue()
    results = gate([e.record for e in extracted if e.gated], catalogue)  # an empty warehouse: no earlier year
    frames = batch_frames(staged, extracted, decide(extracted, results), results, catalogue.suite_version)
    sql = (Path(__file__).parent / "fixtures" / "pre006" / "load_batch.sql").read_text(encoding="utf-8")
    con = duckdb.connect(str(wh))
    try:
        for name, frame in frames.items():
            con.register(name, frame.to_arrow())
        for stmt in warehouse.statements(sql):
            con.execute(stmt)
    finally:
        con.close()


def test_migration_006_and_reprocess_upgrade_a_loaded_warehouse_without_ingesting_again(tmp_path, monkeypatch):
    from tasks.review import reprocess

    wh = tmp_path / "wh" / "ogi.duckdb"
    files = [REAL / n for n in HONGZE] + [REAL / "2024_huaian-city-gov.pdf", SAMPLES / SEED_001]
    _warehouse_before_006(wh, files, monkeypatch)
    before = dict(_rows(wh, "select agency_name, agency_id from dim_agency"))
    assert {"洪泽区人民政府", "淮安市洪泽区人民政府"} <= before.keys()  # two agencies before
    assert len(_rows(wh, "select * from schema_migrations")) == 5

    changes, total = reprocess(Settings(wh))
    assert total == 4
    assert [v for (v,) in _rows(wh, "select version from schema_migrations order by 1")] == list(range(1, 11))
    ids = _rows(wh, "select distinct d.agency_id from documents d join document_arrivals a using (document_id) "
                "where a.original_name = any(?)", [HONGZE])  # fmt: skip
    assert len(ids) == 1 and ids[0][0] in {before["洪泽区人民政府"], before["淮安市洪泽区人民政府"]}  # an old id kept
    assert _rows(wh, "select count(*) from agency_names where agency_id = ?", ids[0]) == [(2,)]
    assert _rows(wh, "select division_code from dim_agency where agency_name = '湘乡市信访局'") == [("430381",)]
    # every fact row points at its document's agency; every loaded report has its role
    assert _rows(wh, "select count(*) from fct_table3 f join documents d using (document_id) "
                 "where f.agency_id <> d.agency_id") == [(0,)]  # fmt: skip
    assert _rows(wh, "select count(*) from documents where status = 'loaded' and document_id not in "
                 "(select document_id from current_reports)") == [(0,)]  # fmt: skip
    assert len(_rows(wh, "select * from v_panel")) == len(_rows(wh, "select * from documents where status = 'loaded'"))


# ----------------------------------------------------------------------------------------- overrides


def _ogi(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="ogi")


def test_overrides_merge_alias_and_split_are_recorded_and_applied_on_every_reprocess(tmp_path):
    from tasks.review import reprocess

    wh = tmp_path / "wh" / "ogi.duckdb"
    _load(wh, [REAL / "2024_huaian-city-gov.pdf", REAL / HONGZE[1], SAMPLES / SEED_001])
    ids = dict(_rows(wh, "select agency_name, agency_id from dim_agency"))
    city, hongze, xiangxiang = ids["淮安市人民政府"], ids["淮安市洪泽区人民政府"], ids["湘乡市信访局"]
    listed = _ogi("agencies", "list", "--warehouse", str(wh))
    assert listed.exit_code == 0 and "淮安市洪泽区人民政府" in listed.output and "(3 agencies)" in listed.output

    merged = _ogi(
        "agencies", "merge", str(hongze), str(xiangxiang), "--reason", "a test of merging", "--warehouse", str(wh)
    )
    assert merged.exit_code == 0, merged.output
    assert len(_rows(wh, "select * from dim_agency")) == 2
    show = _ogi("agencies", "show", str(min(hongze, xiangxiang)), "--warehouse", str(wh))
    assert show.exit_code == 0 and "湘乡市信访局" in show.output and "淮安市洪泽区人民政府" in show.output

    split = _ogi("agencies", "split", str(min(hongze, xiangxiang)), "--name", "湘乡市信访局", "--reason", "undo",
                 "--warehouse", str(wh))  # fmt: skip
    assert split.exit_code == 0, split.output
    assert len(_rows(wh, "select * from dim_agency")) == 3

    alias = _ogi("agencies", "alias", str(city), "淮安市洪泽区人民政府", "--reason", "a test", "--warehouse", str(wh))
    assert alias.exit_code == 0, alias.output
    toml = (wh.parent / "agencies.toml").read_text(encoding="utf-8")
    assert toml.count("[[override]]") == 3 and 'reason = "a test of merging"' in toml
    recorded = _rows(
        wh, "select action, reason, decided_by is not null, decided_at is not null from agency_overrides order by seq"
    )
    assert [r[:2] for r in recorded] == [("merge", "a test of merging"), ("split", "undo"), ("alias", "a test")]

    reprocess(Settings(wh))  # the overrides hold after a reprocess too
    rows = _rows(wh, "select agency_id, report_year from v_panel where agency_name = any(?) order by 1",
                 [["淮安市人民政府", "淮安市洪泽区人民政府"]])  # fmt: skip
    assert {a for a, _ in rows} == {city}
    assert len(rows) == 1  # one current report of the merged agency for 2024; the other not current
    bad = _ogi("agencies", "split", str(city), "--name", "no such name", "--reason", "x", "--warehouse", str(wh))
    assert bad.exit_code == 2 and "never printed" in bad.output + bad.stderr


# --------------------------------------------------------------------------------- incremental resolution

_IDENTITY_STATE = [
    "select document_id, agency_id, natural_key from documents order by 1",
    "select * from dim_agency order by agency_id",
    "select agency_id, agency_name, first_year, last_year, documents, document_ids from agency_names order by 1, 2",
    "select document_id, agency_id, report_year, report_role, current_document_id from current_reports order by 1",
    "select distinct document_id, agency_id from fct_table3 order by 1",
]


def _identity_state(wh: Path) -> list[list[tuple]]:
    return [_rows(wh, sql) for sql in _IDENTITY_STATE]


def test_batches_resolving_only_their_agencies_end_where_resolving_everything_does(tmp_path):
    """Each batch resolves only the agencies its documents can change; after many small batches of
    agencies recurring over years (names with and without their city, renamed counties) the warehouse
    must be exactly what one resolution of every document gives."""
    out = tmp_path / "synth"
    subprocess.run([sys.executable, str(SYNTH), str(out), "--n", "90", "--seed", "3", "--years", "2021-2024"],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    synthetic = sorted(out.glob("*/docs/*"), key=lambda f: (f.name[5:], f.name))  # an agency's years apart
    files = [REAL / n for n in HONGZE] + synthetic + [REAL / "2024_huaian-city-gov.pdf"]  # the city arrives last
    wh = tmp_path / "wh" / "ogi.duckdb"
    warehouse.migrate(wh)
    catalogue = load_catalogue()
    for i in range(0, len(files), 9):
        process_batch(Batch(files=tuple(files[i : i + 9])), Settings(wh), catalogue)
    incremental = _identity_state(wh)
    reresolve(wh, None)
    assert _identity_state(wh) == incremental
    agencies = _rows(wh, "select count(*), count(parent_id) from dim_agency")[0]
    shared = _rows(wh, "select count(*) from agency_names where documents > 1")[0][0]
    assert agencies[1] > 0 and shared > 10  # parents and agencies over several years were resolved

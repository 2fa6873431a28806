"""The main job end to end: real Prefect flow runs, real GX validations, a real DuckDB file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLES, truth_of

import warehouse
from flows.ingest import ingest
from tasks import load as load_mod
from tasks.extract import extract_batch
from tasks.settings import Settings
from tasks.stage import stage_files

ALTERED = "003_new_requests_altered.txt"
TABLES = (
    "documents",
    "document_arrivals",
    "validation_results",
    "dim_agency",
    "dim_year",
    "fct_table2",
    "fct_table3",
    "fct_table4",
    "fct_legacy",
)


VOLATILE = {"documents": "processed_at", "validation_results": "validated_at", "document_arrivals": "arrived_at"}


def _snapshot(path: Path) -> dict[str, list]:
    """Every row of every table, minus the timestamps a run writes."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for t in TABLES:
            select = f"select * exclude ({VOLATILE[t]})" if t in VOLATILE else "select *"
            out[t] = sorted(map(repr, con.execute(f"{select} from {t}").fetchall()))
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("pipeline")
    inbox = root / "inbox"
    shutil.copytree(SAMPLES, inbox)
    shutil.copy(inbox / "001_d450694d9fdf7559.txt", inbox / "same-bytes-other-name.txt")
    (inbox / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")  # not a readable PDF
    (inbox / "photo.bin").write_bytes(bytes(range(256)) * 4)
    wh = root / "wh" / "ogi.duckdb"
    first = ingest(str(inbox), Settings(wh))
    snap1 = _snapshot(wh)
    second = ingest(str(inbox), Settings(wh))
    snap2 = _snapshot(wh)
    return {"inbox": inbox, "wh": wh, "first": first, "second": second, "snap1": snap1, "snap2": snap2}


def _query(wh: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_every_file_ends_loaded_quarantined_or_rejected(runs):
    first = runs["first"]
    files = len([p for p in runs["inbox"].rglob("*") if p.is_file()])
    assert first["files"] == files
    assert sum(first["counts"].values()) + first["already_known"] == files
    by_name = {d["name"]: d for d in first["decisions"]}
    assert by_name[ALTERED]["status"] == "quarantined"
    assert by_name["photo.bin"]["status"] == "unsupported" and "photo.bin" in by_name["photo.bin"]["reason"]
    assert by_name["scan.pdf"]["status"] in ("rejected", "needs_ocr") and "scan.pdf" in by_name["scan.pdf"]["reason"]
    consistent = [p.name for p in SAMPLES.glob("*") if p.is_file() and p.suffix in (".txt", ".md", ".html")]
    assert all(by_name[n]["status"] == "loaded" for n in consistent)


def test_same_bytes_under_two_names_are_one_document_with_both_arrivals(runs):
    names = _query(
        runs["wh"],
        "select original_name from document_arrivals a join documents d using (document_id) "
        "where d.agency_id = (select agency_id from dim_agency where agency_name = '湘乡市信访局') order by 1",
    )
    assert [n for (n,) in names] == ["001_d450694d9fdf7559.txt", "same-bytes-other-name.txt"]


def test_altered_report_is_quarantined_naming_rule_r1_and_its_cells(runs):
    rows = _query(
        runs["wh"],
        "select rule_id, instance, cells from v_quarantine where original_name = ? order by instance",
        [ALTERED],
    )
    assert {(r, i) for r, i, _ in rows} == {("R1", "natural_person"), ("R1", "total")}
    cells = {c["key"]: c["value"] for c in json.loads(rows[0][2])}
    assert cells["table3.new_requests.natural_person"] == 5
    assert cells["table3.handled_total.natural_person"] == 4
    assert _query(
        runs["wh"],
        "select count(*) from fct_table3 f join v_documents d using (document_id) where d.original_name = ?",
        [ALTERED],
    ) == [(0,)]


def test_blank_total_column_is_not_assessable_and_the_report_still_loads(runs):
    rows = _query(
        runs["wh"],
        "select v.instance, v.outcome from validation_results v join v_documents d using (document_id) "
        "where d.original_name = '2019_shanghai-gov-office.html' and v.rule_id in ('R1', 'R3')",
    )
    outcome = dict(rows)
    assert outcome["granted"] == "not_assessable"  # R3: 总计 printed blank, never a pass
    # R1: 821 + 18 = 767 + 72 passes; passes are kept folded into one row per rule ('*')
    assert "natural_person" not in outcome and outcome["*"] == "pass"
    assert _query(
        runs["wh"], "select status from v_documents where original_name = '2019_shanghai-gov-office.html'"
    ) == [("loaded",)]


def test_loaded_facts_equal_the_hand_checked_truth(runs, corpus):
    truth = truth_of(corpus / "seeds")["003_be04c842d3f1cdaa.txt"]
    rows = _query(
        runs["wh"],
        "select row_key, column_key, requests from fct_table3 f join v_documents d using (document_id) "
        "where d.original_name = '003_be04c842d3f1cdaa.txt'",
    )
    loaded = {(r, c): v for r, c, v in rows}
    expected = {(r, c): v for r, cols in truth["table3"].items() for c, v in cols.items()}
    assert loaded == expected


def test_a_second_run_on_the_same_inbox_changes_nothing(runs):
    second = runs["second"]
    assert second["counts"] == {}
    assert second["already_known"] == second["files"]
    assert runs["snap1"] == runs["snap2"]


def test_a_failure_inside_the_load_leaves_no_half_loaded_batch(tmp_path, monkeypatch):
    wh = tmp_path / "ogi.duckdb"
    warehouse.migrate(wh)
    staged, _ = stage_files([SAMPLES / "003_be04c842d3f1cdaa.txt"], tmp_path / "staging")
    extracted = extract_batch(staged)
    real_query = warehouse.query
    monkeypatch.setattr(warehouse, "query", lambda name: real_query(name) + "\ninsert into no_such_table values (1);\n")
    with pytest.raises(duckdb.Error):
        load_mod.load_batch(wh, staged, extracted, [], "test")
    assert _query(wh, "select count(*) from documents") == [(0,)]
    assert _query(wh, "select count(*) from fct_table3") == [(0,)]


def test_the_next_batch_is_extracted_while_this_one_is_gated_and_loaded_and_the_warehouse_is_the_same(tmp_path):
    """A Prefetcher extracts batch 2 once batch 1's own documents are extracted; batch 2's core then
    extracts nothing itself, and the warehouse equals the one batches without prefetch build."""
    from functools import partial

    from expectations import load_catalogue
    from tasks.isolation import extract_isolated
    from tasks.pipeline import Batch, process_batch
    from tasks.prefetch import Prefetcher

    files = sorted(p for p in SAMPLES.iterdir() if p.is_file())
    first, second = tuple(files[:5]), tuple(files[5:])
    asked: list[list[str]] = []

    def counted(staged):
        asked.append(sorted(s.original_name for s in staged))
        return extract_isolated(staged, Settings(tmp_path / "x.duckdb").limits)

    ahead_cfg, plain_cfg = Settings(tmp_path / "a" / "ogi.duckdb"), Settings(tmp_path / "b" / "ogi.duckdb")
    for cfg in (ahead_cfg, plain_cfg):
        warehouse.migrate(cfg.warehouse)
    with Prefetcher(counted, ahead_cfg.staging) as ahead:
        process_batch(Batch(files=first), ahead_cfg, load_catalogue(), ahead.extractor(second))
        process_batch(Batch(files=second), ahead_cfg, load_catalogue(), ahead.extractor([]))
    # batch 1 asked for its own five, the prefetch for batch 2's; batch 2's core asked for nothing
    assert asked == [sorted(p.name for p in first), sorted(p.name for p in second), []]
    plain = partial(extract_isolated, limits=plain_cfg.limits)
    for chunk in (first, second):
        process_batch(Batch(files=chunk), plain_cfg, load_catalogue(), plain)
    query = "select document_id, status, status_reason, agency_name, report_year from documents order by 1"
    assert _rows_of(ahead_cfg, query) == _rows_of(plain_cfg, query)
    facts = "select document_id, row_key, column_key, requests from fct_table3 order by all"
    assert _rows_of(ahead_cfg, facts) == _rows_of(plain_cfg, facts)


def _rows_of(cfg: Settings, query: str) -> list[tuple]:
    with warehouse.reading(cfg.warehouse) as con:
        return con.execute(query).fetchall()

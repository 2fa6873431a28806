"""The workflow around the gate on a real warehouse: quarantine review, corrections and
acceptances with their audit trail, cross-year rules, and reprocessing that keeps corrections.
Every test works on its own copy of one warehouse loaded by the batch core."""

from __future__ import annotations

import copy
import shutil

import duckdb
import pytest
from conftest import SAMPLES, truth_of

import warehouse
from expectations import load_catalogue
from tasks import keys
from tasks.pipeline import Batch, process_batch
from tasks.quality import gate
from tasks.quality.crossyear import neighbour_pairs
from tasks.record import Record
from tasks.review import ReviewError, accept, correct, quarantine, reprocess
from tasks.settings import Settings

ALTERED = "003_new_requests_altered.txt"
HONGZE_2023 = "2023_huaian-hongze-district-gov.pdf"
HONGZE_2024 = "2024_huaian-hongze-district-gov.pdf"
FIX = ["table3.new_requests.natural_person=4", "table3.new_requests.total=4"]


def _q(cfg: Settings, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(cfg.warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, corpus) -> Settings:
    """The altered seed and the two Hongze reports, loaded once by the batch core."""
    cfg = Settings(tmp_path_factory.mktemp("review") / "ogi.duckdb")
    warehouse.migrate(cfg.warehouse)
    files = (SAMPLES / "altered" / ALTERED, corpus / "real" / HONGZE_2023, corpus / "real" / HONGZE_2024)
    process_batch(Batch(files=files), cfg, load_catalogue())
    return cfg


@pytest.fixture
def wh(loaded, tmp_path) -> Settings:
    """A copy of the loaded warehouse for one test (staged files stay shared: they never change)."""
    cfg = Settings(tmp_path / "ogi.duckdb")
    shutil.copy(loaded.warehouse, cfg.warehouse)
    return cfg


def test_review_lists_both_quarantined_reports_with_their_rules(wh):
    _, rows = quarantine(wh)
    failures = {file: f for _, file, _, _, f in rows}
    assert failures == {
        ALTERED: "R1(natural_person), R1(total)",
        HONGZE_2023: "R5(litigation_after_review), R5(review)",
    }


def test_cross_year_rules_compare_hongze_2024_with_2023(wh):
    rows = _q(
        wh,
        "select v.rule_id, v.instance, v.outcome, v.instances from validation_results v "
        "join v_documents d using (document_id) where d.original_name = ? and v.rule_id like 'X%' order by 1",
        [HONGZE_2024],
    )
    # X1 holds in all seven table-3 columns (2023 carried 0 over; 2024 carried 0 in), X2 for rules and
    # normative documents: passes are kept as one row per rule
    assert rows == [("X1", "*", "pass", len(keys.T3_COLUMNS)), ("X2", "*", "pass", 2)]
    # each instance compares this year's cell with the previous report's (prev.*)
    records = {
        name: Record.from_json(text)
        for name, text in _q(
            wh,
            "select original_name, record from v_documents d join documents using (document_id) "
            "where original_name in (?, ?)",
            [HONGZE_2023, HONGZE_2024],
        )  # fmt: skip
    }
    results = gate([records[HONGZE_2024]], pairs=[(records[HONGZE_2024], records[HONGZE_2023])])
    (total,) = [r for r in results if r.rule_id == "X1" and r.instance == "total"]
    assert total.outcome == "pass"
    assert {c["key"] for c in total.cells} == {"table3.carried_over_in.total", "prev.table3.carried_over_out.total"}


def test_cross_year_rules_pair_the_reports_of_one_agency_id_whatever_key_each_printed(wh):
    """An agency whose earlier report printed another key (a rename the rules could not see, joined by
    `ogi agencies merge` or an alias) is one agency_id: its reports pair for X1–X3 by that id."""
    (doc_2023,) = _q(wh, "select document_id from v_documents where original_name = ?", [HONGZE_2023])[0]
    con = duckdb.connect(str(wh.warehouse))
    try:  # the 2023 report is loaded (accepted), under a key of its own, but the same agency_id
        con.execute("update documents set status = 'loaded', agency_key = 'name:洪泽县人民政府' where document_id = ?",
                    [doc_2023])  # fmt: skip
    finally:
        con.close()
    (text_2024,) = _q(wh, "select record from v_documents d join documents using (document_id) "
                          "where original_name = ?", [HONGZE_2024])[0]  # fmt: skip
    record_2024 = Record.from_json(text_2024)
    assert record_2024.agency_key != "name:洪泽县人民政府"
    pairs = neighbour_pairs(wh.warehouse, [record_2024])
    assert [(r.document_id, prev.document_id) for r, prev in pairs] == [(record_2024.document_id, doc_2023)]
    con = duckdb.connect(str(wh.warehouse))
    try:  # a different agency printing that key is not a predecessor
        con.execute("update documents set agency_id = agency_id + 1000 where document_id = ?", [doc_2023])
    finally:
        con.close()
    assert neighbour_pairs(wh.warehouse, [record_2024]) == []


def test_a_correction_is_recorded_regated_and_loads_the_report(wh):
    with pytest.raises(ReviewError, match="not a cell"):
        correct(wh, ALTERED, ["table3.no_such_row.total=4"], "typo")
    doc, result = correct(wh, ALTERED, FIX, "typo in the source", "tester")
    assert result.outcomes[0].status == "loaded"
    audit = _q(wh, "select cell_key, printed_value, corrected_value, reason, corrected_by from corrections order by 1")
    assert audit == [
        ("table3.new_requests.natural_person", 5.0, 4.0, "typo in the source", "tester"),
        ("table3.new_requests.total", 5.0, 4.0, "typo in the source", "tester"),
    ]
    facts = _q(wh, "select requests, corrected from fct_table3 where document_id = ? and row_key = 'new_requests' "
               "and column_key = 'total'", [doc.staged.document_id])  # fmt: skip
    assert facts == [(4, True)]
    printed = _q(wh, "select (record->'table3'->'new_requests'->>'total')::int from documents where document_id = ?",
                 [doc.staged.document_id])  # fmt: skip
    assert printed == [(5,)]  # the record keeps the printed value


def test_an_acceptance_loads_the_report_with_its_violations_recorded(wh, corpus):
    doc, result = accept(wh, HONGZE_2023, "the source prints table 4 totals as 0", "tester")
    assert result.outcomes[0].status == "loaded"
    assert _q(wh, "select rules_accepted, accepted_by from acceptances") == [
        ("R5(litigation_after_review), R5(review)", "tester")
    ]
    still = _q(wh, "select instance from validation_results where document_id = ? and rule_id = 'R5' "
               "and outcome = 'fail' order by 1", [doc.staged.document_id])  # fmt: skip
    assert still == [("litigation_after_review",), ("review",)]
    truth = truth_of(corpus / "real")[HONGZE_2023]["table4"]
    loaded = dict(_q(wh, "select cell_key, cases from fct_table4 where document_id = ?", [doc.staged.document_id]))
    assert loaded == truth  # loaded as printed


def test_accepting_a_report_that_fails_nothing_is_refused_and_writes_nothing(wh):
    before = _q(wh, "select document_id, status from documents order by 1")
    with pytest.raises(ReviewError, match="fails no blocking rule"):
        accept(wh, HONGZE_2024, "nothing to accept", "tester")
    assert _q(wh, "select document_id, status from documents order by 1") == before
    assert _q(wh, "select count(*) from acceptances") == [(0,)]


def test_reprocess_changes_nothing_and_keeps_corrections_and_acceptances(wh):
    correct(wh, ALTERED, FIX, "typo in the source", "tester")
    accept(wh, HONGZE_2023, "the source prints table 4 totals as 0", "tester")
    before = _q(wh, "select original_name, status from v_documents order by 1")
    changes, total = reprocess(wh)
    assert total == 3 and changes == []
    assert _q(wh, "select original_name, status from v_documents order by 1") == before
    assert {s for _, s in before} == {"loaded"}
    assert _q(wh, "select count(*) from fct_table3 where corrected") == [(2,)]
    assert _q(wh, "select count(*) from acceptances") == [(1,)]


def test_synthetic_pairs_break_exactly_the_cross_year_rule_they_target(corpus):
    this = dict(truth_of(corpus / "seeds")["003_be04c842d3f1cdaa.txt"], document_id="y2024")
    prev = copy.deepcopy(this) | {"document_id": "y2023", "report_year": 2023}
    prev["table3"]["carried_over_out"]["natural_person"] = 3  # breaks X1 for that column only
    prev["table2"]["normative_documents"]["in_force"] = 9  # breaks X2: 9 + 0 − 0 ≠ 0
    results = gate([], pairs=[(Record.from_dict(this), Record.from_dict(prev))])
    failing = {(r.rule_id, r.instance) for r in results if r.outcome == "fail"}
    assert failing == {("X1", "natural_person"), ("X2", "normative_documents")}
    assert all(r.severity == "warning" for r in results)

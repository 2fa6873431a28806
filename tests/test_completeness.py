"""Completeness and plausibility are part of the gate (C1, C2, P1): a report extraction did not fully
find, or with a number no count can be, is quarantined. Truth from outside the code: the shared
corpora and fixtures (none may be blocked by these rules) and the same reports with cells removed,
shifted into absence, or joined."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest
from conftest import CORPUS, REPO

from tasks.parse import parse_record
from tasks.quality import blocking_failures, gate
from tasks.read import read_document, read_path
from tasks.record import Record

NEW_RULES = ("C1", "C2", "P1")
DOCS = sorted(
    p
    for d in (CORPUS / "seeds", CORPUS / "real", CORPUS / "legacy", REPO / "tests" / "fixtures" / "real")
    for p in d.iterdir()
    if p.is_file()
)


def _extracted(path: Path) -> Record:
    record = parse_record(read_path(path))
    return dataclasses.replace(record, document_id=hashlib.sha256(path.read_bytes()).hexdigest()[:16] + path.name)


@pytest.fixture(scope="module")
def extracted() -> dict[str, Record]:
    return {p.name: _extracted(p) for p in DOCS}


def _failing(records: list[Record]) -> dict[str, set[str]]:
    return {d: {r.rule_id for r in rs} for d, rs in blocking_failures(gate(records)).items()}


def test_no_real_seed_legacy_or_fixture_report_is_blocked_by_completeness_or_plausibility(extracted):
    assert len(extracted) >= 20
    failing = _failing(list(extracted.values()))
    assert not {d: f & set(NEW_RULES) for d, f in failing.items() if f & set(NEW_RULES)}


def test_removed_cells_block_as_incomplete_and_are_listed(extracted):
    seed = extracted["001_d450694d9fdf7559.txt"]  # a complete 2021 report
    t3 = {row: dict(cols) for row, cols in seed.table3.items()}
    del t3["granted"]
    t4 = {k: v for k, v in seed.table4.items() if not k.startswith("review_")}
    t2 = {k: v for k, v in seed.table2.items() if k != "licensing"}
    cut = dataclasses.replace(seed, document_id="cut", table2=t2, table3=t3, table4=t4)
    results = [r for r in gate([seed, cut]) if r.rule_id == "C1"]
    assert {r.document_id: r.outcome for r in results} == {seed.document_id: "pass", "cut": "fail"}
    listed = {c["key"] for r in results if r.document_id == "cut" for c in r.cells}
    assert "table3.granted.total" in listed and "table4.review_total" in listed
    assert "table2.licensing.decisions" in listed and len(listed) == 7 + 5 + 1


def test_printed_blank_dash_or_ambiguous_cells_are_not_absent(extracted):
    seed = extracted["002_991ae62c2104bae0.txt"]  # prints blank totals
    assert any(v is None for v in seed.cells().values())
    blanked = dataclasses.replace(
        seed,
        document_id="blanked",
        table4=dict.fromkeys(seed.table4),
        null_meanings={**seed.null_meanings, **{f"table4.{k}": "ambiguous" for k in seed.table4}},
    )
    assert not {d: f for d, f in _failing([seed, blanked]).items() if "C1" in f}


def test_a_shifted_row_that_lost_its_cells_blocks(corpus):
    """A table-4 row printed with a field missing and no label is left null, never shifted; if all its
    cells are blank the row is not found at all, and the gate says the extraction is incomplete."""
    text = (corpus / "seeds" / "000_2d75f7f597d72c01.txt").read_text(encoding="utf-8")
    line = "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    record = parse_record(read_document(text.replace(line, "x | " + " | " * 13 + " |").encode(), "t.txt"))
    record = dataclasses.replace(record, document_id="shifted")
    assert all(record.table4.get(k) is None for k in record.table4)
    failing = _failing([record])
    assert "C1" in failing.get("shifted", set()) or all(
        record.null_meanings.get(f"table4.{k}") == "ambiguous" for k in record.table4
    )


def test_joined_digits_and_impossible_counts_block(corpus):
    text = (corpus / "seeds" / "000_2d75f7f597d72c01.txt").read_text(encoding="utf-8")
    line = "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    joined = text.replace(line, "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 1 2 | 12 |")
    record = dataclasses.replace(parse_record(read_document(joined.encode(), "j.txt")), document_id="joined")
    assert record.table4["litigation_after_review_pending"] == 12  # what the cell's digits say
    huge = dataclasses.replace(
        record, document_id="huge", table3={**record.table3, "granted": {**record.table3["granted"], "total": 10**8}}
    )
    failing = _failing([record, huge])
    assert "P1" in failing["joined"] and "P1" in failing["huge"]


def test_a_legacy_report_with_no_figure_blocks(extracted):
    legacy = extracted["2011_pingtan-county.txt"]
    assert legacy.template == "legacy"
    empty = dataclasses.replace(legacy, document_id="empty", legacy={}, table3={}, table4={}, table2={})
    failing = _failing([legacy, empty])
    assert "C2" in failing["empty"] and "C2" not in failing.get(legacy.document_id, set())

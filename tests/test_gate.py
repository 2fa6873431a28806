"""The quality gate on the hand-checked truth records and on random consistent reports.

Every test runs real Great Expectations validations (no mocks). Expected outcomes come from the
truth files and their notes, or from the identities restated here, never from the gate's code.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expectations import CatalogueError, Check, load_catalogue
from expectations.suites import build_suite
from tasks import keys
from tasks.quality import GateError, RuleResult, blocking_failures
from tasks.quality import gate as gate_records
from tasks.record import Record

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
TRUTH = sorted(CORPUS.glob("*/truth/*.json"))
CONSISTENT = [
    *sorted((CORPUS / "seeds" / "truth").glob("*.json")),
    CORPUS / "real" / "truth" / "2023_shuyang-county-drc.json",
    *sorted((CORPUS / "real" / "truth").glob("2024_*.json")),
    CORPUS / "real" / "truth" / "2019_pingtan_zone.json",
]
HONGZE_2023 = "2023_huaian-hongze-district-gov"
SHANGHAI_2019 = "2019_shanghai-gov-office"
KEWEI_2024 = "2024_shanghai-stc-kewei"
IDENTITY_RULES = ("R1", "R2", "R3", "R5")
R1_ROWS = ("new_requests", "carried_over_in", "handled_total", "carried_over_out")

# each example is a GX run (~0.3 s), so few examples, each a batch of up to six records
FEW_GX_RUNS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def gate(records: list[dict[str, Any]], catalogue=None) -> list[RuleResult]:
    """The gate on records given in their JSON form (truth files, rendered and re-extracted records)."""
    return gate_records([Record.from_dict(r) for r in records], catalogue)


def doc_id(stem: str) -> str:
    """A fake sha256-style document id for a truth file."""
    return f"sha256:{stem}"


def truth(path: Path) -> dict[str, Any]:
    """A truth file as a gate input record."""
    return json.loads(path.read_text(encoding="utf-8")) | {"document_id": doc_id(path.stem)}


def record(stem: str) -> dict[str, Any]:
    """The truth record with this file stem."""
    (path,) = [p for p in TRUTH if p.stem == stem]
    return truth(path)


def of(results: list[RuleResult], stem: str, rule_id: str) -> dict[str, RuleResult]:
    """One document's results for one rule, by instance."""
    return {r.instance: r for r in results if r.document_id == doc_id(stem) and r.rule_id == rule_id}


@pytest.fixture(scope="module")
def corpus_results() -> list[RuleResult]:
    """One gate run over every truth record in the corpus."""
    return gate([truth(p) for p in TRUTH])


# ---------------------------------------------------------------- real records


def test_consistent_truth_records_have_no_blocking_failure(corpus_results):
    consistent = {doc_id(p.stem) for p in CONSISTENT}
    # C1 (completeness) is about extraction: a truth file leaves out the cells its checker could not
    # decide, where the extractor keeps them as null "ambiguous" (tests/test_completeness.py gates those)
    failures = {
        d: [(r.rule_id, r.instance) for r in rs if r.rule_id != "C1"]
        for d, rs in blocking_failures(corpus_results).items()
    }
    failures = {d: f for d, f in failures.items() if f}
    assert not consistent & failures.keys(), failures
    for path in CONSISTENT:  # not vacuous: every template report has identities that pass
        if truth(path)["template"] != "legacy":
            passed = {r.rule_id for r in corpus_results if r.document_id == doc_id(path.stem) and r.outcome == "pass"}
            assert passed & set(IDENTITY_RULES) and "R6" in passed, path.stem


def test_hongze_2023_fails_r5_for_exactly_the_groups_printed_with_total_zero(corpus_results):
    r5 = of(corpus_results, HONGZE_2023, "R5")
    assert {g: r.outcome for g, r in r5.items()} == {
        "review": "fail",
        "litigation_direct": "pass",
        "litigation_after_review": "fail",
    }
    review = r5["review"]
    assert {c["key"] for c in review.cells} == {f"table4.review_{o}" for o in keys.T4_OUTCOMES}
    assert (review.lhs, review.rhs) == (0, 11)  # notes: printed 10/1/0/0 with 总计 0
    assert (r5["litigation_after_review"].lhs, r5["litigation_after_review"].rhs) == (0, 5)
    assert "review" in review.message_en and "行政复议" in review.message_zh
    assert review.severity == "blocking"
    only = blocking_failures(corpus_results)[doc_id(HONGZE_2023)]
    assert {(r.rule_id, r.instance) for r in only} == {
        ("R5", "review"),
        ("R5", "litigation_after_review"),
    }


def test_shanghai_2019_blank_total_column_makes_r3_not_assessable_on_outcome_rows(corpus_results):
    r3 = of(corpus_results, SHANGHAI_2019, "R3")
    assert {r3[row].outcome for row in keys.T3_OUTCOME_ROWS} == {"not_assessable"}
    assert all(f"table3.{row}.total" in r3[row].message_en for row in keys.T3_OUTCOME_ROWS if row != "other_total")


def test_shanghai_2019_r1_passes_on_the_columns_whose_four_cells_are_filled(corpus_results):
    t3 = record(SHANGHAI_2019)["table3"]
    filled = {c for c in keys.T3_COLUMNS if all(t3[row][c] is not None for row in R1_ROWS)}
    assert filled == {"natural_person", "total"}  # notes: 821+18 = 767+72 and 859+18 = 805+72
    r1 = of(corpus_results, SHANGHAI_2019, "R1")
    assert {c: r.outcome for c, r in r1.items()} == {
        c: "pass" if c in filled else "not_assessable" for c in keys.T3_COLUMNS
    }
    assert (r1["total"].lhs, r1["total"].rhs) == (877, 877)


def test_kewei_2024_r1_total_is_not_assessable_because_carried_over_out_total_is_blank(
    corpus_results,
):
    r1 = of(corpus_results, KEWEI_2024, "R1")
    assert r1["total"].outcome == "not_assessable"
    assert (r1["total"].lhs, r1["total"].rhs) == (None, None)
    assert "table3.carried_over_out.total (blank)" in r1["total"].message_en
    assert {c: r.outcome for c, r in r1.items() if c != "total"} == dict.fromkeys(keys.T3_APPLICANT_COLUMNS, "pass")


def test_legacy_records_get_not_assessable_identities_and_never_fail(corpus_results):
    legacy = {doc_id(p.stem) for p in TRUTH if truth(p)["template"] == "legacy"}
    assert len(legacy) >= 6
    for d in legacy:
        identities = [r for r in corpus_results if r.document_id == d and r.rule_id in IDENTITY_RULES]
        assert sorted(r.rule_id for r in identities) == sorted(IDENTITY_RULES)
        assert {(r.outcome, r.instance) for r in identities} == {("not_assessable", "*")}
    assert not legacy & blocking_failures(corpus_results).keys()


def test_r2_uses_single_other_row_where_2021_sub_rows_are_not_printed(corpus_results):
    r2 = of(corpus_results, "2024_huaian-hongze-district-gov", "R2")  # hybrid: one (六) row
    assert r2["total"].outcome == "pass"
    assert "table3.other_total.total" in {c["key"] for c in r2["total"].cells}


def test_warnings_fire_but_never_block(corpus_results):
    seed_2019_layout = "000_2d75f7f597d72c01"  # a report on 2021 in the 2019 template
    (outdated,) = of(corpus_results, seed_2019_layout, "W_TEMPLATE_OUTDATED").values()
    assert (outdated.outcome, outdated.severity, outdated.lhs) == ("fail", "warning", 2021)
    (rules_power,) = of(corpus_results, SHANGHAI_2019, "W_RULES_POWER").values()
    assert (rules_power.outcome, rules_power.lhs) == ("fail", 3)  # truth records carry no agency level
    assert "rule-making power" in rules_power.message_en
    (blank,) = of(corpus_results, SHANGHAI_2019, "W_BLANK").values()
    assert blank.outcome == "fail" and blank.lhs == len(blank.cells) > 0
    assert all(c["value"] is None for c in blank.cells)
    flagged = {doc_id(seed_2019_layout), doc_id(SHANGHAI_2019)}
    assert not flagged & blocking_failures(corpus_results).keys()


def test_rules_power_warning_spares_agencies_that_can_make_rules():
    rec = record(SHANGHAI_2019)  # 上海市人民政府办公厅: a province-level government
    county = {**rec, "document_id": "county", "agency_level": "county", "agency_kind": "government"}
    province = {**rec, "document_id": "province", "agency_level": "province", "agency_kind": "government"}
    results = gate([county, province])
    outcome = {r.document_id: r.outcome for r in results if r.rule_id == "W_RULES_POWER"}
    assert outcome == {"county": "fail", "province": "pass"}


def test_money_and_signed_cells_are_not_counts_for_r6(corpus_results):
    # Shanghai 2019 prints procurement_amount "251000元"; fees are decimals in 万元 elsewhere
    assert [r.outcome for r in of(corpus_results, SHANGHAI_2019, "R6").values()] == ["pass"]
    fees_in_10k_yuan = of(corpus_results, HONGZE_2023, "R6")  # amount_10k_yuan 7730.28
    assert [r.outcome for r in fees_in_10k_yuan.values()] == ["pass"]


# ---------------------------------------------------------------- edited records


def test_negative_fractional_or_text_count_fails_r6_naming_the_cell():
    rec = record(KEWEI_2024)
    rec["table3"]["granted"]["research"] = -1
    rec["table4"]["review_other"] = 0.5
    rec["table2"]["licensing"]["decisions"] = "97件"
    rec["positions"] = {"table3.granted.research": "p.3 (120.0,300.5,140.0,310.0)"}
    r6 = {r.instance: r for r in gate([rec]) if r.rule_id == "R6"}
    assert set(r6) == {
        "table3.granted.research",
        "table4.review_other",
        "table2.licensing.decisions",
    }
    assert {r.outcome for r in r6.values()} == {"fail"}
    assert r6["table3.granted.research"].cells == (
        {
            "key": "table3.granted.research",
            "value": -1,
            "position": "p.3 (120.0,300.5,140.0,310.0)",
            "side": None,
        },
    )
    assert "97件" in r6["table2.licensing.decisions"].message_en


def test_negative_items_change_in_2019_is_allowed():
    rec = record(SHANGHAI_2019)
    rec["table2"]["penalty"]["items_change"] = -3
    assert [r.outcome for r in gate([rec]) if r.rule_id == "R6"] == ["pass"]


def test_blank_operand_is_not_assessable_where_reading_it_as_zero_would_pass():
    rec = record(KEWEI_2024)
    assert rec["table3"]["granted"]["research"] == 0
    rec["table3"]["granted"]["research"] = None
    results = gate([rec])
    assert of(results, KEWEI_2024, "R2")["research"].outcome == "not_assessable"
    assert of(results, KEWEI_2024, "R3")["granted"].outcome == "not_assessable"
    assert doc_id(KEWEI_2024) not in blocking_failures(results)


def test_absent_table4_makes_r5_not_assessable():
    rec = record(KEWEI_2024)
    del rec["table4"]
    r5 = of(gate([rec]), KEWEI_2024, "R5")
    assert {g: r.outcome for g, r in r5.items()} == dict.fromkeys(keys.T4_GROUPS, "not_assessable")
    assert "table4.review_total (absent)" in r5["review"].message_en


def test_r2_adds_printed_2021_other_rows_not_the_derived_other_total():
    rec = record(KEWEI_2024)
    rec["table3"]["other_total"]["natural_person"] += 100  # a wrong derived row
    results = gate([rec])
    assert of(results, KEWEI_2024, "R2")["natural_person"].outcome == "pass"
    assert of(results, KEWEI_2024, "R3")["other_total"].outcome == "fail"


def test_results_carry_the_source_position_of_every_operand():
    rec = record(SHANGHAI_2019)
    rec["positions"] = {
        "table3.new_requests.total": "L120",
        "table3.carried_over_out.total": "L131",
    }
    total = of(gate([rec]), SHANGHAI_2019, "R1")["total"]
    positions = {c["key"]: (c["side"], c["value"], c["position"]) for c in total.cells}
    assert positions == {
        "table3.new_requests.total": ("lhs", 859, "L120"),
        "table3.carried_over_in.total": ("lhs", 18, None),
        "table3.handled_total.total": ("rhs", 805, None),
        "table3.carried_over_out.total": ("rhs", 72, "L131"),
    }
    assert total.suite_version == load_catalogue().suite_version


def test_rule_gx_cannot_evaluate_raises_instead_of_reporting_an_outcome():
    catalogue = load_catalogue()
    broken = dataclasses.replace(
        catalogue,
        rules=tuple(
            dataclasses.replace(r, check=Check(column="printed", regex="([0-9"))  # invalid RE2
            if r.id == "R6"
            else r
            for r in catalogue.rules
        ),
    )
    with pytest.raises(GateError, match="R6"):
        gate([record(KEWEI_2024)], broken)


def test_empty_batch_gives_no_results():
    assert gate([]) == []


# ---------------------------------------------------------------- catalogue and suite


def test_catalogue_rules_carry_id_severity_and_messages_in_both_languages():
    catalogue = load_catalogue()
    assert catalogue.suite_version
    assert {r.id for r in catalogue.rules} >= {
        "R1",
        "R2",
        "R3",
        "R5",
        "R6",
        "W_BLANK",
        "W_TEMPLATE_OUTDATED",
        "W_RULES_POWER",
    }
    for rule in catalogue.rules:
        assert rule.severity == ("warning" if rule.id.startswith(("W_", "X")) else "blocking")
        assert rule.scope == ("cross_year" if rule.id.startswith("X") else "report")
        assert rule.message_zh and rule.message_en and rule.statement
    assert catalogue.rule("R1").statement == (
        "table3.new_requests.{c} + table3.carried_over_in.{c} = table3.handled_total.{c} + table3.carried_over_out.{c}"
    )


def test_suite_has_one_expectation_per_rule_tagged_with_its_id_and_severity():
    catalogue = load_catalogue()
    suite = build_suite(catalogue)
    tagged = {e.meta["rule_id"]: e for e in suite.expectations}
    assert list(tagged) == [r.id for r in catalogue.rules]
    assert tagged["R1"].severity == "critical" and tagged["W_BLANK"].severity == "warning"
    assert {e.meta["suite_version"] for e in suite.expectations} == {catalogue.suite_version}


def test_catalogue_refuses_a_placeholder_that_is_not_a_key_constant(tmp_path):
    text = (REPO / "expectations" / "rules.toml").read_text(encoding="utf-8")
    bad = tmp_path / "rules.toml"
    bad.write_text(text.replace("{T3_OUTCOME_ROWS}", "{T3_OUTCOME_ROWZ}"), encoding="utf-8")
    with pytest.raises(CatalogueError, match="T3_OUTCOME_ROWZ"):
        load_catalogue(bad)


def test_importing_the_gate_does_not_import_great_expectations():
    code = "import sys, tasks.quality; sys.exit('great_expectations' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO, check=False).returncode == 0


# ---------------------------------------------------------------- properties


@st.composite
def consistent_records(draw: st.DrawFn) -> dict[str, Any]:
    """A random report whose tables satisfy R1-R6: outcome rows drawn, totals derived."""
    template = draw(st.sampled_from(["2019", "2021"]))
    others = keys.OTHER_SUBROWS if template == "2021" else ("other_total",)
    outcome_rows = [r for r in keys.T3_OUTCOME_ROWS if r != "other_total"] + list(others)
    count = st.integers(0, 40)
    t3: dict[str, dict[str, int]] = {}
    for c in keys.T3_APPLICANT_COLUMNS:
        column = {row: draw(count) for row in outcome_rows}
        handled, carried_out = sum(column.values()), draw(count)
        carried_in = draw(st.integers(0, handled + carried_out))
        column |= {
            "handled_total": handled,
            "carried_over_out": carried_out,
            "carried_over_in": carried_in,
            "new_requests": handled + carried_out - carried_in,
        }
        for row, value in column.items():
            t3.setdefault(row, {})[c] = value
    if template == "2021" and draw(st.booleans()):  # the extractor may add the derived row
        t3["other_total"] = {c: sum(t3[s][c] for s in keys.OTHER_SUBROWS) for c in keys.T3_APPLICANT_COLUMNS}
    for row in t3.values():
        row["total"] = sum(row.values())
    t4: dict[str, int] = {}
    for g in keys.T4_GROUPS:
        parts = {f"{g}_{o}": draw(count) for o in keys.T4_OUTCOMES if o != "total"}
        t4 |= parts | {f"{g}_total": sum(parts.values())}
    t2 = {row.key: {col: draw(count) for col in row.columns} for row in keys.T2_ROWS[template]}
    year = draw(st.integers(2019, 2025))
    return {"template": template, "report_year": year, "table3": t3, "table4": t4, "table2": t2}


def covering_rules(rec: dict[str, Any], key: str) -> set[tuple[str, str]]:
    """(rule, instance) of every identity that reads this cell, restated from statute §3."""
    table, *path = key.split(".")
    if table == "table4":
        return {("R5", path[0].rsplit("_", 1)[0])}
    row, column = path
    covered = {("R3", row)}
    if row in R1_ROWS:
        covered.add(("R1", column))
    printed_others = [s for s in keys.OTHER_SUBROWS if s in rec["table3"]] or ["other_total"]
    if row in {"handled_total", *keys.T3_OUTCOME_ROWS} - {"other_total"} | {*printed_others}:
        covered.add(("R2", column))
    return covered


def identity_cells(rec: dict[str, Any]) -> list[str]:
    """Key paths of every table-3 and table-4 cell of a record."""
    return [f"table3.{r}.{c}" for r, cols in rec["table3"].items() for c in cols] + [
        f"table4.{k}" for k in rec["table4"]
    ]


@FEW_GX_RUNS
@given(st.lists(consistent_records(), min_size=1, max_size=6))
def test_random_consistent_records_pass_every_blocking_rule(recs):
    recs = [r | {"document_id": f"doc{i}"} for i, r in enumerate(recs)]
    # the drawn records have no table 2, so C1 (completeness, tests/test_completeness.py) fails them;
    # C2 is for legacy reports only (one not-applicable row here)
    blocking = [r for r in gate(recs) if r.severity == "blocking" and r.rule_id not in ("C1", "C2")]
    assert {r.outcome for r in blocking} == {"pass"}
    for rec in recs:
        seen = {(r.rule_id, r.instance) for r in blocking if r.document_id == rec["document_id"]}
        expected = {(rule, c) for rule in ("R1", "R2") for c in keys.T3_COLUMNS}
        expected |= {("R3", row) for row in rec["table3"]} | {("R5", g) for g in keys.T4_GROUPS}
        assert seen == expected | {("R6", "*"), ("P1", "implausible_counts")}


@FEW_GX_RUNS
@given(st.data())
def test_adding_one_to_any_cell_fails_exactly_the_rules_that_read_it(data):
    recs = data.draw(st.lists(consistent_records(), min_size=1, max_size=6))
    changed = {}
    for i, rec in enumerate(recs):
        rec["document_id"] = f"doc{i}"
        key = data.draw(st.sampled_from(identity_cells(rec)))
        table, *path = key.split(".")
        node = rec[table]
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] += 1
        changed[rec["document_id"]] = (key, node[path[-1]], covering_rules(rec, key))
    results = gate(copy.deepcopy(recs))
    for document_id, (key, value, covered) in changed.items():
        fails = [  # C1: the drawn records have no table 2 (completeness has its own tests)
            r
            for r in results
            if r.document_id == document_id and r.outcome == "fail" and r.severity == "blocking" and r.rule_id != "C1"
        ]
        assert {(r.rule_id, r.instance) for r in fails} == covered, key
        for r in fails:
            assert {"key": key, "value": value} in [{"key": c["key"], "value": c["value"]} for c in r.cells]

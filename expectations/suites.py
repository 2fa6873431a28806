"""Build the Great Expectations suite from the rule catalogue: one named expectation per rule.

Great Expectations takes ~5 s to import, so it is imported inside the functions, never at module
import. GX validates the batch's instance frame in its wide form: each rule's compared values in
columns of its own (`R1.lhs`, `R1.rhs`, `R6.printed`…), null on the other rules' rows, so every
expectation reads whole columns (a row_condition per rule costs GX one pandas query per metric, ~10×
the validation) and returns failing rows by `row_id`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from expectations import Catalogue, Rule

if TYPE_CHECKING:
    from great_expectations import ExpectationSuite
    from great_expectations.expectations import Expectation

# Must be passed to ValidationDefinition.run(): GX 1.24 ignores an expectation's own
# result_format there and falls back to SUMMARY (at most 20 failing rows, no full index list).
RESULT_FORMAT: dict[str, Any] = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": ["row_id"],
}
GX_SEVERITY = {"blocking": "critical", "warning": "warning"}


def suite_name(catalogue: Catalogue) -> str:
    """The suite's name carries the catalogue version, so Data Docs say which rules ran."""
    return f"ogi_gate_{catalogue.suite_version}"


def build_suite(catalogue: Catalogue) -> ExpectationSuite:
    """A fresh (unsaved) GX suite with one expectation per catalogue rule, in catalogue order."""
    import great_expectations as gx

    suite = gx.ExpectationSuite(name=suite_name(catalogue), meta={"suite_version": catalogue.suite_version})
    for rule in catalogue.rules:
        suite.add_expectation(expectation_for(rule, catalogue.suite_version))
    return suite


def rule_column(rule: Rule, column: str) -> str:
    """The wide frame's column holding one rule's values of an instance-frame column (lhs, rhs, printed)."""
    return f"{rule.id}.{column}"


def compared_columns(rule: Rule) -> tuple[str, ...]:
    """Instance-frame columns the rule's expectation compares (a null in any makes the row missing)."""
    if rule.kind == "identity":
        return ("lhs", "rhs")
    assert rule.check is not None  # the catalogue loader guarantees it
    return (rule.check.column,)


def expectation_for(rule: Rule, suite_version: str) -> Expectation:
    """The GX expectation enforcing one rule on its columns of the wide instance frame."""
    import great_expectations.expectations as gxe

    common: dict[str, Any] = {
        "severity": GX_SEVERITY[rule.severity],
        "description": f"{rule.id} ({rule.severity}): {rule.statement}",
        "notes": [rule.message_zh, rule.message_en],
        "meta": {
            "rule_id": rule.id,
            "severity": rule.severity,
            "statement": rule.statement,
            "message_zh": rule.message_zh,
            "message_en": rule.message_en,
            "suite_version": suite_version,
        },
    }
    if rule.kind == "identity":
        # not-assessable instances carry null lhs/rhs: GX counts them as missing, not as rows
        return gxe.ExpectColumnPairValuesToBeEqual(
            column_A=rule_column(rule, "lhs"),
            column_B=rule_column(rule, "rhs"),
            ignore_row_if="either_value_is_missing",
            **common,
        )
    check = rule.check
    assert check is not None  # the catalogue loader guarantees it
    column = rule_column(rule, check.column)
    if check.regex is not None:
        return gxe.ExpectColumnValuesToMatchRegex(column=column, regex=check.regex, **common)
    return gxe.ExpectColumnValuesToBeBetween(
        column=column, min_value=check.min_value, max_value=check.max_value, **common
    )

"""The rule catalogue expanded over records: one instance per (document, rule, column/row/cell).

An identity instance carries its two sides (lhs, rhs), a cell instance the printed value. An
operand that is blank, absent or not an integer makes its side null: the instance is
"not_assessable" (never read as 0), and GX counts it as missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import polars as pl

from expectations import Rule, expand, keys_constant
from tasks.quality.doc import INT64_MAX, Doc, GateError
from tasks.quality.measures import MEASURES, is_integer, selected_cells

# The instance frame; suites.py's expectations and the catalogue's checks name these columns.
FRAME_SCHEMA: dict[str, type[pl.DataType]] = {
    "row_id": pl.Int64,
    "document_id": pl.String,
    "rule_id": pl.String,
    "instance": pl.String,
    "lhs": pl.Int64,
    "rhs": pl.Int64,
    "printed": pl.String,
}


class Instance(NamedTuple):
    """One row of the instance frame, with what is needed to explain its outcome."""

    doc: Doc
    rule: Rule
    instance: str
    label: str
    kind: str  # identity | cell | measure | not_applicable | summary
    operands: tuple[tuple[str, str | None], ...] = ()  # (key, side) of the cells it reads
    lhs: int | None = None
    rhs: int | None = None
    printed: str | None = None
    missing: tuple[tuple[str, str], ...] = ()  # (key, reason) of operands that are not integers

    @property
    def assessable(self) -> bool:
        """Whether GX can judge this row: every value its check compares is present."""
        if self.kind == "identity":
            return self.lhs is not None and self.rhs is not None
        if self.kind in ("not_applicable", "summary") or self.rule.check is None:
            return False
        return getattr(self, self.rule.check.column) is not None


def instances_of(rule: Rule, doc: Doc) -> list[Instance]:
    """The rule's instances in one document (one not-applicable row for other templates)."""
    if doc.template not in rule.templates:
        return [Instance(doc, rule, "*", "*", "not_applicable")] if rule.severity == "blocking" else []
    if rule.kind == "identity":
        return _identity_instances(rule, doc)
    if rule.kind == "measure":
        return [_measure_instance(rule, doc)]
    return _cell_instances(rule, doc)


def _identity_instances(rule: Rule, doc: Doc) -> list[Instance]:
    """One instance per member of the rule's domain, sides summed from the document's cells."""
    labels = keys_constant(rule.labels) if rule.labels else {}
    instances = []
    for member in keys_constant(rule.domain):
        bindings = {rule.var: member}
        if rule.printed_only and not doc.record.prints(expand(rule.printed_only, bindings)[0]):
            continue
        operands = tuple(
            (key, side)
            for side, terms in (("lhs", rule.lhs), ("rhs", rule.rhs))
            for key in _substituted(rule, doc, bindings, [k for t in terms for k in expand(t.path, bindings)])
        )
        missing = tuple((key, why) for key, _ in operands if (why := doc.why_not_integer(key)))
        lhs = None if missing else _side_sum(doc, operands, "lhs")
        rhs = None if missing else _side_sum(doc, operands, "rhs")
        if lhs is not None and rhs is not None and max(abs(lhs), abs(rhs)) > INT64_MAX:
            lhs = rhs = None  # a sum no count can reach: not assessable (a plausibility rule says why)
            missing = tuple((key, "not_integer") for key, _ in operands)
        instances.append(
            Instance(doc, rule, member, labels.get(member, member), "identity", operands, lhs, rhs, None, missing)
        )
    return instances


def _substituted(rule: Rule, doc: Doc, bindings: Mapping[str, str], keys: list[str]) -> list[str]:
    """Operand keys with `printed_instead` applied: printed sub-rows replace a derived row."""
    for prefix, replacement in rule.printed_instead:
        rows = expand(replacement, bindings)
        if any(doc.record.prints(row) for row in rows):
            keys = [
                new
                for key in keys
                for new in ([row + key[len(prefix) :] for row in rows] if key.startswith(prefix + ".") else [key])
            ]
    return keys


def _side_sum(doc: Doc, operands: tuple[tuple[str, str | None], ...], side: str) -> int:
    """Sum of one side's operands (all known to be integers)."""
    return sum(doc.cells[key] for key, s in operands if s == side)


def _cell_instances(rule: Rule, doc: Doc) -> list[Instance]:
    """One instance per cell the document holds that the rule's patterns select."""
    return [
        Instance(
            doc,
            rule,
            key,
            key,
            "cell",
            ((key, None),),
            lhs=value if is_integer(value) and abs(value) <= INT64_MAX else None,
            printed=None if value is None else str(value),
        )
        for key, value in selected_cells(rule, doc)
    ]


def _measure_instance(rule: Rule, doc: Doc) -> Instance:
    """The document-level figure a measure rule checks, with the cells it was measured on."""
    try:
        measure = MEASURES[rule.measure]
    except KeyError:
        raise GateError(f"rule {rule.id}: unknown measure {rule.measure!r}") from None
    value, keys = measure(rule, doc)
    operands = tuple((key, None) for key in keys)
    return Instance(doc, rule, rule.measure, rule.measure, "measure", operands, lhs=value)


def instance_frame(instances: list[Instance]) -> pl.DataFrame:
    """The long frame GX validates: one row per instance, row_id = position in `instances`."""
    return pl.DataFrame(
        {
            "row_id": range(len(instances)),
            "document_id": [i.doc.id for i in instances],
            "rule_id": [i.rule.id for i in instances],
            "instance": [i.instance for i in instances],
            "lhs": [i.lhs for i in instances],
            "rhs": [i.rhs for i in instances],
            "printed": [i.printed for i in instances],
        },
        schema=FRAME_SCHEMA,
    )

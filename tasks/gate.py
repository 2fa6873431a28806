"""The quality gate: expand the rule catalogue over a batch of records, validate it once with GX.

Each rule in expectations/rules.toml becomes rows of one long polars frame, one row per
(document, rule, instance): an identity instance carries its two sides (lhs, rhs), a cell
instance the printed value. An operand that is blank, absent or not an integer makes its side
null: that instance is "not_assessable" (never read as 0) and GX skips it as missing. One GX
validation per batch then decides pass/fail for the rest; failing rows come back by row_id.

Choices:
- R6 (non-negative integers) reports one result per failing cell; a document without failures
  gets one summary result instead of ~200 passes.
- A blocking rule that does not apply to a template (the identities on legacy reports, which
  have no template tables) gives one "not_assessable" result with instance "*", so the record
  shows the identities were not assessed; warnings that do not apply say nothing.
- R6 and the other cell rules give nothing for a record that holds no table cells.
- `cells` of a result lists every operand (both sides, `side` "lhs"/"rhs") for identities, the
  cell itself for cell rules, the cells a measure was read from (W_BLANK: the blank cells);
  summaries and not-applicable results have none.
- Warnings never fail the gate: `blocking_failures` only counts severity "blocking".
"""

from __future__ import annotations

import fnmatch
import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, NamedTuple

import polars as pl

from expectations import Catalogue, Rule, expand, keys_constant, load_catalogue
from expectations.suites import RESULT_FORMAT, build_suite

Outcome = Literal["pass", "fail", "not_assessable"]
Cell = dict[str, Any]  # {"key", "value", "position", "side"}

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
TABLES = ("table3", "table4", "table2")


class GateError(RuntimeError):
    """GX could not evaluate a rule (broken, not violated): no outcome may be reported."""


@dataclass(frozen=True)
class RuleResult:
    """The outcome of one rule on one instance (column, row, group or cell) of one document."""

    document_id: str
    rule_id: str
    severity: Literal["blocking", "warning"]
    outcome: Outcome
    instance: str
    message_zh: str
    message_en: str
    cells: tuple[Cell, ...]  # every operand, both sides, with its value and source position
    lhs: int | None
    rhs: int | None
    suite_version: str


@dataclass(frozen=True)
class _Doc:
    """A record prepared once for every rule: its table cells by key path, and positions."""

    id: str
    template: str
    record: dict[str, Any]
    cells: dict[str, Any]  # table3.<row>.<col>, table4.<key>, table2.<row>.<col> -> value
    positions: Mapping[str, Any]

    @classmethod
    def of(cls, record: dict[str, Any]) -> _Doc:
        """Index a record's cells; a record without document_id is a programming error."""
        cells = _table_cells(record, "")
        positions = dict(record.get("positions") or {})
        if prev := record.get("prev"):  # cross-year rules read the previous report as prev.*
            cells.update(_table_cells(prev, "prev."))
            positions.update({f"prev.{k}": v for k, v in (prev.get("positions") or {}).items()})
        return cls(record["document_id"], str(record.get("template")), record, cells, positions)

    def prints(self, path: str) -> bool:
        """Whether the document prints this cell or row at all (blank counts as printed)."""
        node: Any = self.record
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return False
            node = node[part]
        return True

    def cell(self, key: str, side: str | None) -> Cell:
        """A cell (or top-level field such as report_year) as results report it."""
        value = self.cells[key] if key in self.cells else self.record.get(key)
        return {"key": key, "value": value, "position": self.positions.get(key), "side": side}

    def why_not_integer(self, key: str) -> str:
        """Why a cell cannot be added up (blank, absent, not_integer), or '' if it can."""
        if key not in self.cells:
            return "absent"
        value = self.cells[key]
        if value is None:
            return "blank"
        return "" if _is_integer(value) else "not_integer"


def _table_cells(record: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A record's table cells by key path (table3.<row>.<col>, table4.<key>, …), prefixed."""
    cells = {}
    for table in TABLES:
        for key, value in (record.get(table) or {}).items():
            if isinstance(value, dict):
                cells.update((f"{prefix}{table}.{key}.{col}", v) for col, v in value.items())
            else:
                cells[f"{prefix}{table}.{key}"] = value
    return cells


class _Instance(NamedTuple):
    """One row of the instance frame, with what is needed to explain its outcome."""

    doc: _Doc
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


def gate(
    records: list[dict[str, Any]],
    catalogue: Catalogue | None = None,
    scope: str = "report",
    docs_root: Path | None = None,
) -> list[RuleResult]:
    """Every rule's outcome on every instance of every record, from one GX validation.

    scope "report" runs the rules on one report; "cross_year" runs the rules comparing a report
    with the same agency's previous one, given as `record["prev"]`. With `docs_root`, the
    validation is stored in a GX project there and its Data Docs site is rebuilt.
    """
    catalogue = (catalogue or load_catalogue()).scoped(scope)
    docs = [_Doc.of(record) for record in records]
    instances = [i for doc in docs for rule in catalogue.rules for i in instances_of(rule, doc)]
    if not instances:
        return []
    failing = failing_rows(instance_frame(instances), catalogue, docs_root, scope)
    return _results(instances, failing, catalogue)


def blocking_failures(results: Iterable[RuleResult]) -> dict[str, list[RuleResult]]:
    """Failed blocking results by document; a document absent here passed the gate."""
    failures: dict[str, list[RuleResult]] = {}
    for r in results:
        if r.severity == "blocking" and r.outcome == "fail":
            failures.setdefault(r.document_id, []).append(r)
    return failures


# ---------------------------------------------------------------- catalogue -> instances


def instances_of(rule: Rule, doc: _Doc) -> list[_Instance]:
    """The rule's instances in one document (one not-applicable row for other templates)."""
    if doc.template not in rule.templates:
        return [_Instance(doc, rule, "*", "*", "not_applicable")] if rule.severity == "blocking" else []
    if rule.kind == "identity":
        return _identity_instances(rule, doc)
    if rule.kind == "measure":
        return [_measure_instance(rule, doc)]
    return _cell_instances(rule, doc)


def _identity_instances(rule: Rule, doc: _Doc) -> list[_Instance]:
    """One instance per member of the rule's domain, sides summed from the document's cells."""
    labels = keys_constant(rule.labels) if rule.labels else {}
    instances = []
    for member in keys_constant(rule.domain):
        bindings = {rule.var: member}
        if rule.printed_only and not doc.prints(expand(rule.printed_only, bindings)[0]):
            continue
        operands = tuple(
            (key, side)
            for side, terms in (("lhs", rule.lhs), ("rhs", rule.rhs))
            for key in _substituted(rule, doc, bindings, [k for t in terms for k in expand(t.path, bindings)])
        )
        missing = tuple((key, why) for key, _ in operands if (why := doc.why_not_integer(key)))
        instances.append(
            _Instance(
                doc,
                rule,
                member,
                labels.get(member, member),
                "identity",
                operands,
                lhs=None if missing else _side_sum(doc, operands, "lhs"),
                rhs=None if missing else _side_sum(doc, operands, "rhs"),
                missing=missing,
            )
        )
    return instances


def _substituted(rule: Rule, doc: _Doc, bindings: Mapping[str, str], keys: list[str]) -> list[str]:
    """Operand keys with `printed_instead` applied: printed sub-rows replace a derived row."""
    for prefix, replacement in rule.printed_instead:
        rows = expand(replacement, bindings)
        if any(doc.prints(row) for row in rows):
            keys = [
                new
                for key in keys
                for new in ([row + key[len(prefix) :] for row in rows] if key.startswith(prefix + ".") else [key])
            ]
    return keys


def _side_sum(doc: _Doc, operands: tuple[tuple[str, str | None], ...], side: str) -> int:
    """Sum of one side's operands (all known to be integers)."""
    return sum(doc.cells[key] for key, s in operands if s == side)


def _cell_instances(rule: Rule, doc: _Doc) -> list[_Instance]:
    """One instance per cell the document holds that the rule's patterns select."""
    return [
        _Instance(
            doc,
            rule,
            key,
            key,
            "cell",
            ((key, None),),
            lhs=value if _is_integer(value) else None,
            printed=None if value is None else str(value),
        )
        for key, value in _selected_cells(rule, doc)
    ]


def _measure_instance(rule: Rule, doc: _Doc) -> _Instance:
    """The document-level figure a measure rule checks, with the cells it was measured on."""
    try:
        measure = MEASURES[rule.measure]
    except KeyError:
        raise GateError(f"rule {rule.id}: unknown measure {rule.measure!r}") from None
    value, keys = measure(rule, doc)
    operands = tuple((key, None) for key in keys)
    return _Instance(doc, rule, rule.measure, rule.measure, "measure", operands, lhs=value)


def _blank_cells(rule: Rule, doc: _Doc) -> tuple[int, tuple[str, ...]]:
    """How many selected cells are printed blank, and which."""
    blanks = tuple(key for key, value in _selected_cells(rule, doc) if value is None)
    return len(blanks), blanks


def _report_year(rule: Rule, doc: _Doc) -> tuple[int | None, tuple[str, ...]]:
    """The report year (the template is shown beside it)."""
    year = doc.record.get("report_year")
    return (year if _is_integer(year) else None), ("report_year", "template")


# figure the prose quotes → the table cells that print the same figure
PROSE_FIGURES: dict[str, tuple[str, ...]] = {
    "requests_received": ("table3.new_requests.total",),
    "reviews": ("table4.review_total",),
    "lawsuits": ("table4.litigation_direct_total", "table4.litigation_after_review_total"),
}


def _prose_mismatches(rule: Rule, doc: _Doc) -> tuple[int | None, tuple[str, ...]]:
    """How many figures quoted in the prose (first quote of each) differ from the tables."""
    quoted = doc.record.get("prose_figures") or {}
    compared, differing, keys_read = 0, 0, []
    for figure, keys in PROSE_FIGURES.items():
        values = [doc.cells.get(k) for k in keys]
        if not quoted.get(figure) or not all(_is_integer(v) for v in values):
            continue
        compared += 1
        if quoted[figure][0] != sum(values):
            differing += 1
            keys_read += keys
    return (differing if compared else None), tuple(keys_read)


def _rules_without_power(rule: Rule, doc: _Doc) -> tuple[int | None, tuple[str, ...]]:
    """规章 counted by an agency that cannot make them (only ministries and governments of provinces,
    设区的市 and 自治州 can; their departments, counties and townships cannot): cells > 0, else 0."""
    keys = tuple(k for k in doc.cells if k.startswith("table2.rules."))
    level, kind = doc.record.get("agency_level"), doc.record.get("agency_kind")
    can_make = level == "ministry" or (kind == "government" and level in ("province", "city"))
    if can_make:
        return 0, keys
    positive = tuple(k for k in keys if isinstance(doc.cells[k], (int, float)) and doc.cells[k] > 0)
    return len(positive), positive


def _fee_amount(rule: Rule, doc: _Doc) -> tuple[int | None, tuple[str, ...]]:
    """The fee amount in 万元, rounded (a value in 元 shows as a figure 10,000 times too big)."""
    key = "table2.fees.amount_10k_yuan"
    value = doc.cells.get(key)
    return (round(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None), (key,)


def _days_late(rule: Rule, doc: _Doc) -> tuple[int | None, tuple[str, ...]]:
    """Days past the Art. 49 deadline: 31 Jan (departments) or 31 Mar (a government's report)."""
    from datetime import date

    year, published = doc.record.get("report_year"), doc.record.get("publication_date")
    kind, level = doc.record.get("agency_kind"), doc.record.get("agency_level")
    if not _is_integer(year) or not published or level == "township" or kind is None:
        return None, ("publication_date", "report_year")
    try:
        day = date.fromisoformat(published)
    except ValueError:
        return None, ("publication_date", "report_year")
    deadline = date(year + 1, 3, 31) if kind == "government" else date(year + 1, 1, 31)
    return (day - deadline).days, ("publication_date", "report_year")


# Per-document figures a `measure` rule can check: (value, keys of the cells it was read from).
MEASURES: dict[str, Callable[[Rule, _Doc], tuple[int | None, tuple[str, ...]]]] = {
    "blank_cells": _blank_cells,
    "report_year": _report_year,
    "prose_mismatches": _prose_mismatches,
    "fee_amount": _fee_amount,
    "rules_without_power": _rules_without_power,
    "days_late": _days_late,
}


def _selected_cells(rule: Rule, doc: _Doc) -> list[tuple[str, Any]]:
    """The document's cells matched by the rule's `cells` patterns and not by its `skip` ones."""
    wanted, skipped = _patterns(rule)
    return [
        (key, value) for key, value in doc.cells.items() if wanted.match(key) and not (skipped and skipped.match(key))
    ]


@cache
def _patterns(rule: Rule) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """The rule's `cells` and `skip` globs as two compiled regexes (None: nothing skipped)."""

    def compiled(globs: tuple[str, ...]) -> re.Pattern[str] | None:
        paths = [fnmatch.translate(p) for glob in globs for p in expand(glob)]
        return re.compile("|".join(paths)) if paths else None

    wanted = compiled(rule.cells)
    assert wanted is not None  # the catalogue loader refuses a cell rule without patterns
    return wanted, compiled(rule.skip)


def _is_integer(value: Any) -> bool:
    """True for ints (not bools): the only values an identity may add up."""
    return isinstance(value, int) and not isinstance(value, bool)


# ---------------------------------------------------------------- GX


def instance_frame(instances: list[_Instance]) -> pl.DataFrame:
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


def failing_rows(
    frame: pl.DataFrame, catalogue: Catalogue, docs_root: Path | None = None, name: str = "report"
) -> set[int]:
    """row_ids GX found violating their rule; raises GateError if any rule could not be evaluated."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    dataframe = frame.to_pandas(use_pyarrow_extension_array=True)
    if docs_root is None:
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        batch = (
            context.data_sources.add_pandas("gate")
            .add_dataframe_asset("instances")
            .add_batch_definition_whole_dataframe("batch")
        )
        suite = context.suites.add(build_suite(catalogue))
        validation = context.validation_definitions.add(gx.ValidationDefinition(name="gate", data=batch, suite=suite))
        run = validation.run(batch_parameters={"dataframe": dataframe}, result_format=RESULT_FORMAT)
    else:
        run = _run_with_data_docs(dataframe, catalogue, docs_root, name)
    by_rule = {r.expectation_config.meta["rule_id"]: r for r in run.results}  # not in suite order
    if missing := [rule.id for rule in catalogue.rules if rule.id not in by_rule]:
        raise GateError(f"GX returned no result for rules {missing}")
    failing: set[int] = set()
    for rule in catalogue.rules:
        failing |= _checked_failures(rule, by_rule[rule.id], frame)
    return failing


def _run_with_data_docs(dataframe: Any, catalogue: Catalogue, docs_root: Path, name: str) -> Any:
    """Validate through a checkpoint of a file-backed GX project, so results and Data Docs persist."""
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.data_context.types.base import ProgressBarsConfig

    docs_root.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(docs_root))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_or_update_pandas("gate")
    asset = next((a for a in source.assets if a.name == name), None) or source.add_dataframe_asset(name)
    batch = next((b for b in asset.batch_definitions if b.name == "batch"), None)
    batch = batch or asset.add_batch_definition_whole_dataframe("batch")
    suite = context.suites.add_or_update(build_suite(catalogue))
    validation = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=f"{name}_{catalogue.suite_version}", data=batch, suite=suite)
    )
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=f"ogi_{name}",
            validation_definitions=[validation],
            actions=[UpdateDataDocsAction(name="data_docs")],
            result_format=RESULT_FORMAT,
        )
    )
    result = checkpoint.run(batch_parameters={"dataframe": dataframe})
    return next(iter(result.run_results.values()))


def data_docs_index(docs_root: Path) -> Path:
    """Where the local Data Docs site of a GX project under docs_root is built."""
    return docs_root / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"


def _checked_failures(rule: Rule, result: Any, frame: pl.DataFrame) -> set[int]:
    """Failing row_ids of one expectation result, after checking GX evaluated what we sent."""
    if errors := _gx_errors(result.exception_info):
        raise GateError(f"GX could not evaluate rule {rule.id}: {'; '.join(errors)}")
    rows = frame.filter(pl.col("rule_id") == rule.id)
    missing = rows.filter(pl.any_horizontal(pl.col(c).is_null() for c in _compared(rule))).height
    stats = result.result
    ids = {int(row["row_id"]) for row in stats.get("unexpected_index_list") or []}
    expected = (rows.height, missing, len(ids), not ids)
    got = (
        stats.get("element_count"),
        stats.get("missing_count"),
        stats.get("unexpected_count"),
        result.success,
    )
    if expected != got:
        raise GateError(
            f"GX result for rule {rule.id} does not match its rows: "
            f"(rows, missing, failing, success) expected {expected}, got {got}"
        )
    return ids


def _compared(rule: Rule) -> tuple[str, ...]:
    """Frame columns the rule's expectation compares (a null in any makes the row missing)."""
    if rule.kind == "identity":
        return ("lhs", "rhs")
    assert rule.check is not None  # the catalogue loader guarantees it
    return (rule.check.column,)


def _gx_errors(info: Mapping[str, Any] | None) -> list[str]:
    """Exception messages in a GX exception_info (flat, or keyed by metric when it failed)."""
    if not info:
        return []
    if "raised_exception" in info:
        return [str(info.get("exception_message"))] if info["raised_exception"] else []
    return [m for nested in info.values() if isinstance(nested, Mapping) for m in _gx_errors(nested)]


# ---------------------------------------------------------------- results


def _results(instances: list[_Instance], failing: set[int], catalogue: Catalogue) -> list[RuleResult]:
    """RuleResults in record, catalogue and instance order; R6-style passes summarised."""
    results: list[RuleResult] = []
    rows = enumerate(instances)
    for _, group in itertools.groupby(rows, key=lambda row: (id(row[1].doc), row[1].rule.id)):
        judged = [(inst, _outcome(inst, row_id in failing)) for row_id, inst in group]
        rule = judged[0][0].rule
        if rule.summarise_passes and judged[0][0].kind == "cell":
            results.extend(_summarised(judged, catalogue))
        else:
            results.extend(_result(inst, outcome, catalogue) for inst, outcome in judged)
    return results


def _outcome(inst: _Instance, failed: bool) -> Outcome:
    """not_assessable when GX could not judge the row, else what GX said."""
    if not inst.assessable:
        if failed:
            raise GateError(f"GX failed row {inst.rule.id} {inst.instance} that has null operands")
        return "not_assessable"
    return "fail" if failed else "pass"


def _summarised(judged: list[tuple[_Instance, Outcome]], catalogue: Catalogue) -> list[RuleResult]:
    """Failing cells one by one; without failures, one summary result for the document."""
    if fails := [_result(inst, outcome, catalogue) for inst, outcome in judged if outcome == "fail"]:
        return fails
    first = judged[0][0]
    checked = sum(outcome == "pass" for _, outcome in judged)
    summary = _Instance(first.doc, first.rule, "*", "*", "summary")
    fields = {"checked": checked, "blank": len(judged) - checked}
    return [_result(summary, "pass" if checked else "not_assessable", catalogue, fields)]


def _result(
    inst: _Instance, outcome: Outcome, catalogue: Catalogue, extra: Mapping[str, Any] | None = None
) -> RuleResult:
    """A RuleResult with its messages filled in from the catalogue."""
    zh, en = _messages(inst, outcome, catalogue, extra or {})
    return RuleResult(
        document_id=inst.doc.id,
        rule_id=inst.rule.id,
        severity=inst.rule.severity,
        outcome=outcome,
        instance=inst.instance,
        message_zh=zh,
        message_en=en,
        cells=tuple(inst.doc.cell(key, side) for key, side in inst.operands),
        lhs=inst.lhs,
        rhs=inst.rhs,
        suite_version=catalogue.suite_version,
    )


def _messages(inst: _Instance, outcome: Outcome, catalogue: Catalogue, extra: Mapping[str, Any]) -> tuple[str, str]:
    """(zh, en): the rule's message for this instance plus what the outcome was and why."""
    rule = inst.rule
    texts = []
    for lang, sep in (("zh", "；"), ("en", "; ")):
        reasons = [f"{key} ({catalogue.reasons[why][lang]})" for key, why in inst.missing]
        fields = {
            "instance": inst.instance,
            "label": inst.label,
            "lhs": inst.lhs,
            "rhs": inst.rhs,
            "value": inst.printed,
            "template": inst.doc.template,
            "missing": ", ".join(reasons),
            **extra,
        }
        custom = getattr(rule, f"fail_{lang}") if outcome == "fail" else ""
        detail = (custom or catalogue.outcome_text[inst.kind][outcome][lang]).format(**fields)
        if inst.kind in ("summary", "not_applicable"):
            texts.append(f"{rule.id}: {detail}")
        else:
            texts.append(getattr(rule, f"message_{lang}").format(**fields) + sep + detail)
    return texts[0], texts[1]

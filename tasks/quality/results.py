"""Rule outcomes: what GX decided per instance, explained with the catalogue's messages.

A batch has tens of thousands of passes and few failures: a result's messages and cells are worked
out when first read (the load reads them for failures and not-assessable results only)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any, Literal

from expectations import Catalogue
from tasks.quality.doc import Cell, GateError
from tasks.quality.instances import Instance

Outcome = Literal["pass", "fail", "not_assessable"]


@dataclass(frozen=True)
class RuleResult:
    """The outcome of one rule on one instance (column, row, group or cell) of one document."""

    document_id: str
    rule_id: str
    severity: Literal["blocking", "warning"]
    outcome: Outcome
    instance: str
    lhs: int | None
    rhs: int | None
    suite_version: str
    # () -> (message_zh, message_en, cells): cells are every operand, both sides, with value and position
    explain: Callable[[], tuple[str, str, tuple[Cell, ...]]] = field(repr=False, compare=False)
    instances: int = 1  # how many instances a summary result stands for (passes folded into one)

    @cached_property
    def _explained(self) -> tuple[str, str, tuple[Cell, ...]]:
        return self.explain()

    @property
    def message_zh(self) -> str:
        return self._explained[0]

    @property
    def message_en(self) -> str:
        return self._explained[1]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return self._explained[2]


def blocking_failures(results: Iterable[RuleResult]) -> dict[str, list[RuleResult]]:
    """Failed blocking results by document; a document absent here passed the gate."""
    failures: dict[str, list[RuleResult]] = {}
    for r in results:
        if r.severity == "blocking" and r.outcome == "fail":
            failures.setdefault(r.document_id, []).append(r)
    return failures


def results_of(instances: list[Instance], failing: set[int], catalogue: Catalogue) -> list[RuleResult]:
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


def _outcome(inst: Instance, failed: bool) -> Outcome:
    """not_assessable when GX could not judge the row, else what GX said."""
    if not inst.assessable:
        if failed:
            raise GateError(f"GX failed row {inst.rule.id} {inst.instance} that has null operands")
        return "not_assessable"
    return "fail" if failed else "pass"


def _summarised(judged: list[tuple[Instance, Outcome]], catalogue: Catalogue) -> list[RuleResult]:
    """Failing cells one by one; without failures, one summary result for the document."""
    if fails := [_result(inst, outcome, catalogue) for inst, outcome in judged if outcome == "fail"]:
        return fails
    first = judged[0][0]
    checked = sum(outcome == "pass" for _, outcome in judged)
    summary = Instance(first.doc, first.rule, "*", "*", "summary")
    fields = {"checked": checked, "blank": len(judged) - checked}
    return [_result(summary, "pass" if checked else "not_assessable", catalogue, fields, instances=max(checked, 1))]


def stored_results(results: list[RuleResult], catalogue: Catalogue) -> list[RuleResult]:
    """The results as the warehouse keeps them: failures and not-assessable ones in detail, the passes
    of each document and rule folded into one result (instance "*": every instance not listed holds)."""
    out: list[RuleResult] = []
    for _, group in itertools.groupby(results, key=lambda r: (r.document_id, r.rule_id)):
        rows = list(group)
        passes = [r for r in rows if r.outcome == "pass"]
        out += [r for r in rows if r.outcome != "pass"]
        if len(passes) == 1 and passes[0].instance == "*":
            out.append(passes[0])  # a summary already (R6)
        elif passes:
            first = passes[0]
            rule = catalogue.rule(first.rule_id)
            texts = tuple(
                f"{rule.id}: " + catalogue.outcome_text["passes"]["pass"][lang].format(passed=len(passes))
                for lang in ("zh", "en")
            )
            out.append(
                RuleResult(
                    document_id=first.document_id,
                    rule_id=first.rule_id,
                    severity=first.severity,
                    outcome="pass",
                    instance="*",
                    lhs=None,
                    rhs=None,
                    suite_version=first.suite_version,
                    explain=partial(_folded, texts),
                    instances=len(passes),
                )
            )
    return out


def _folded(texts: tuple[str, str]) -> tuple[str, str, tuple[Cell, ...]]:
    """The explanation of folded passes: their messages, no cells (the facts hold them)."""
    return texts[0], texts[1], ()


def _result(
    inst: Instance,
    outcome: Outcome,
    catalogue: Catalogue,
    extra: Mapping[str, Any] | None = None,
    instances: int = 1,
) -> RuleResult:
    """A RuleResult whose messages (from the catalogue) and cells are filled in when first read."""
    return RuleResult(
        document_id=inst.doc.id,
        rule_id=inst.rule.id,
        severity=inst.rule.severity,
        outcome=outcome,
        instance=inst.instance,
        lhs=inst.lhs,
        rhs=inst.rhs,
        suite_version=catalogue.suite_version,
        explain=partial(_explanation, inst, outcome, catalogue, extra or {}),
        instances=instances,
    )


def _explanation(
    inst: Instance, outcome: Outcome, catalogue: Catalogue, extra: Mapping[str, Any]
) -> tuple[str, str, tuple[Cell, ...]]:
    """(message_zh, message_en, cells) of one result."""
    zh, en = _messages(inst, outcome, catalogue, extra)
    return zh, en, tuple(inst.doc.cell(key, side) for key, side in inst.operands)


def _messages(inst: Instance, outcome: Outcome, catalogue: Catalogue, extra: Mapping[str, Any]) -> tuple[str, str]:
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

"""Rule outcomes: what GX decided per instance, explained with the catalogue's messages.

A batch has tens of thousands of passes and few failures: a result's messages and cells are worked
out when first read (the load reads them for failures and not-assessable results only)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any, Literal

from expectations import Catalogue
from tasks.quality.doc import Cell, GateError
from tasks.quality.instances import CellBlock, Instance, Item

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


def results_of(items: list[Item], failing: set[int], catalogue: Catalogue) -> list[RuleResult]:
    """RuleResults in record, catalogue and instance order; R6-style passes summarised."""
    results: list[RuleResult] = []
    for row_id, item in _numbered(items):
        if isinstance(item, CellBlock):
            results.extend(_block_results(item, row_id, failing, catalogue))
        else:
            results.append(_result(item, _outcome(item, row_id in failing), catalogue))
    return results


def _numbered(items: list[Item]) -> Iterator[tuple[int, Item]]:
    """(row_id of its first frame row, item): a block takes one row per cell."""
    row = 0
    for item in items:
        yield row, item
        row += item.size if isinstance(item, CellBlock) else 1


def _outcome(inst: Instance, failed: bool) -> Outcome:
    """not_assessable when GX could not judge the row, else what GX said."""
    if not inst.assessable:
        if failed:
            raise GateError(f"GX failed row {inst.rule.id} {inst.instance} that has null operands")
        return "not_assessable"
    return "fail" if failed else "pass"


def _block_results(block: CellBlock, first: int, failing: set[int], catalogue: Catalogue) -> list[RuleResult]:
    """A cell rule's results in one document: with summarise_passes, the failing cells one by one,
    or without failures one summary result; otherwise one result per cell."""
    cells = range(block.size)
    if not block.rule.summarise_passes:
        return [_result(block.instance(n), _outcome(block.instance(n), first + n in failing), catalogue) for n in cells]
    compared = block.compared()
    failed = [n for n in cells if first + n in failing]
    if any(compared[n] is None for n in failed):
        raise GateError(f"GX failed a row of {block.rule.id} that has no value")
    if failed:
        return [_result(block.instance(n), "fail", catalogue) for n in failed]
    checked = sum(v is not None for v in compared)
    summary = Instance(block.doc, block.rule, "*", "*", "summary")
    fields = {"checked": checked, "blank": block.size - checked}
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

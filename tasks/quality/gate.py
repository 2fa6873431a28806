"""The quality gate: the rule catalogue over a batch of records, validated once with GX.

Report rules run on each record; cross-year rules on each (record, previous year's record) pair.
Both kinds of instance go into one frame and one GX validation per batch.

Choices:
- R6 (non-negative integers) reports one result per failing cell; a document without failures
  gets one summary result instead of ~200 passes.
- A blocking rule that does not apply to a template (the identities on legacy reports, which
  have no template tables) gives one "not_assessable" result with instance "*"; warnings that do
  not apply say nothing.
- `cells` of a result lists every operand (both sides, `side` "lhs"/"rhs") for identities, the
  cell itself for cell rules, the cells a measure was read from (W_BLANK: the blank cells).
- Warnings never fail the gate: only severity "blocking" quarantines.
"""

from __future__ import annotations

from pathlib import Path

from expectations import Catalogue, load_catalogue
from tasks.quality.crossyear import neighbour_pairs
from tasks.quality.instances import Doc, batch_instances, instance_frame
from tasks.quality.results import RuleResult, results_of
from tasks.quality.validate import failing_rows
from tasks.record import Record


def gate(
    records: list[Record],
    catalogue: Catalogue | None = None,
    pairs: list[tuple[Record, Record]] = (),
    docs_root: Path | None = None,
) -> list[RuleResult]:
    """Every rule's outcome on every instance: report rules on `records`, cross-year rules on
    `pairs` (report, previous report), from one GX validation. With `docs_root`, the validation is
    stored in a GX project there and its Data Docs are rebuilt."""
    catalogue = catalogue or load_catalogue()
    report, cross = catalogue.scoped("report"), catalogue.scoped("cross_year")
    docs = [(Doc.of(r), report) for r in records] + [(Doc.of(r, prev), cross) for r, prev in pairs]
    instances = batch_instances(docs)
    if not instances:
        return []
    failing = failing_rows(instance_frame(instances), catalogue, docs_root)
    return results_of(instances, failing, catalogue)


def gate_batch(warehouse_path: Path, records: list[Record], catalogue: Catalogue) -> list[RuleResult]:
    """The batch's records through the gate, cross-year rules against the warehouse's loaded reports."""
    if not records:
        return []
    return gate(records, catalogue, neighbour_pairs(warehouse_path, records))

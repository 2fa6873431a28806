"""The batch core: stage → skip known → extract → gate → load, for every entry point.

`ogi run`, `ogi watch`, the served ingest, `ogi backfill` (through the `ingest-batch` subflow),
`ogi reprocess`, `ogi correct` and `ogi accept` all call `process_batch`. It is a plain function:
tests call it directly, flows wrap it; only how extraction is spread over workers is passed in
(by default: worker processes under the settings' time and memory limits, tasks/isolation.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl

import warehouse
from expectations import Catalogue
from tasks.extract import Extracted
from tasks.isolation import extract_isolated
from tasks.load import Decision, known_documents, load_batch
from tasks.quality import RuleResult, gate_batch, stored_results
from tasks.quality.validate import preload as preload_validator
from tasks.record import Record
from tasks.rectify import after_load as rectify_after_load
from tasks.settings import Settings
from tasks.stage import Skipped, Staged, stage_files

log = logging.getLogger("ogi.pipeline")
Extractor = Callable[[list[Staged]], list[Extracted]]


@dataclass(frozen=True)
class StoredDocument:
    """A document the warehouse holds: where its bytes are, its status, its record as extracted."""

    staged: Staged
    status: str
    record: Record | None


@dataclass(frozen=True)
class Review:
    """A reviewer's decision on stored documents, written in the same transaction as their reload.

    `corrections` (document → cell → value) are new corrected values the gate must see; `accepted`
    (document → reason) new acceptances; `audit` builds the audit rows from the gate's results
    (a named query of warehouse/queries and its frame) and may refuse by raising."""

    corrections: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    accepted: Mapping[str, str] = field(default_factory=dict)
    audit: Callable[[list[RuleResult]], tuple[str, pl.DataFrame]] | None = None


@dataclass(frozen=True)
class Batch:
    """What one batch takes: files to stage, documents already staged, or stored documents."""

    files: tuple[Path, ...] = ()
    staged: tuple[Staged, ...] = ()
    stored: tuple[StoredDocument, ...] = ()
    extract_again: bool = False  # stored documents are read and parsed again (reprocess)
    review: Review | None = None


@dataclass(frozen=True)
class Outcome:
    """Where one document of the batch ended, under the name it arrived with."""

    document_id: str
    name: str
    status: str  # loaded | quarantined | rejected | … (see documents.status)
    reason: str | None
    previous_status: str | None = None  # for stored documents: the status before this batch
    report_role: str | None = None  # loaded: current | duplicate | superseded (current_reports)
    current_document_id: str | None = None  # the current report of its agency and year


@dataclass(frozen=True)
class BatchResult:
    outcomes: list[Outcome]
    known: list[Staged]  # staged files skipped: the warehouse held them, or the batch had their bytes already
    results: list[RuleResult]
    extracted: list[Extracted]
    skipped: list[Skipped] = field(default_factory=list)  # files that could not be staged, with why
    seconds: dict[str, float] = field(default_factory=dict)  # time per stage: stage, extract, gate, load
    # the rectification re-check after the load: items raised, corrected, rechecked (still open)
    rectification: dict[str, int] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for o in self.outcomes:
            out[o.status] = out.get(o.status, 0) + 1
        return out


def process_batch(
    batch: Batch, settings: Settings, catalogue: Catalogue, extract: Extractor | None = None
) -> BatchResult:
    """One batch end to end; the load is one transaction (a failure leaves the warehouse unchanged).
    One document never fails the batch: an error gating or loading it is confined to it."""
    wh, clock = settings.warehouse, Stopwatch()
    extract = extract or partial(extract_isolated, limits=settings.limits)
    if wh.exists():
        warehouse.migrate(wh)  # a warehouse from before a migration is upgraded first (`ogi correct` on it)
    with clock("stage"):
        arrived, skipped = stage_files(list(batch.files), settings.staging)
    arrived += batch.staged + tuple(d.staged for d in batch.stored)
    preload_validator()  # while this batch is extracted (in worker processes)
    todo, known, extracted = _extracted(batch, wh, arrived, clock.timed(extract, "extract"))
    review = batch.review or Review()
    fixes, accepted = _decisions_in_force(wh, [s.document_id for s in todo]) if batch.stored else ({}, {})
    for doc, cells in review.corrections.items():
        fixes[doc] = {**fixes.get(doc, {}), **cells}
    accepted.update(review.accepted)
    gated = [e.record.with_corrections(fixes.get(e.staged.document_id, {}).items()) for e in extracted if e.gated]
    with clock("gate"):
        results, broken = _gate_confined(wh, gated, catalogue)
    extracted = [_rejected(e, broken[e.staged.document_id]) if e.staged.document_id in broken else e for e in extracted]
    before = [review.audit(results)] if review.audit else []
    load = partial(
        load_batch,
        suite_version=catalogue.suite_version,
        replace=bool(batch.stored),
        accepted=accepted,
        overrides=settings.agency_overrides,
    )
    with clock("load"):
        decisions = _load_confined(load, wh, arrived, extracted, stored_results(results, catalogue), before)
        rectification = _rectify(wh, decisions)
    names = {s.document_id: s.original_name for s in todo}
    stored = {d.staged.document_id: d for d in batch.stored}
    outcomes = [_outcome(d, names, stored) for d in decisions]
    return BatchResult(outcomes, known, results, extracted, skipped, clock.seconds, rectification)


class Stopwatch:
    """Seconds spent per stage of a batch (benchmarks/national.py reports their shares)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - started

    def timed(self, fn: Callable, stage: str) -> Callable:
        def run(*args: Any) -> Any:
            with self(stage):
                return fn(*args)

        return run


def _extracted(
    batch: Batch, wh: Path, arrived: list[Staged], extract: Extractor
) -> tuple[list[Staged], list[Staged], list[Extracted]]:
    """(documents to load, staged files skipped as known, their extraction)."""
    if batch.stored:
        todo = [d.staged for d in batch.stored]
        extracted = extract(todo) if batch.extract_again else [_as_extracted(d) for d in batch.stored]
        return todo, [], extracted
    held = known_documents(wh, [s.document_id for s in arrived])
    todo = fresh_documents(arrived, held)
    taken = {id(s) for s in todo}
    known = [s for s in arrived if id(s) not in taken]  # held already, or repeated in the batch
    return todo, known, extract(todo)


def _gate_confined(wh: Path, records: list[Record], catalogue: Catalogue) -> tuple[list[RuleResult], dict[str, str]]:
    """The batch's results from one validation; if it breaks, each record alone, so a record the
    gate cannot take is rejected with the reason and the others are still judged."""
    try:
        return gate_batch(wh, records, catalogue), {}
    except warehouse.WarehouseBusy:
        raise
    except Exception:  # noqa: BLE001 — find the record that breaks it
        results, broken = [], {}
        for record in records:
            try:
                results += gate_batch(wh, [record], catalogue)
            except warehouse.WarehouseBusy:
                raise
            except Exception as exc:  # noqa: BLE001
                assert record.document_id is not None
                broken[record.document_id] = f"{record.source}: the gate could not check it ({_why(exc)})"
        return results, broken


def _rectify(wh: Path, decisions: list[Decision]) -> dict[str, int]:
    """After a load that loaded reports: raise rectification items and re-check open ones against
    the reports now current (tasks/rectify; its own transaction, after the load's). The load is
    committed already: a failure here is logged, and `ogi rectify list` catches up later.
    Returns how many items were raised, corrected and re-checked (still open)."""
    if not any(d.status == "loaded" for d in decisions):
        return {}
    try:
        return rectify_after_load(wh)
    except Exception as exc:  # noqa: BLE001 - never undo or fail a committed load
        log.warning("rectification items not refreshed after the load (%s); `ogi rectify list` will", _why(exc))
        return {}


def _load_confined(load, wh, arrived, extracted, results, before) -> list[Decision]:
    """One transaction for the batch; if it fails, one per document, so a document the load cannot
    take is recorded as rejected with the reason and the others are loaded."""
    try:
        return load(wh, arrived, extracted, results, before=before)
    except warehouse.WarehouseBusy:
        raise
    except Exception:  # noqa: BLE001
        if before or not extracted:
            raise  # a reviewer's decision is all or nothing; nothing to confine
    decisions = []
    for e in extracted:
        doc = e.staged.document_id
        mine = [s for s in arrived if s.document_id == doc]
        try:
            decisions += load(wh, mine, [e], [r for r in results if r.document_id == doc], before=[])
        except warehouse.WarehouseBusy:
            raise
        except Exception as exc:  # noqa: BLE001
            decisions += load(wh, mine, [_rejected(e, f"{e.staged.original_name}: not loadable ({_why(exc)})")], [],
                              before=[])  # fmt: skip
    return decisions


def _rejected(e: Extracted, reason: str) -> Extracted:
    return Extracted(e.staged, None, "rejected", reason)


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"


def fresh_documents(staged: list[Staged], known: set[str]) -> list[Staged]:
    """The staged documents to extract: not in the warehouse yet, each id once (first name wins)."""
    fresh: dict[str, Staged] = {}
    for s in staged:
        if s.document_id not in known and s.document_id not in fresh:
            fresh[s.document_id] = s
    return list(fresh.values())


def _as_extracted(doc: StoredDocument) -> Extracted:
    """A stored report as the load takes it, without reading its file again."""
    return Extracted(doc.staged, doc.record, "report" if doc.record is not None else doc.status)


def _decisions_in_force(wh: Path, ids: list[str]) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """The corrections and acceptances recorded for these documents (one read for the batch)."""
    if not ids or not wh.exists():
        return {}, {}
    with warehouse.reading(wh) as con:
        fixes = con.execute(warehouse.query("corrections_of_documents"), {"ids": ids}).fetchall()
        accepted = con.execute(warehouse.query("acceptances_of_documents"), {"ids": ids}).fetchall()
    by_doc: dict[str, dict[str, float]] = {}
    for doc, cell, value in fixes:
        by_doc.setdefault(doc, {})[cell] = value
    return by_doc, dict(accepted)


def _outcome(d: Decision, names: Mapping[str, str], stored: Mapping[str, StoredDocument]) -> Outcome:
    before = stored[d.document_id].status if d.document_id in stored else None
    return Outcome(
        d.document_id, names[d.document_id], d.status, d.reason, before, d.report_role, d.current_document_id
    )


def batches(items: list, size: int) -> list[list]:
    """Consecutive slices of at most `size` items (none for no items)."""
    return [items[i : i + size] for i in range(0, len(items), max(1, size))]


def split(items: list, parts: int) -> list[list]:
    """`items` in at most `parts` consecutive slices of nearly equal length (none for no items)."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts if items else 0):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


__all__ = ["Batch", "BatchResult", "Outcome", "Record", "Review", "StoredDocument", "process_batch"]


def summarise(settings: Settings, files: int, results: list[BatchResult], skipped: list[Skipped] = ()) -> dict:
    """A run's summary as plain data (flow results are JSON: the Prefect UI shows them). Every entry
    seen is accounted for: entries = loaded + quarantined + rejected… + known + skipped."""
    outcomes = [o for r in results for o in r.outcomes]
    skipped = list(skipped) + [s for r in results for s in r.skipped]
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    known = [s.original_name for r in results for s in r.known]
    return {
        "warehouse": str(settings.warehouse),
        "staging": str(settings.staging),
        "files": files,
        "entries": len(outcomes) + len(known) + len(skipped),
        "already_known": len(known),
        "skipped": [{"name": s.name, "reason": s.reason} for s in skipped],
        "known_names": known,
        "counts": counts,
        "decisions": [
            {"document_id": o.document_id, "name": o.name, "status": o.status, "reason": o.reason} for o in outcomes
        ],
        "seconds": stage_seconds(results),
        "rectification": rectification_counts(results),
        **not_current(outcomes),
    }


RECTIFY_COUNTS = ("raised", "corrected", "rechecked")


def rectification_counts(results: list[BatchResult]) -> dict[str, int]:
    """Rectification items a run's loads raised, corrected and re-checked (still open), summed."""
    return {k: sum(r.rectification.get(k, 0) for r in results) for k in RECTIFY_COUNTS}


def not_current(outcomes: list[Outcome]) -> dict[str, list[dict]]:
    """The loaded reports that are not their agency's current one for the year, by role (duplicate:
    the same tables as the current report; superseded: different tables, a later report is current)."""
    out: dict[str, list[dict]] = {"duplicates": [], "superseded": []}
    for o in outcomes:
        if o.report_role in ("duplicate", "superseded"):
            out["duplicates" if o.report_role == "duplicate" else "superseded"].append(
                {"document_id": o.document_id, "name": o.name, "current_document_id": o.current_document_id}
            )
    return out


def not_current_lines(summary: Mapping[str, Any]) -> list[str]:
    """The duplicates and superseded reports of a summary, one line each, for people."""
    lines = []
    for d in summary.get("duplicates", []):
        lines.append(
            f"{'duplicate':12} {d['name']}: the same tables as the current report {d['current_document_id'][:12]}"
        )
    for d in summary.get("superseded", []):
        lines.append(
            f"{'superseded':12} {d['name']}: different tables; {d['current_document_id'][:12]} is the current "
            "report of the agency and year (check which is right: select * from current_reports where needs_review)"
        )
    return lines


def stage_seconds(results: list[BatchResult], so_far: Mapping[str, float] | None = None) -> dict[str, float]:
    """Seconds per stage over a run's batches (added to `so_far`)."""
    out: dict[str, float] = dict(so_far or {})
    for r in results:
        for stage, s in r.seconds.items():
            out[stage] = round(out.get(stage, 0.0) + s, 3)
    return out

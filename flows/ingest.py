"""The main job: stage → extract → gate → load, one batch at a time."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

import warehouse
from flows.runtime.events import StagedRef, restaged
from tasks import extract as extract_mod
from tasks import load as load_mod
from tasks import stage as stage_mod
from tasks.batch import fresh_documents
from tasks.settings import settings

BATCH_SIZE = 200


@task(name="prepare-warehouse")
def prepare_warehouse(path: Path) -> list[str]:
    return warehouse.migrate(path)


@task(name="stage")
def stage(paths: list[Path], store: Path) -> list[stage_mod.Staged]:
    return stage_mod.stage_files(paths, store)


@task(name="extract")
def extract(staged: list[stage_mod.Staged]) -> list[extract_mod.Extracted]:
    return extract_mod.extract_batch(staged)


@task(name="gate")
def gate(extracted: list[extract_mod.Extracted], warehouse_path: Path) -> tuple[list, str]:
    """Report rules on the batch, cross-year rules against the warehouse; Data Docs rebuilt."""
    from tasks.review import regate

    records = [e.record for e in extracted if e.record is not None and e.status == "report"]
    return regate(warehouse_path, records)


@task(name="load")
def load(
    path: Path,
    arrived: list[stage_mod.Staged],
    extracted: list[extract_mod.Extracted],
    results: list,
    suite_version: str,
) -> load_mod.LoadSummary:
    return load_mod.load_batch(path, arrived, extracted, results, suite_version)


@flow(name="ingest")
def ingest(inbox: str, warehouse_path: str | None = None) -> dict:
    """Load every report file under `inbox` into the warehouse; files seen before are skipped."""
    log = get_run_logger()
    cfg = settings(warehouse_path)
    applied = prepare_warehouse(cfg.warehouse)
    if applied:
        log.info("warehouse %s: applied migrations %s", cfg.warehouse, ", ".join(applied))
    paths = stage_mod.inbox_files(Path(inbox))
    counts: dict[str, int] = {}
    decisions: list[dict] = []
    known_total = 0
    batches = [paths[i : i + BATCH_SIZE] for i in range(0, len(paths), BATCH_SIZE)] or [[]]
    for n, batch in enumerate(batches, start=1):
        staged = stage(batch, cfg.staging)
        known = load_mod.known_documents(cfg.warehouse, [s.document_id for s in staged])
        fresh: dict[str, stage_mod.Staged] = {}
        for s in staged:
            if s.document_id not in known and s.document_id not in fresh:
                fresh[s.document_id] = s
        known_total += len(staged) - len(fresh)
        extracted = extract(list(fresh.values()))
        results, suite_version = gate(extracted, cfg.warehouse)
        summary = load(cfg.warehouse, staged, extracted, results, suite_version)
        for status, c in summary.counts.items():
            counts[status] = counts.get(status, 0) + c
        decisions += [asdict(d) | {"name": fresh[d.document_id].original_name} for d in summary.decisions]
        log.info("batch %d/%d: %d files, %d new, %s", n, len(batches), len(batch), len(fresh), summary.counts)
    return {
        "warehouse": str(cfg.warehouse),
        "staging": str(cfg.staging),
        "files": len(paths),
        "already_known": known_total,
        "counts": counts,
        "decisions": decisions,
    }


# ------------------------------------------------------------------------------------------------
# Event-driven ingest: documents `ogi watch` already staged, one event (or one arrival batch) at a
# time. The same tasks as `ingest`; writes retry while another process holds the DuckDB file.


def _warehouse_busy(task, task_run, state) -> bool:
    """Retry only when another process holds the DuckDB file (a load, a consolidation)."""
    return isinstance(state.result(raise_on_failure=False), warehouse.WarehouseBusy)


BUSY_RETRIES = {"retries": 6, "retry_delay_seconds": [1, 2, 4, 8, 15, 30], "retry_condition_fn": _warehouse_busy}
# Tasks taking a whole batch of records (gate, load) never cache (they read and write the warehouse),
# and their big arguments go in quote(): Prefect would otherwise walk every nested value looking for
# futures, ~10 s per 200 documents measured for load.
BIG_INPUTS = BUSY_RETRIES | {"cache_policy": NO_CACHE}


@task(name="restage")
def restage(documents: list[StagedRef], store: Path) -> list[stage_mod.Staged]:
    return [restaged(d, store) for d in documents]


@task(name="known-documents", **BUSY_RETRIES)
def known_documents(path: Path, ids: list[str]) -> set[str]:
    return load_mod.known_documents(path, ids)


@flow(name="ingest-staged")
def ingest_staged(documents: list[StagedRef], warehouse_path: str | None = None) -> dict:
    """Load documents already staged (by `ogi watch`); the `ingest` deployment runs it per event."""
    cfg = settings(warehouse_path)
    prepare_warehouse.with_options(**BUSY_RETRIES)(cfg.warehouse)
    staged = restage(documents, cfg.staging)
    fresh = fresh_documents(staged, known_documents(cfg.warehouse, [s.document_id for s in staged]))
    extracted = extract(fresh)
    results, suite_version = gate.with_options(**BIG_INPUTS)(quote(extracted), cfg.warehouse)
    summary = load.with_options(**BIG_INPUTS)(cfg.warehouse, staged, quote(extracted), quote(results), suite_version)
    names = {s.document_id: s.original_name for s in fresh}
    return {
        "warehouse": str(cfg.warehouse),
        "staging": str(cfg.staging),
        "files": len(staged),
        "already_known": len(staged) - len(fresh),
        "known_names": [s.original_name for s in staged if s.document_id not in names],
        "counts": summary.counts,
        "decisions": [asdict(d) | {"name": names[d.document_id]} for d in summary.decisions],
    }

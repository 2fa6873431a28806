"""Backfill: a folder tree of historical reports, resumable, extraction in parallel on a task runner."""

from __future__ import annotations

import time
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.utilities.annotations import quote

from flows.ingest import (
    BATCH_SIZE,
    BIG_INPUTS,
    BUSY_RETRIES,
    extract,
    gate,
    known_documents,
    load,
    prepare_warehouse,
    stage,
)
from flows.runtime.progress import ProgressReport
from flows.runtime.runners import extraction_tasks, task_runner
from tasks import backfill as backfill_mod
from tasks import stage as stage_mod
from tasks.batch import chunked, fresh_documents, split
from tasks.settings import settings


@task(name="year-summary", **BUSY_RETRIES)
def year_summary(path: Path, ids: list[str], first: int, last: int) -> dict:
    return backfill_mod.summary(backfill_mod.year_counts(path, ids), first, last)


@flow(name="backfill-batches")
def backfill_batches(
    src: str, first_year: int, last_year: int, warehouse_path: str | None, tasks_per_batch: int, show_progress: bool
) -> dict:
    """The tree in batches: stage, skip known documents, extract chunks on the flow's task runner,
    then gate and load the batch here (one writer)."""
    log = get_run_logger()
    cfg = settings(warehouse_path)
    prepare_warehouse.with_options(**BUSY_RETRIES)(cfg.warehouse)
    paths = stage_mod.inbox_files(Path(src))
    ids: dict[str, None] = {}
    extracted_total = 0
    started = time.monotonic()
    with ProgressReport(len(paths), show_progress, log.info) as progress:
        for batch in chunked(paths, BATCH_SIZE):
            staged = stage(batch, cfg.staging)
            ids.update(dict.fromkeys(s.document_id for s in staged))
            fresh = fresh_documents(staged, known_documents(cfg.warehouse, [s.document_id for s in staged]))
            chunks = extract.map(split(fresh, tasks_per_batch)).result()
            extracted = [e for chunk in chunks for e in chunk]
            results, suite_version = gate.with_options(**BIG_INPUTS)(quote(extracted), cfg.warehouse)
            load.with_options(**BIG_INPUTS)(
                cfg.warehouse, quote(staged), quote(extracted), quote(results), suite_version
            )
            extracted_total += len(extracted)
            progress.advance(len(batch))
    elapsed = time.monotonic() - started
    return {
        "src": src,
        "warehouse": str(cfg.warehouse),
        "files": len(paths),
        "documents": len(ids),
        "extracted": extracted_total,
        "already_known": len(ids) - extracted_total,
        "elapsed_s": round(elapsed, 2),
        "files_per_s": round(len(paths) / elapsed, 2) if elapsed else None,
        **year_summary(cfg.warehouse, list(ids), first_year, last_year),
    }


@flow(name="backfill")
def backfill(
    src: str,
    years: str = "2019-2024",
    warehouse_path: str | None = None,
    workers: int = 0,
    dask_address: str | None = None,
    dask_processes: bool = True,
    tasks_per_batch: int | None = None,
    show_progress: bool = False,
) -> dict:
    """Backfill the reports under `src`; documents already in the warehouse are skipped (resumable).
    `workers` > 0 extracts on a local Dask cluster, `dask_address` on an existing one; 0 on one thread.
    Reports outside `years` are staged and loaded too, and listed apart in the summary."""
    first, last = backfill_mod.parse_years(years)
    runner = task_runner(workers, dask_address, dask_processes)
    return backfill_batches.with_options(task_runner=runner)(
        src,
        first,
        last,
        warehouse_path,
        tasks_per_batch or extraction_tasks(workers, dask_address),
        show_progress,
    )

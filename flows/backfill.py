"""Backfill: a folder tree of historical reports through the `ingest-batch` subflow, resumable,
extraction spread over a task runner (one thread, a local Dask cluster, or an existing one)."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

from prefect import flow, get_run_logger, task

from flows.batch import run_batch
from flows.ingest import prepare_warehouse
from flows.runtime.progress import ProgressReport
from flows.runtime.runners import extraction_runner, extraction_tasks
from tasks import backfill as backfill_mod
from tasks.isolation import extract_isolated
from tasks.pipeline import Batch, batches
from tasks.prefetch import Prefetcher
from tasks.settings import Settings
from tasks.stage import inbox_files


@task(name="year-summary")
def year_summary(settings: Settings, ids: list[str], first: int, last: int) -> dict:
    return backfill_mod.summary(backfill_mod.year_counts(settings.warehouse, ids), first, last)


@flow(name="backfill")
def backfill(
    src: str,
    settings: Settings,
    years: str = "2019-2024",
    workers: int = 0,
    dask_address: str | None = None,
    dask_processes: bool = True,
    tasks_per_batch: int | None = None,
    show_progress: bool = False,
) -> dict:
    """Backfill the reports under `src`; documents already in the warehouse are skipped (resumable).
    `workers` > 0 extracts on a local Dask cluster, `dask_address` on an existing one; 0 in this
    process. Reports outside `years` are staged and loaded too, and listed apart in the summary."""
    first, last = backfill_mod.parse_years(years)
    chunks = tasks_per_batch or extraction_tasks(workers, dask_address)
    prepare_warehouse(settings)
    paths = inbox_files(Path(src))
    tally = backfill_mod.Tally()
    started = time.monotonic()
    with (
        extraction_runner(workers, dask_address, dask_processes) as runner,
        ProgressReport(len(paths), show_progress, get_run_logger().info) as progress,
        # on this machine's pool, the next batch is extracted while this one is gated and loaded
        Prefetcher(partial(extract_isolated, limits=settings.limits), settings.staging) as ahead,
    ):
        chunked = list(batches(paths, settings.batch_size))
        for i, chunk in enumerate(chunked):
            following = chunked[i + 1] if i + 1 < len(chunked) and runner is None else []
            extract = ahead.extractor(following) if runner is None else None
            tally.add(run_batch(Batch(files=tuple(chunk)), settings, chunks, extract, task_runner=runner))
            progress.advance(len(chunk))
    elapsed = time.monotonic() - started
    return {
        "src": src,
        "warehouse": str(settings.warehouse),
        "files": len(paths),
        "documents": len(tally.ids),
        "extracted": tally.extracted,
        "already_known": len(tally.ids) - tally.extracted,
        "elapsed_s": round(elapsed, 2),
        "files_per_s": round(len(paths) / elapsed, 2) if elapsed else None,
        "seconds": tally.seconds,
        **year_summary(settings, list(tally.ids), first, last),
        **backfill_mod.not_current(settings.warehouse, list(tally.ids)),
    }

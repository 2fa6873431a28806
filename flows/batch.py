"""The one Prefect subflow around the batch core: every ingest path (run, watch, the served
deployment, backfill) loads its batches through `ingest_batch`."""

from __future__ import annotations

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import unmapped

from expectations import load_catalogue
from tasks.extract import Extracted
from tasks.isolation import extract_isolated
from tasks.pipeline import Batch, BatchResult, process_batch, split
from tasks.settings import Limits, Settings
from tasks.stage import Staged


@task(name="extract", cache_policy=NO_CACHE)
def extract_chunk(staged: list[Staged], limits: Limits) -> list[Extracted]:
    return extract_isolated(staged, limits)


def _extractor(chunks: int, limits: Limits):
    """Extraction in `chunks` tasks on the flow's task runner (e.g. Dask), or here for one chunk."""

    def extract(staged: list[Staged]) -> list[Extracted]:
        if chunks <= 1 or len(staged) <= 1:
            return extract_isolated(staged, limits)
        futures = extract_chunk.map(split(staged, chunks), limits=unmapped(limits))
        return [e for part in futures.result() for e in part]

    return extract


@flow(name="ingest-batch", validate_parameters=False)
def ingest_batch(batch: Batch, settings: Settings, chunks: int = 1) -> BatchResult:
    """One batch: stage → skip known → extract (in `chunks` tasks) → gate → load in one transaction."""
    return process_batch(batch, settings, load_catalogue(), _extractor(chunks, settings.limits))

"""The one Prefect subflow around the batch core: every ingest path (run, watch, the served
deployment, backfill) loads its batches through `ingest_batch` (called as `run_batch`)."""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.runtime import flow_run
from prefect.utilities.annotations import opaque, unmapped

from expectations import load_catalogue
from tasks.extract import Extracted
from tasks.isolation import extract_isolated
from tasks.messages import t
from tasks.pipeline import RECTIFY_COUNTS, Batch, BatchResult, Extractor, process_batch, split
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


def _run_name() -> str:
    """A flow run named after its files (the Prefect UI's list says what each run took)."""
    batch = flow_run.parameters.get("batch")
    staged = batch.staged + tuple(d.staged for d in batch.stored)
    return "ingest " + (shown_names([p.name for p in batch.files] + [s.original_name for s in staged]) or "nothing")


def shown_names(names: list[str], first: int = 2) -> str:
    """'a.txt, b.pdf +12': enough of a list of file names to recognise a run by."""
    return ", ".join(names[:first]) + (f" +{len(names) - first}" if len(names) > first else "")


def _report(result: BatchResult) -> str:
    """The run's outcome as the markdown artifact the Prefect UI shows."""
    counts = ", ".join(f"{n} {status}" for status, n in sorted(result.counts.items())) or "nothing new"
    lines = [f"# {counts}", "", "| file | outcome | reason |", "|---|---|---|"]
    lines += [f"| {o.name} | {o.status} | {(o.reason or '').replace('|', '/')} |" for o in result.outcomes]
    lines += [f"| {s.original_name} | known | already in the warehouse |" for s in result.known]
    lines += [f"| {s.name} | skipped | {s.reason} |" for s in result.skipped]
    if result.rectification:
        lines += ["", "## 整改复核 (rectification re-check)", "", rectification_line(result.rectification, "zh"),
                  "", rectification_line(result.rectification, "en")]  # fmt: skip
    return "\n".join(lines)


def rectification_line(counts: dict[str, int], lang: str) -> str:
    """What the re-check after the load did to the rectification items, in `lang`."""
    return t("rectify.recheck", lang, **{k: counts.get(k, 0) for k in RECTIFY_COUNTS})


def _publish(result: BatchResult) -> None:
    """Outcome in the run's log (the counts, and each document not loaded), as an artifact (every
    document), and as tags (quarantined, rejected) on the run. A line per loaded document cost the
    API a thousand log rows per backfill batch."""
    log = get_run_logger()
    log.info("%s", ", ".join(f"{n} {status}" for status, n in sorted(result.counts.items())) or "nothing new")
    for o in result.outcomes:  # a line for each document that needs a look (the artifact lists all)
        if o.status != "loaded":
            log.info("%s %s%s", o.status, o.name, f": {o.reason}" if o.reason else "")
    if result.rectification:
        log.info("%s", rectification_line(result.rectification, "en"))
    create_markdown_artifact(_report(result), key="ingest-outcome", description="What this batch loaded")
    tag_run({o.status for o in result.outcomes})


def tag_run(statuses: set[str]) -> None:
    """Tag the current flow run with the statuses other than loaded (quarantined, unsupported…), and
    `rejected` for every unreadable one, so the Prefect UI's run list shows which runs need a look."""
    marks = statuses - {"loaded"}
    if marks - {"quarantined"}:
        marks |= {"rejected"}
    if marks and flow_run.id:
        with get_client(sync_client=True) as client:
            client.update_flow_run(flow_run.id, tags=sorted({*flow_run.tags, *marks}))


@flow(name="ingest-batch", validate_parameters=False, flow_run_name=_run_name)
def ingest_batch(
    batch: Batch, settings: Settings, chunks: int = 1, extract: Extractor | None = None
) -> opaque[BatchResult]:
    """One batch: stage → skip known → extract (in `chunks` tasks, or by `extract`, e.g. a
    Prefetcher's) → gate → load in one transaction. The result goes back `opaque`: Prefect would
    otherwise walk every record and rule result in it looking for futures (a third of a backfill's
    time at batches of 1,000); `run_batch` unwraps it."""
    result = process_batch(batch, settings, load_catalogue(), extract or _extractor(chunks, settings.limits))
    _publish(result)
    return opaque(result)


def run_batch(
    batch: Batch, settings: Settings, chunks: int = 1, extract: Extractor | None = None, task_runner: Any = None
) -> BatchResult:
    """The `ingest-batch` subflow on `batch` (on `task_runner` if given), its result unwrapped."""
    subflow = ingest_batch.with_options(task_runner=task_runner) if task_runner else ingest_batch
    return subflow(batch, settings, chunks, extract).unwrap()

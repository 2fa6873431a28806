"""The main job (`ogi run`) and the event-driven ingest (`ogi watch`, the served `ingest`
deployment): batches of files through the `ingest-batch` subflow."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.runtime import flow_run

import warehouse
from flows.batch import run_batch, shown_names, tag_run
from flows.runtime.events import StagedRef, restaged
from tasks.pipeline import Batch, batches, summarise
from tasks.settings import Settings
from tasks.stage import inbox_entries


@task(name="prepare-warehouse")
def prepare_warehouse(settings: Settings) -> list[str]:
    return warehouse.migrate(settings.warehouse)


def _staged_run_name() -> str:
    """Named after the files (a served run's parameters may still be the event's JSON)."""
    docs = flow_run.parameters.get("documents") or []
    return "watch " + shown_names([d["original_name"] if isinstance(d, dict) else d.original_name for d in docs])


@flow(name="ingest", flow_run_name="run {inbox}")
def ingest(inbox: str, settings: Settings) -> dict:
    """Load every report file under `inbox` into the warehouse; files seen before are skipped."""
    prepare_warehouse(settings)
    paths, skipped = inbox_entries(Path(inbox))
    results = [run_batch(Batch(files=tuple(chunk)), settings) for chunk in batches(paths, settings.batch_size)]
    return summarise(settings, len(paths) + len(skipped), results, skipped)


@flow(name="ingest-staged", flow_run_name=_staged_run_name)
def ingest_staged(documents: list[StagedRef], settings: Settings) -> dict:
    """Load documents already staged (by `ogi watch`); the `ingest` deployment runs it per event."""
    prepare_warehouse(settings)
    staged = tuple(restaged(d, settings.staging) for d in documents)
    summary = summarise(settings, len(staged), [run_batch(Batch(staged=staged), settings)])
    tag_run(set(summary["counts"]))  # the deployment's run too, not only its ingest-batch subflow
    return summary

"""Following the served run an `ogi.document.staged` event triggered, until it ends, so that
`ogi watch` can say what became of the file (loaded, quarantined, rejected with the reason).

The run is found on the Prefect server among the `ingest-staged` runs created since the event (by
`ogi serve`'s consumer, or the `ingest` deployment),
by the document id in its parameters; once it has ended, the document's status and reason are read
from the warehouse (the run holds it no longer). A run that failed, or a warehouse that does not
have the document (the server's deployment loads another one), is said as the run's state and tags.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

INGEST_FLOW = "ingest-staged"  # run by serve's consumer (flows/runtime/consumer.py) or the ingest deployment
FINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")


@dataclass(frozen=True)
class Announced:
    """A document the watcher sent an event for, and when (UTC)."""

    document_id: str
    name: str
    sent_at: datetime


@dataclass(frozen=True)
class RunOutcome:
    """What became of an announced document: its status (a documents.status, or `known` when the
    warehouse had it before, `failed` when the run did not complete, `timeout`) and the reason."""

    name: str
    status: str
    reason: str | None
    run_name: str | None = None


def served_run(client: Any, document_id: str, since: datetime) -> Any | None:
    """The `ingest-staged` flow run for this document created since `since`, the earliest."""
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName, FlowRunFilter, FlowRunFilterExpectedStartTime
    from prefect.client.schemas.sorting import FlowRunSort

    runs = client.read_flow_runs(
        flow_run_filter=FlowRunFilter(expected_start_time=FlowRunFilterExpectedStartTime(after_=since)),
        flow_filter=FlowFilter(name=FlowFilterName(any_=[INGEST_FLOW])),
        sort=FlowRunSort.EXPECTED_START_TIME_ASC,
        limit=200,
    )
    mine = [r for r in runs if document_id in json.dumps(r.parameters, default=str) and r.created >= since]
    return mine[0] if mine else None


def child_tags(client: Any, run_id: Any) -> list[str]:
    """Tags of the run and of its subflow runs (ingest-batch tags a run quarantined or rejected)."""
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterParentFlowRunId

    children = client.read_flow_runs(
        flow_run_filter=FlowRunFilter(parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[run_id]))
    )
    return sorted({t for r in children for t in r.tags})


def stored_status(warehouse_path: Path, document_id: str) -> tuple[str, str | None, datetime] | None:
    """(status, reason, processed_at) of a document in the warehouse, or None if it is not there."""
    import warehouse

    try:
        with warehouse.reading(warehouse_path, wait_s=30) as con:
            rows = con.execute(
                "select status, status_reason, processed_at from documents where document_id = ?", [document_id]
            ).fetchall()
    except (FileNotFoundError, warehouse.WarehouseError):
        return None
    except Exception:  # noqa: BLE001 — a warehouse without the table yet
        return None
    return rows[0] if rows else None


def follow(doc: Announced, warehouse_path: Path, timeout_s: float, poll_s: float = 1.0) -> RunOutcome:
    """Wait (at most `timeout_s`) for the served run of `doc` to end; its outcome."""
    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + timeout_s
    since = doc.sent_at - timedelta(seconds=2)  # the server's clock stamps the run; allow for rounding
    run = None
    with get_client(sync_client=True) as api:
        while time.monotonic() < deadline:
            run = api.read_flow_run(run.id) if run else served_run(api, doc.document_id, since)
            if run is not None and run.state_type is not None and run.state_type.value in FINAL:
                return _outcome(api, doc, run, warehouse_path)
            time.sleep(poll_s)
    return RunOutcome(doc.name, "timeout", None, run.name if run else None)


def _outcome(api: Any, doc: Announced, run: Any, warehouse_path: Path) -> RunOutcome:
    if run.state_type.value != "COMPLETED":
        message = (run.state.message if run.state else None) or run.state_name
        return RunOutcome(doc.name, "failed", f"{run.state_name}: {message}", run.name)
    stored = stored_status(warehouse_path, doc.document_id)
    if stored is None:  # the served deployment loads into another warehouse
        marks = [t for t in child_tags(api, run.id) if t in ("quarantined", "rejected")]
        return RunOutcome(doc.name, marks[0] if marks else "completed", None, run.name)
    status, reason, processed_at = stored
    sent_local = doc.sent_at.astimezone().replace(tzinfo=None)
    if processed_at is not None and processed_at < sent_local - timedelta(seconds=2):
        return RunOutcome(doc.name, "known", status, run.name)  # the warehouse had it before: its status
    return RunOutcome(doc.name, status, reason, run.name)


def follow_all(
    docs: list[Announced], warehouse_path: Path, timeout_s: float, say: Callable[[RunOutcome], None]
) -> None:
    """Follow each document's run in turn (each bounded by `timeout_s` from now), saying each outcome."""
    started = time.monotonic()
    for doc in docs:
        left = max(1.0, timeout_s - (time.monotonic() - started))
        say(follow(doc, warehouse_path, left))


def now_utc() -> datetime:
    return datetime.now(UTC)

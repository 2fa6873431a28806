"""The `ogi.document.staged` event: what the watcher says about a staged file, and how the ingest
deployment turns it back into a staged document.

The event is the edge between two processes, so its payload is a pydantic model; inside, the
pipeline keeps using the frozen `Staged` record.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel

from tasks.stage import Staged, stage_file

STAGED_EVENT = "ogi.document.staged"
RESOURCE_PREFIX = "ogi.document."


class StagedRef(BaseModel):
    """A staged document as the event carries it (and as the ingest flow takes it)."""

    document_id: str
    original_name: str
    staged_path: str
    size_bytes: int | None = None
    arrived_at: datetime | None = None


def resource_id(document_id: str) -> str:
    return RESOURCE_PREFIX + document_id


def ref_of(staged: Staged) -> StagedRef:
    return StagedRef(
        document_id=staged.document_id,
        original_name=staged.original_name,
        staged_path=staged.staged_path,
        size_bytes=staged.size_bytes,
        arrived_at=staged.arrived_at,
    )


def emit_staged(staged: Staged) -> None:
    """Tell Prefect a document was staged; the `ingest` deployment's trigger listens for it."""
    from prefect.events import emit_event

    emit_event(
        event=STAGED_EVENT,
        resource={
            "prefect.resource.id": resource_id(staged.document_id),
            "prefect.resource.name": staged.original_name,
        },
        payload=ref_of(staged).model_dump(mode="json"),
    )


def flush_events() -> None:
    """Send the events still queued (before the process exits)."""
    from prefect.events.worker import EventsWorker

    EventsWorker.drain_all()


def restaged(ref: StagedRef, store: Path) -> Staged:
    """The document in this store, checked against its id (the watcher may use another store).

    Staging is idempotent: the same bytes are one file, so a document already here is not copied.
    """
    source = Path(ref.staged_path)
    if not source.is_file():
        raise FileNotFoundError(f"{ref.original_name}: staged file {source} not found")
    staged = stage_file(source, store)
    if staged.document_id != ref.document_id:
        raise ValueError(f"{ref.original_name}: {source} does not hash to {ref.document_id}")
    return replace(staged, original_name=ref.original_name, arrived_at=ref.arrived_at or staged.arrived_at)

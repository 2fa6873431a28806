"""The served ingest: a long-lived consumer of `ogi.document.staged` events.

A deployment trigger would start a flow run in a fresh subprocess per event (serve's poll, a Python
start, the imports: 10–30 s from drop to loaded). This consumer subscribes to the events over the
server's websocket and runs `ingest-staged` in its own, warm process: each burst of events is one
flow run, visible in the Prefect UI like any other, a few seconds after the drop.

Events of the last 15 minutes are replayed on start (the server replays no further back:
PREFECT_SERVER_EVENTS_MAXIMUM_WEBSOCKET_BACKFILL), so a restart loses nothing it was sent meanwhile;
after a longer stop, `ogi watch --existing` (or `ogi run INBOX`) hands the inbox over again. A
document already in the warehouse is recognised by its id and skipped, so a replay loads nothing
twice. One consumer per warehouse: DuckDB has one writer.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flows.runtime.events import STAGED_EVENT, StagedRef
from tasks.settings import Settings

CATCH_UP = timedelta(minutes=15)
SUBSCRIBE_TIMEOUT_S = 60
BURST_S = 0.3  # events this close together go as one flow run (one staging pass, one gate, one load)


def _subscribe(since: datetime, out: queue.Queue, stop: threading.Event, ready: threading.Event) -> None:
    """Put every staged event's document on `out` until `stop` (runs in its own thread and loop)."""
    from prefect.events.clients import get_events_subscriber
    from prefect.events.filters import EventFilter, EventNameFilter, EventOccurredFilter

    async def pump() -> None:
        flt = EventFilter(
            event=EventNameFilter(name=[STAGED_EVENT]),
            occurred=EventOccurredFilter(since=since, until=datetime.now(UTC) + timedelta(days=3650)),
        )
        async with get_events_subscriber(filter=flt, reconnect_on_clean_close=True) as events:
            ready.set()
            async for event in events:
                out.put(StagedRef.model_validate(event.payload))
                if stop.is_set():
                    return

    try:
        asyncio.run(pump())
    finally:
        ready.set()
        out.put(None)  # the subscription ended: tell the consumer


def _burst(refs: queue.Queue, first: StagedRef, limit: int) -> list[StagedRef]:
    """`first` and the documents that arrive within BURST_S of the last one, up to `limit`."""
    burst = {first.document_id: first}
    while len(burst) < limit:
        try:
            ref = refs.get(timeout=BURST_S)
        except queue.Empty:
            break
        if ref is None:
            refs.put(None)
            break
        burst.setdefault(ref.document_id, ref)
    return list(burst.values())


def consume(
    cfg: Settings,
    stop: threading.Event,
    ready: threading.Event,
    on_summary: Callable[[dict], None] = lambda summary: None,
    on_error: Callable[[list[StagedRef], Exception], None] = lambda refs, exc: None,
    catch_up: timedelta = CATCH_UP,
) -> None:
    """Load staged documents as their events arrive, until `stop` is set or the server goes away;
    `ready` is set once the subscription stands (`start` waits for it)."""
    from flows.ingest import ingest_staged

    refs: queue.Queue = queue.Queue()
    since = datetime.now(UTC) - catch_up
    subscriber = threading.Thread(target=_subscribe, args=(since, refs, stop, ready), daemon=True, name="ogi-events")
    subscriber.start()
    while not stop.is_set():
        try:
            ref = refs.get(timeout=0.5)
        except queue.Empty:
            continue
        if ref is None:
            return
        burst = _burst(refs, ref, cfg.batch_size)
        try:
            on_summary(ingest_staged(burst, cfg))
        except Exception as exc:  # noqa: BLE001 — one failed burst must not stop the consumer; it stays staged
            on_error(burst, exc)


def start(cfg: Settings, on_summary: Callable[[dict], None], on_error: Callable) -> threading.Event:
    """The consumer in a daemon thread (the caller's main thread serves the deployments), once it is
    subscribed; set the event returned to stop it."""
    stop, ready = threading.Event(), threading.Event()
    args = (cfg, stop, ready, on_summary, on_error)
    threading.Thread(target=consume, args=args, daemon=True, name="ogi-ingest").start()
    ready.wait(SUBSCRIBE_TIMEOUT_S)
    return stop

"""Watching an inbox: a file is handed over once it has stopped changing, arrivals in small batches.

watchdog reports file-system events from its own thread; the loop here (in the caller's thread)
turns them into settled files: a file still being copied keeps changing size or mtime, so it is only
handed over after `settle_s` seconds without a change, and files that settle close together go as
one batch (one staging pass, one ingest run). `watch` runs it for `ogi watch`: each batch is staged,
then ingested in this process or announced as `ogi.document.staged` events for `ogi serve`.
"""

from __future__ import annotations

import queue
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from tasks.messages import DEFAULT_LANG, reason_text, status_word, t
from tasks.settings import Settings
from tasks.stage import Staged, inbox_files, stage_file

# Names browsers and copy tools give files while they are still being written.
PARTIAL_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", ".download", ".swp")


def is_candidate(path: Path, inbox: Path) -> bool:
    """A report file: not hidden (as `ogi run` skips), not a partial download, not an Office lock file."""
    try:
        parts = path.relative_to(inbox).parts
    except ValueError:
        return False
    return (
        bool(parts)
        and not any(p.startswith(".") for p in parts)
        and not path.name.startswith("~$")
        and not path.name.lower().endswith(PARTIAL_SUFFIXES)
    )


Signature = tuple[int, int]  # size in bytes, mtime in ns


@dataclass
class Arrivals:
    """Files seen in the inbox; each is ready once its size and mtime stay the same for `settle_s`."""

    settle_s: float = 1.0
    _pending: dict[Path, tuple[Signature, float]] = field(default_factory=dict)  # path → (signature, since)
    _handed: dict[Path, Signature] = field(default_factory=dict)

    def seen(self, path: Path, now: float) -> None:
        self._pending.setdefault(path, ((-1, -1), now))

    def ready(self, now: float) -> list[Path]:
        """Files that have settled since the last call (a file handed over unchanged is not repeated)."""
        out = []
        for path, (signature, since) in list(self._pending.items()):
            try:
                st = path.stat()
            except FileNotFoundError:
                del self._pending[path]
                continue
            current = (st.st_size, st.st_mtime_ns)
            if current != signature:
                self._pending[path] = (current, now)
            elif now - since >= self.settle_s:
                del self._pending[path]
                if self._handed.get(path) != current:
                    self._handed[path] = current
                    out.append(path)
        return sorted(out)

    @property
    def waiting(self) -> int:
        return len(self._pending)


class _Events(FileSystemEventHandler):
    """Queues the paths watchdog reports (from the observer's thread)."""

    def __init__(self, paths: queue.SimpleQueue[str]) -> None:
        self.paths = paths

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        if event.event_type in ("created", "modified", "closed"):
            self.paths.put(str(event.src_path))
        elif event.event_type == "moved":
            self.paths.put(str(event.dest_path))


@dataclass
class InboxWatcher:
    """Calls `handle(paths)` for each batch of settled new files under `inbox` until stopped."""

    inbox: Path
    handle: Callable[[list[Path]], None]
    settle_s: float = 1.0
    batch_wait_s: float = 5.0  # a batch waits at most this long for files still being written
    poll_s: float = 0.2
    max_batch: int = 200
    arrivals: Arrivals = field(init=False)
    batch: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.arrivals = Arrivals(self.settle_s)

    @property
    def unhandled(self) -> int:
        """Files seen but not handed over yet."""
        return self.arrivals.waiting + len(self.batch)

    def run(
        self, stop: threading.Event | None = None, existing: bool = False, on_ready: Callable[[], None] | None = None
    ) -> None:
        """Watch until `stop` is set (or KeyboardInterrupt); `existing` also hands over files already there."""
        stop = stop or threading.Event()
        paths: queue.SimpleQueue[str] = queue.SimpleQueue()
        observer = Observer()
        observer.schedule(_Events(paths), str(self.inbox), recursive=True)
        observer.start()
        try:
            if existing:
                for p in inbox_files(self.inbox):
                    paths.put(str(p))
            if on_ready:
                on_ready()
            oldest: float | None = None
            while not stop.is_set():
                now = time.monotonic()
                while not paths.empty():
                    p = Path(paths.get())
                    if is_candidate(p, self.inbox):
                        self.arrivals.seen(p, now)
                for p in self.arrivals.ready(now):
                    self.batch.append(p)
                    oldest = oldest or now
                if self.batch and (
                    self.arrivals.waiting == 0 or now - oldest >= self.batch_wait_s or len(self.batch) >= self.max_batch
                ):
                    batch, self.batch, oldest = self.batch, [], None
                    self.handle(batch)
                stop.wait(self.poll_s)
        finally:
            observer.stop()
            observer.join()


def stage_arrivals(
    paths: list[Path], store: Path, warn: Callable[[str], None], lang: str = DEFAULT_LANG
) -> list[Staged]:
    """Stage each file; one that vanished or cannot be read is reported and skipped."""
    staged = []
    for p in paths:
        try:
            staged.append(stage_file(p, store))
        except OSError as exc:
            warn(t("watch.not_staged", lang, name=p.name, why=exc.strerror or exc))
    return staged


# ------------------------------------------------------------------------------ the `ogi watch` loop

Say = Callable[[str], None]


@dataclass(frozen=True)
class WatchOutcome:
    staged: int  # files staged while watching
    unhandled: int  # files seen but still being written when it stopped


def watch(
    inbox: Path,
    cfg: Settings,
    *,
    local: bool,
    existing: bool = False,
    settle_s: float = 1.0,
    say: Say = print,
    warn: Say = print,
    on_ready: Callable[[], None] | None = None,
    lang: str = DEFAULT_LANG,
    wait_s: float = 0.0,
) -> WatchOutcome:
    """Watch `inbox` until Ctrl-C or SIGTERM. Each batch of settled files is staged, then ingested in
    this process (`local`) or announced with one `ogi.document.staged` event per document; with
    `wait_s`, the served run each event triggers is followed (in a thread, at most `wait_s`) and its
    outcome said. `say` gets a line per document, `warn` a line per problem; neither stops the watcher."""
    from prefect.exceptions import ExternalSignal  # how a SIGTERM ends a flow run in this process

    staged_count = 0
    followers: list[threading.Thread] = []

    def handle(paths: list[Path]) -> None:
        nonlocal staged_count
        staged = stage_arrivals(paths, cfg.staging, warn, lang)
        staged_count += len(staged)
        if local:
            ingest_locally(staged, cfg, say, warn, lang)
        else:
            sent = announce(staged, say, lang)
            if wait_s > 0 and sent:
                followers.append(follow_runs(sent, cfg, wait_s, say, lang))

    watcher = InboxWatcher(inbox, handle, settle_s=settle_s)
    stop = threading.Event()
    stop_on_signals(stop)
    try:
        watcher.run(stop=stop, existing=existing, on_ready=on_ready)
    except (KeyboardInterrupt, ExternalSignal):
        pass
    finally:
        if not local:
            from flows.runtime.events import flush_events

            flush_events()
        for follower in followers:  # each ends within wait_s of its batch
            follower.join()
    return WatchOutcome(staged_count, watcher.unhandled)


def stop_on_signals(stop: threading.Event) -> None:
    """Ctrl-C or SIGTERM sets `stop`: the watcher finishes the batch in hand and returns. Raising
    KeyboardInterrupt instead is unreliable: one that lands while a flow run waits on Prefect's API
    is swallowed, and the watcher would run on. A second Ctrl-C interrupts at once."""

    def request_stop(signum: int, frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)


def announce(staged: list[Staged], say: Say, lang: str = DEFAULT_LANG) -> list[Any]:
    """One `ogi.document.staged` event per document, for `ogi serve`'s consumer; the
    documents announced, with when."""
    from flows.runtime.events import STAGED_EVENT, emit_staged, flush_events
    from flows.runtime.follow import Announced, now_utc

    sent = []
    for s in staged:
        at = now_utc()
        emit_staged(s)
        sent.append(Announced(s.document_id, s.original_name, at))
        say(t("watch.staged", lang, name=s.original_name, doc=s.document_id[:12], event=STAGED_EVENT))
    if sent:
        flush_events()  # sent now, not when the events worker gets to it
    return sent


def follow_runs(sent: list[Any], cfg: Settings, wait_s: float, say: Say, lang: str = DEFAULT_LANG) -> threading.Thread:
    """A thread following the served runs of `sent`, saying each outcome as a line like --local's."""
    from flows.runtime.follow import follow_all

    def said(o: Any) -> None:
        if o.status == "timeout":
            say(t("watch.follow_timeout", lang, name=o.name, s=f"{wait_s:g}"))
        elif o.status == "failed":
            say(f"{_pad(t('watch.run_failed', lang), 12)} {o.name}: {o.reason}")
        elif o.status == "known":
            known_as = t("watch.known_as", lang, status=status_word(o.reason, lang))
            say(f"{_pad(status_word('known', lang), 12)} {o.name}: {known_as}")
        else:
            reason = f": {reason_text(o.reason, lang)}" if o.reason else ""
            say(f"{_pad(status_word(o.status, lang), 12)} {o.name}{reason}")

    def run() -> None:
        try:
            follow_all(sent, cfg.warehouse, wait_s, said)
        except Exception as exc:  # noqa: BLE001 — following is a courtesy; the run goes on regardless
            say(t("watch.follow_failed", lang, why=f"{type(exc).__name__}: {exc}"))

    thread = threading.Thread(target=run, name="follow-served-runs", daemon=True)
    thread.start()
    return thread


def ingest_locally(staged: list[Staged], cfg: Settings, say: Say, warn: Say, lang: str = DEFAULT_LANG) -> None:
    """Run `ingest-staged` on the batch in this process; a failed batch is reported, and stays staged."""
    import warehouse
    from flows.ingest import ingest_staged
    from flows.runtime.events import ref_of

    if not staged:
        return
    try:
        summary = ingest_staged([ref_of(s) for s in staged], cfg)
    except Exception as exc:  # noqa: BLE001 — one failed batch must not stop the watcher
        reason = str(exc) if isinstance(exc, warehouse.WarehouseBusy) else f"{type(exc).__name__}: {exc}"
        names = ", ".join(s.original_name for s in staged)
        warn(t("watch.not_loaded", lang, names=names, why=reason))
        return
    for line in outcome_lines(summary, lang):
        say(line)


def outcome_lines(summary: dict, lang: str = DEFAULT_LANG) -> list[str]:
    """One line per document of an ingest summary (status word, name, reason), then the reports
    that are not current (duplicates, superseded)."""
    from tasks.pipeline import not_current_lines

    lines = []
    for d in summary["decisions"]:
        reason = f": {reason_text(d['reason'], lang)}" if d["reason"] else ""
        lines.append(f"{_pad(status_word(d['status'], lang), 12)} {d['name']}{reason}")
    for name in summary["known_names"]:
        lines.append(f"{_pad(status_word('known', lang), 12)} {name}: {t('reason.known', lang)}")
    return lines + list(not_current_lines(summary))


def _pad(text: str, to: int) -> str:
    """`text` padded to display width `to` (wide CJK characters count double)."""
    import unicodedata

    return text + " " * max(0, to - sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text))

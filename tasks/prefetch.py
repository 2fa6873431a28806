"""Extraction of the next batch while this one is gated and loaded.

The batch core runs stage → extract → gate → load; extraction runs in worker processes while the
gate and the load run in this one, so on their own each leaves cores idle. `Prefetcher.extractor`
gives the core an extractor that, once a batch's own documents are extracted, starts staging and
extracting the next batch's files in a background thread, and takes that work from the cache when
the next batch asks for it. Only documents the next batch really needs are used: the core still
decides what is known after this batch's load, so prefetched documents that turn out known are
simply not used. A batch whose documents were all known starts no prefetch (a resumed backfill
does not extract what it will skip).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from tasks.extract import Extracted
from tasks.stage import Staged, stage_files

Extractor = Callable[[list[Staged]], list[Extracted]]


class Prefetcher:
    """One background thread that extracts the batch after the current one (see the module)."""

    def __init__(self, extract: Extractor, staging: Path) -> None:
        self._extract = extract
        self._staging = staging
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ogi-prefetch")
        self._pending: Future[dict[str, Extracted]] | None = None

    def extractor(self, following: Sequence[Path]) -> Extractor:
        """The extractor for the current batch; `following` are the files of the next one."""

        def extract(todo: list[Staged]) -> list[Extracted]:
            ready = self._take()
            missing = [s for s in todo if s.document_id not in ready]
            ready.update((e.staged.document_id, e) for e in self._extract(missing))
            if todo and following:
                self._pending = self._thread.submit(self._ahead, list(following))
            return [replace(ready[s.document_id], staged=s) for s in todo]

        return extract

    def _take(self) -> dict[str, Extracted]:
        pending, self._pending = self._pending, None
        if pending is None or pending.exception() is not None:
            return {}  # nothing ahead, or it broke: the batch extracts its documents itself
        return pending.result()

    def _ahead(self, files: list[Path]) -> dict[str, Extracted]:
        staged, _ = stage_files(files, self._staging)
        unique = list({s.document_id: s for s in staged}.values())
        return {e.staged.document_id: e for e in self._extract(unique)}

    def close(self) -> None:
        """Wait for a prefetch in flight (its results unused) and stop the thread."""
        if self._pending is not None:
            self._pending.exception()
        self._thread.shutdown(wait=True)

    def __enter__(self) -> Prefetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

"""Backfills: a folder tree of historical reports, in batches. Extraction runs on a task runner
(local threads, or Dask through prefect-dask); the gate and the load stay in one process, one writer."""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.progress import ProgressColumn
from rich.text import Text

import warehouse

LOADED_LIKE = ("loaded", "quarantined")


def parse_years(text: str) -> tuple[int, int]:
    """'2019-2024' → (2019, 2024); '2021' → (2021, 2021)."""
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4})\s*)?", text)
    if not m:
        raise ValueError(f"years {text!r}: expected YYYY or YYYY-YYYY, e.g. 2019-2024")
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if first > last:
        raise ValueError(f"years {text!r}: the first year is after the last")
    return first, last


def prefect_api_env() -> dict[str, str]:
    """The environment Dask worker processes need to report to this process's Prefect API.

    Without a configured server each worker process would start its own temporary one (~25 s each).
    """
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()  # the temporary server this process already uses
        server.start()
        url = server.api_url
    return {"PREFECT_API_URL": url}


def extraction_tasks(workers: int = 0, address: str | None = None) -> int:
    """How many extraction tasks a batch is cut into: one per thread of work and a spare for balance.

    Fewer, bigger tasks cost less Prefect bookkeeping (each task run is a few API calls)."""
    if address:
        return 16  # the cluster's size is not known here; --tasks-per-batch overrides
    return 2 * workers if workers > 0 else 1


def task_runner(workers: int = 0, address: str | None = None, processes: bool = True) -> Any:
    """Where extraction runs: an existing Dask cluster, a local one with `workers` workers, or one thread."""
    if address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=address)
    if workers > 0:
        from prefect_dask import DaskTaskRunner

        # Dask logs every worker start and stop at INFO; worker processes read this when they start
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
        logging.getLogger("distributed").setLevel(logging.WARNING)
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": workers,
                "threads_per_worker": 1,  # parsing is pure Python: parallel only across processes
                "processes": processes,
                "dashboard_address": None,
                "env": prefect_api_env() if processes else {},
            }
        )
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=1)


@dataclass
class ProgressReport:
    """A backfill's progress: a bar with rate and ETA on the terminal, or a log line per batch."""

    total: int
    show_bar: bool
    log: Callable[[str], None]
    done: int = 0
    started: float = field(default_factory=time.monotonic)
    _bar: Any = None
    _task: Any = None

    def __enter__(self) -> ProgressReport:
        if self.show_bar:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                TextColumn("backfill"),
                BarColumn(),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                _RateColumn(),
                TimeElapsedColumn(),
                _EtaColumn(),
                console=Console(stderr=True),
            )
            self._bar.start()
            self._task = self._bar.add_task("backfill", total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    @property
    def rate(self) -> float:
        """Files per second so far."""
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def advance(self, files: int) -> None:
        self.done += files
        if self._bar is not None:
            self._bar.update(self._task, advance=files)
            return
        rate = self.rate
        eta = (self.total - self.done) / rate if rate else float("nan")
        self.log(f"{self.done}/{self.total} files, {rate:.1f} files/s, ETA {eta:.0f} s")


class _RateColumn(ProgressColumn):
    """Files per second since the start (batches finish in bursts: a moving window would jump)."""

    def render(self, task: Any) -> Text:
        elapsed = task.elapsed or 0
        return Text(f"{task.completed / elapsed:.1f} files/s" if elapsed and task.completed else "- files/s")


class _EtaColumn(ProgressColumn):
    """Time left at the average rate so far."""

    def render(self, task: Any) -> Text:
        elapsed = task.elapsed or 0
        if not task.completed or not elapsed:
            return Text("ETA -")
        left = (task.total - task.completed) * elapsed / task.completed
        return Text(f"ETA {int(left) // 60}:{int(left) % 60:02d}")


@dataclass(frozen=True)
class YearCount:
    report_year: int | None
    status: str
    documents: int


def year_counts(warehouse_path: Path, ids: list[str]) -> list[YearCount]:
    """Documents of the backfill (loaded now or in an earlier run) by report year and status."""
    if not ids:
        return []
    with warehouse.reading(warehouse_path) as con:
        rows = con.execute(warehouse.query("backfill_year_summary"), {"ids": ids}).fetchall()
    return [YearCount(*r) for r in rows]


def summary(counts: list[YearCount], first: int, last: int) -> dict[str, Any]:
    """Per year in range: loaded / quarantined / other; outside the range and without a year apart."""
    by_year: dict[int, dict[str, int]] = {y: {} for y in range(first, last + 1)}
    outside: dict[int, dict[str, int]] = {}
    no_year: dict[str, int] = {}
    for c in counts:
        if c.report_year is None:
            no_year[c.status] = no_year.get(c.status, 0) + c.documents
            continue
        target = by_year if first <= c.report_year <= last else outside
        statuses = target.setdefault(c.report_year, {})
        statuses[c.status] = statuses.get(c.status, 0) + c.documents
    return {
        "years": f"{first}-{last}",
        "by_year": {str(y): s for y, s in sorted(by_year.items())},
        "outside_range": {str(y): s for y, s in sorted(outside.items())},
        "no_year": no_year,
    }

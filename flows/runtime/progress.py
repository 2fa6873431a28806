"""A backfill's progress: a rich bar with rate and ETA on the terminal, or a log line per batch."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rich.progress import ProgressColumn
from rich.text import Text


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

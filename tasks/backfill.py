"""Backfills: a folder tree of historical reports, in batches. What is plain here: the years a backfill
counts and its summary over the warehouse. Where extraction runs (threads, Dask) and the progress bar
are runtime (flows/runtime/runners.py, flows/runtime/progress.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import warehouse
from tasks.messages import t
from tasks.pipeline import BatchResult, stage_seconds

LOADED_LIKE = ("loaded", "quarantined")


class YearsError(ValueError):
    """A --years value that is not YYYY or YYYY-YYYY: `str()` in English, `text(lang)` in either."""

    def __init__(self, message_id: str, years: str) -> None:
        self.key, self.years = message_id, years
        super().__init__(t(message_id, "en", years=years))

    def text(self, lang: str) -> str:
        return t(self.key, lang, years=self.years)


def parse_years(text: str) -> tuple[int, int]:
    """'2019-2024' → (2019, 2024); '2021' → (2021, 2021)."""
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4})\s*)?", text)
    if not m:
        raise YearsError("years.format", text)
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if first > last:
        raise YearsError("years.order", text)
    return first, last


@dataclass
class Tally:
    """What a backfill keeps of its batches: the documents seen, how many were extracted, seconds per
    stage. A batch is dropped once counted: its records are freed before the next batch is gated."""

    ids: dict[str, None] = field(default_factory=dict)  # every document, in order (a dict: once each)
    extracted: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, result: BatchResult) -> None:
        self.ids.update(dict.fromkeys(o.document_id for o in result.outcomes))
        self.ids.update(dict.fromkeys(s.document_id for s in result.known))
        self.extracted += len(result.extracted)
        self.seconds = stage_seconds([result], self.seconds)


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


def not_current(warehouse_path: Path, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The backfill's loaded reports that are not the current one of their agency and year, as the
    warehouse has it at the end (a later batch may supersede a report of an earlier one)."""
    out: dict[str, list[dict[str, Any]]] = {"duplicates": [], "superseded": []}
    if not ids:
        return out
    with warehouse.reading(warehouse_path) as con:
        rows = con.execute(warehouse.query("not_current_reports"), {"ids": ids}).fetchall()
    for doc, name, role, current in rows:
        out["duplicates" if role == "duplicate" else "superseded"].append(
            {"document_id": doc, "name": name, "current_document_id": current}
        )
    return out

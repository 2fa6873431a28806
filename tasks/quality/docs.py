"""GX Data Docs on demand (`ogi quality --docs`): the batch path validates in an ephemeral context,
so building the site is paid once when someone asks, not per batch."""

from __future__ import annotations

from pathlib import Path

import warehouse
from expectations import Catalogue
from tasks.quality.crossyear import neighbour_pairs
from tasks.quality.gate import gate
from tasks.quality.validate import data_docs_index
from tasks.record import Record
from tasks.settings import Settings


def build_data_docs(settings: Settings, catalogue: Catalogue, year: int | None = None) -> tuple[Path, int]:
    """Validate the warehouse's gated reports (of `year`) once in a file-backed GX project beside the
    warehouse and rebuild its Data Docs; returns the site's index and how many reports it covers."""
    with warehouse.reading(settings.warehouse) as con:
        rows = con.execute(warehouse.query("gated_reports"), {"year": year}).fetchall()
        fixes = con.execute(warehouse.query("corrections_of_documents"), {"ids": [r[0] for r in rows]}).fetchall()
    by_doc: dict[str, list[tuple[str, float]]] = {}
    for doc, cell, value in fixes:
        by_doc.setdefault(doc, []).append((cell, value))
    records = [Record.from_json(text).with_corrections(by_doc.get(doc, [])) for doc, text in rows]
    if records:
        gate(records, catalogue, neighbour_pairs(settings.warehouse, records), docs_root=settings.docs_root)
    return data_docs_index(settings.docs_root), len(records)

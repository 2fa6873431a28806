"""Pairs a report with the same agency's previous one, for the cross-year rules (X1–X3)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import warehouse


def _loaded_reports(warehouse_path: Path, agencies: list[str]) -> list[dict[str, Any]]:
    """Loaded reports of these agencies (by agency_key), with corrections applied."""
    if not warehouse_path.exists() or not agencies:
        return []
    from tasks.review import apply_corrections  # corrections change what a later year compares to

    with warehouse.reading(warehouse_path) as con:
        rows = con.execute(warehouse.query("loaded_reports_of_agencies"), {"agencies": agencies}).fetchall()
        fixes = con.execute(warehouse.query("current_corrections_of_agencies"), {"agencies": agencies}).fetchall()
    by_doc: dict[str, list[tuple[str, float]]] = {}
    for doc, key, value in fixes:
        by_doc.setdefault(doc, []).append((key, value))
    return [apply_corrections(json.loads(record), by_doc.get(doc, [])) for doc, record in rows]


def neighbour_pairs(warehouse_path: Path, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each report with `prev` set to the agency's report for the year before, where one exists:
    the batch's own reports against earlier ones, and loaded later reports against the batch's."""
    fresh = [r for r in records if r.get("agency_key") and isinstance(r.get("report_year"), int)]
    known = _loaded_reports(warehouse_path, sorted({r["agency_key"] for r in fresh}))
    fresh_ids = {r["document_id"] for r in fresh}
    by_year: dict[tuple[str, int], dict[str, Any]] = {}
    for r in [k for k in known if k["document_id"] not in fresh_ids] + fresh:  # the batch wins
        by_year[(r.get("agency_key"), r["report_year"])] = r
    pairs = []
    for r in fresh:
        key = (r["agency_key"], r["report_year"])
        if prev := by_year.get((key[0], key[1] - 1)):
            pairs.append({**r, "prev": prev})
        later = by_year.get((key[0], key[1] + 1))
        if later is not None and later["document_id"] not in fresh_ids:
            pairs.append({**later, "prev": r})
    return pairs

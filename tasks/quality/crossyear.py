"""Pairs each report with the same agency's report for the year before, for the cross-year rules
(X1–X3): the batch's own reports against earlier loaded ones, and loaded later ones against the batch's."""

from __future__ import annotations

from pathlib import Path

import warehouse
from tasks.record import Record


def loaded_reports(warehouse_path: Path, agency_keys: list[str]) -> list[Record]:
    """Loaded reports of these agencies (by agency_key), with their corrections applied."""
    if not warehouse_path.exists() or not agency_keys:
        return []
    with warehouse.reading(warehouse_path) as con:
        rows = con.execute(warehouse.query("loaded_reports_of_agencies"), {"agencies": agency_keys}).fetchall()
        fixes = con.execute(warehouse.query("current_corrections_of_agencies"), {"agencies": agency_keys}).fetchall()
    by_doc: dict[str, list[tuple[str, float]]] = {}
    for doc, key, value in fixes:
        by_doc.setdefault(doc, []).append((key, value))
    return [Record.from_json(record).with_corrections(by_doc.get(doc, [])) for doc, record in rows]


def year_pairs(records: list[Record], known: list[Record]) -> list[tuple[Record, Record]]:
    """(report, previous year's report of the same agency) for every pair a batch creates."""
    fresh = [r for r in records if r.agency_key and isinstance(r.report_year, int)]
    fresh_ids = {r.document_id for r in fresh}
    by_year: dict[tuple[str | None, int | None], Record] = {}
    for r in [k for k in known if k.document_id not in fresh_ids] + fresh:  # the batch wins
        by_year[(r.agency_key, r.report_year)] = r
    pairs = []
    for r in fresh:
        assert r.report_year is not None
        if prev := by_year.get((r.agency_key, r.report_year - 1)):
            pairs.append((r, prev))
        later = by_year.get((r.agency_key, r.report_year + 1))
        if later is not None and later.document_id not in fresh_ids:
            pairs.append((later, r))
    return pairs


def neighbour_pairs(warehouse_path: Path, records: list[Record]) -> list[tuple[Record, Record]]:
    """The batch's cross-year pairs, looking up the agencies' loaded reports in the warehouse."""
    keys = sorted({r.agency_key for r in records if r.agency_key and isinstance(r.report_year, int)})
    return year_pairs(records, loaded_reports(warehouse_path, keys))

"""Pairs each report with the same agency's report for the year before, for the cross-year rules
(X1–X3): the batch's own reports against earlier loaded ones, and loaded later ones against the batch's.
The same agency is the same agency_id (tasks/identity), whatever key each report printed."""

from __future__ import annotations

from pathlib import Path

import warehouse
from tasks.record import Record

Agency = int | str  # an agency_id, or the agency_key of an agency the warehouse does not hold yet


def loaded_reports(warehouse_path: Path, agency_keys: list[str]) -> tuple[list[Record], dict[str, Agency]]:
    """Loaded reports of the agencies these keys belong to, with their corrections applied, and the
    agency of each report and key: its agency_id (so the reports of one agency pair up whatever
    place-name prefix, rename or override separates their keys), else its key."""
    if not warehouse_path.exists() or not agency_keys:
        return [], {}
    with warehouse.reading(warehouse_path) as con:
        rows = con.execute(warehouse.query("loaded_reports_of_agencies"), {"agencies": agency_keys}).fetchall()
        fixes = con.execute(warehouse.query("current_corrections_of_agencies"), {"agencies": agency_keys}).fetchall()
    by_doc: dict[str, list[tuple[str, float]]] = {}
    for doc, key, value in fixes:
        by_doc.setdefault(doc, []).append((key, value))
    agency: dict[str, Agency] = {}
    ids_of_key: dict[str, set[int]] = {}
    for doc, _, agency_id, key in rows:
        agency[doc] = agency_id if agency_id is not None else key
        if agency_id is not None and key:
            ids_of_key.setdefault(key, set()).add(agency_id)
    for key, ids in ids_of_key.items():
        if len(ids) == 1:  # a key split between agencies (an override) says nothing on its own
            agency[key] = next(iter(ids))
    records = [Record.from_json(record).with_corrections(by_doc.get(doc, [])) for doc, record, _, _ in rows]
    return records, agency


def year_pairs(
    records: list[Record], known: list[Record], agency: dict[str, Agency] | None = None
) -> list[tuple[Record, Record]]:
    """(report, previous year's report of the same agency) for every pair a batch creates. A loaded
    report's agency is its agency_id; a batch report's is the id its key has in the warehouse, else
    its key (`agency`: document or key → agency, from loaded_reports)."""
    agency = agency or {}

    def of(r: Record, loaded: bool) -> Agency | None:
        if loaded and r.document_id in agency:
            return agency[r.document_id]
        return agency.get(r.agency_key, r.agency_key) if r.agency_key else None

    fresh = [r for r in records if r.agency_key and isinstance(r.report_year, int)]
    fresh_ids = {r.document_id for r in fresh}
    by_year: dict[tuple[Agency | None, int | None], Record] = {}
    for r in known:
        if r.document_id not in fresh_ids and isinstance(r.report_year, int):
            by_year[(of(r, True), r.report_year)] = r
    for r in fresh:  # the batch wins
        by_year[(of(r, False), r.report_year)] = r
    pairs = []
    for r in fresh:
        assert r.report_year is not None
        who = of(r, False)
        if prev := by_year.get((who, r.report_year - 1)):
            pairs.append((r, prev))
        later = by_year.get((who, r.report_year + 1))
        if later is not None and later.document_id not in fresh_ids:
            pairs.append((later, r))
    return pairs


def neighbour_pairs(warehouse_path: Path, records: list[Record]) -> list[tuple[Record, Record]]:
    """The batch's cross-year pairs, looking up the agencies' loaded reports in the warehouse."""
    keys = sorted({r.agency_key for r in records if r.agency_key and isinstance(r.report_year, int)})
    known, agency = loaded_reports(warehouse_path, keys)
    return year_pairs(records, known, agency)

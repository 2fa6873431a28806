"""Document → canonical record (the format of ../shared/domain/canonical-keys.md, plus lineage).

The parser is template-aware: it walks the token stream and fills the three statutory tables.
Rows are found by their label within their group, never by counting numbers alone; a row whose
label was lost takes the next unfilled row in printed order; digit runs printed without separators
are split with the table's own identities, and left null (with the candidates) when still ambiguous.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from tasks import EXTRACTOR_VERSION
from tasks.keys import T3_COLUMNS
from tasks.parse.cells import Value
from tasks.parse.legacy import parse_legacy
from tasks.parse.meta import Meta, extract_meta
from tasks.parse.prose import disagreements, legacy_figures, stated_cells, table2_figures
from tasks.parse.segments import T2_ANCHOR, Segment, match_t3, segments
from tasks.parse.table2 import parse_table2
from tasks.parse.table3 import parse_table3
from tasks.parse.table4 import parse_table4
from tasks.parse.tokens import tokens
from tasks.read.document import Document
from tasks.record import Record, cell_paths

_REPORT_WORDS = re.compile(r"政府信息公开|政务公开|信息公开")


def _plain(cells: dict[str, Value]) -> dict[str, Any]:
    return {k: v.value for k, v in cells.items()}


_JOINED = re.compile(r"\d\s+\d")


@functools.lru_cache(maxsize=16384)
def _joined(raw: str) -> bool:
    """Whether a cell's text prints separate numbers ("1 25"); cells repeat, so it is cached."""
    return bool(_JOINED.search(unicodedata.normalize("NFKC", raw)))


@dataclass
class _Lineage:
    """What the record says about its cells besides their values: warnings, where each cell was
    printed, and why a null is null (printed blank, a dash, 无, ambiguous digits…)."""

    warnings: list[str]
    positions: dict[str, str] = field(default_factory=dict)
    nulls: dict[str, str] = field(default_factory=dict)

    def add_positions(self, prefix: str, cells: dict[str, Value]) -> None:
        for k, v in cells.items():
            pos = v.position()
            if pos:
                self.positions[f"{prefix}.{k}"] = pos

    def add_meanings(self, prefix: str, cells: dict[str, Value]) -> None:
        for k, v in cells.items():
            if v.value is None and v.meaning not in ("number",):
                self.nulls[f"{prefix}.{k}"] = v.meaning

    def add(self, prefix: str, cells: dict[str, Value]) -> None:
        self.add_positions(prefix, cells)
        self.add_meanings(prefix, cells)
        self.add_joined(prefix, cells)

    def add_joined(self, prefix: str, cells: dict[str, Value]) -> None:
        """A number read from one cell that prints separate numbers ("1 25"): said, for the gate (P1)."""
        for k, v in cells.items():
            if isinstance(v.value, (int, float)) and _joined(v.raw):
                self.warnings.append(f"{prefix}.{k}: digits joined from separately printed numbers ({v.raw!r})")


def parse_document(doc: Document, document_id: str | None = None) -> dict[str, Any]:
    """The canonical record of one document. Never raises on odd content: it warns."""
    segs = segments(tokens(doc))
    meta = extract_meta(doc.text, doc.title)
    lineage = _Lineage(list(doc.warnings))
    record = _empty_record(doc, document_id, meta)
    t3_start = next((i for i, s in enumerate(segs) if match_t3(s.labels) == "new_requests"), None)
    if t3_start is not None:
        _fill_statutory(record, segs, t3_start, _prose_figures(doc, meta), lineage, doc.text)
    else:
        _fill_legacy(record, segs, doc, meta, lineage)
    _compare_prose(record, doc.text, lineage)
    record["warnings"] = lineage.warnings
    record["positions"] = lineage.positions
    record["null_meanings"] = lineage.nulls
    record["metadata_sources"] = meta.sources
    return record


def _compare_prose(record: dict[str, Any], text: str, lineage: _Lineage) -> None:
    """The figures the text states for this template's cells, kept for the gate (W_PROSE_TABLE),
    and a warning naming the cell, both figures and the sentence where they disagree."""
    if record["status"] != "report" or record["template"] is None:
        return
    stated = stated_cells(text, record["template"])
    record["prose_cells"] = {expr: {"value": f.value, "position": f.position()} for expr, f in stated.items()}
    cells = dict(cell_paths(record))
    for expr, printed, fig in disagreements(stated, cells):
        lineage.warnings.append(f"{expr}: the table prints {printed}, the text says {fig.value} ({fig.position()})")


def _prose_figures(doc: Document, meta: Meta) -> frozenset[int]:
    """Figures the running text quotes ("88件", "1853条"): they decide digit runs tables leave open."""
    return frozenset(int(n) for n in re.findall(r"(\d+)\s*[件条项个]", doc.text)) | {
        n for vals in meta.prose_figures.values() for n in vals
    }


def _empty_record(doc: Document, document_id: str | None, meta: Meta) -> dict[str, Any]:
    """The record with its identity and metadata filled in and every table still empty."""
    return {
        "document_id": document_id,
        "source": doc.source,
        "format": doc.format,
        "encoding": doc.encoding,
        "status": "report",
        "agency": meta.agency,
        "agency_key": meta.key,
        "report_year": meta.report_year,
        "template": None,
        "publication_date": meta.publication_date,
        "index_number": meta.index_number,
        "credit_code": meta.credit_code,
        "division_code": meta.division_code,
        "province": meta.province,
        "county": meta.county,
        "agency_level": meta.level,
        "agency_kind": meta.kind,
        "table2": {},
        "table3": {},
        "table4": {},
        "legacy": {},
        "prose_figures": meta.prose_figures,
        "extractor_version": EXTRACTOR_VERSION,
    }


def _fill_statutory(
    record: dict[str, Any],
    segs: list[Segment],
    t3_start: int,
    prose: frozenset[int],
    lineage: _Lineage,
    text: str = "",
) -> None:
    """Tables 2, 3 and 4 of a 2019/2021-template report, and which template it is."""
    t2_layout = None
    t2_start = next((i for i, s in enumerate(segs[:t3_start]) if T2_ANCHOR.search(s.label)), None)
    if t2_start is not None:
        t2 = parse_table2(segs, t2_start, t3_start, prose, table2_figures(text, "2021"))
        lineage.warnings += t2.warnings
        t2_layout = t2.layout
        for row, cells in t2.cells.items():
            record["table2"][row] = _plain(cells)
            lineage.add(f"table2.{row}", cells)
    t3 = parse_table3(segs, t3_start)
    lineage.warnings += t3.warnings
    for row, cells in t3.cells.items():
        record["table3"][row] = _plain(cells)
        lineage.add(f"table3.{row}", cells)
    t4 = parse_table4(segs, t3.end)
    lineage.warnings += t4.warnings
    if t4.cells:
        record["table4"] = _plain(t4.cells["row"])
        lineage.add("table4", t4.cells["row"])
    record["template"] = t2_layout or t3.layout


def _fill_legacy(record: dict[str, Any], segs: list[Segment], doc: Document, meta: Meta, lineage: _Lineage) -> None:
    """A report without the statutory tables: the pre-2019 statistics table, prose only, or not
    an annual report at all. Figures the text states fill what the table does not print."""
    stated = legacy_figures(doc.text)
    legacy = parse_legacy(segs, set(_prose_figures(doc, meta)), meta.prose_figures, stated)
    lineage.warnings += legacy.warnings
    row = dict(legacy.cells.get("row", {}))
    for path, fig in stated.items():
        key = path.split(".", 1)[1]
        if key not in row:
            row[key] = Value(fig.value, str(fig.value), "number")
            lineage.positions[path] = fig.position()
            lineage.warnings.append(f"{path} = {fig.value} from the text ({fig.position()})")
    if legacy.cells or (row and _REPORT_WORDS.search(doc.text[:3000]) and meta.report_year is not None):
        record["template"] = "legacy"
        record["legacy"] = {k: v.value for k, v in row.items() if k not in ("granted", "partially_granted")}
        lineage.add_positions("legacy", {k: v for k, v in row.items() if f"legacy.{k}" not in lineage.positions})
        _map_legacy(record, row)
        if not legacy.cells:
            lineage.warnings.append("an annual report without statistical tables: figures from the text only")
    elif not _REPORT_WORDS.search(doc.text[:3000]) or meta.report_year is None:
        record["status"] = "not_a_report"
        lineage.warnings.append("no statistical tables and no annual-report title: not an annual report")
    else:
        record["template"] = "legacy"
        lineage.warnings.append("an annual report without statistical tables (prose only)")


_LEGACY_TO_T3 = {
    "requests_received": ("table3", "new_requests"),
    "requests_completed": ("table3", "handled_total"),
    "granted": ("table3", "granted"),
    "partially_granted": ("table3", "partially_granted"),
}


def _map_legacy(record: dict[str, Any], row: dict[str, Value]) -> None:
    """Map the legacy figures that have an exact template equivalent (statute note §6) to totals."""
    for key, (_, t3row) in _LEGACY_TO_T3.items():
        v = row.get(key)
        if v is not None and v.value is not None:
            record["table3"].setdefault(t3row, {})["total"] = v.value
    v = row.get("reviews")
    if v is not None and v.value is not None:
        record["table4"]["review_total"] = v.value


def parse_record(doc: Document, document_id: str | None = None) -> Record:
    """The canonical record of one document as the pipeline carries it (typed, frozen)."""
    return Record.from_dict(parse_document(doc, document_id))


__all__ = ["T3_COLUMNS", "parse_document", "parse_record"]

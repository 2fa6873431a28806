"""The canonical record of one report: the ground-truth format of canonical-keys.md plus lineage.

One frozen value from the parser to the load. JSON only at the edges (the warehouse's
`documents.record` column, `ogi extract`); cell paths (`table3.granted.total`, `table4.review_total`,
`legacy.requests_received`) have one implementation here, used by the gate, the load, the review
workflow and the scoreboard.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

# Tables whose cells are rows × columns; the others are one row of keys.
GRID_TABLES = ("table2", "table3")
FLAT_TABLES = ("table4", "legacy")
TABLES = ("table2", "table3", "table4", "legacy")


def cell_paths(record: Mapping[str, Any], tables: Iterable[str] = TABLES) -> Iterator[tuple[str, Any]]:
    """(path, value) of every cell in a record-shaped mapping (a record or a truth file)."""
    for table in tables:
        for key, value in (record.get(table) or {}).items():
            if table in GRID_TABLES and isinstance(value, Mapping):
                for col, v in value.items():
                    yield f"{table}.{key}.{col}", v
            else:
                yield f"{table}.{key}", value


def split_path(path: str) -> tuple[str, str, str]:
    """'table3.granted.total' → ('table3', 'granted', 'total'); 'table4.review_total' → ('table4', '', …)."""
    table, *rest = path.split(".")
    if table in GRID_TABLES and len(rest) == 2:
        return table, rest[0], rest[1]
    if table in FLAT_TABLES and len(rest) == 1:
        return table, "", rest[0]
    raise ValueError(f"{path!r} is not a cell path (table3.<row>.<column>, table4.<key>, …)")


@dataclass(frozen=True)
class Correction:
    """A reviewer's value for a printed cell (the audit trail is in the warehouse)."""

    cell: str
    value: float


@dataclass(frozen=True)
class Record:
    """One report as extracted. Cell values are int (counts), float (amounts), str (as printed when
    not a number) or None (printed blank, or undecided: `null_meanings` says which)."""

    document_id: str | None
    source: str | None = None
    format: str | None = None
    encoding: str | None = None
    status: str = "report"  # report | not_a_report
    agency: str | None = None
    agency_key: str | None = None
    report_year: int | None = None
    template: str | None = None  # 2019 | 2021 | legacy
    publication_date: str | None = None
    index_number: str | None = None
    credit_code: str | None = None
    division_code: str | None = None
    province: str | None = None
    county: str | None = None
    agency_level: str | None = None
    agency_kind: str | None = None
    table2: dict[str, dict[str, Any]] = field(default_factory=dict)
    table3: dict[str, dict[str, Any]] = field(default_factory=dict)
    table4: dict[str, Any] = field(default_factory=dict)
    legacy: dict[str, Any] = field(default_factory=dict)
    prose_figures: dict[str, list[int]] = field(default_factory=dict)
    # figures the text states per cell: {"table4.review_total": {"value": 2, "position": "L9 「…」"}};
    # a key joins several paths with "+" when the figure is their sum (W_PROSE_TABLE compares them)
    prose_cells: dict[str, dict[str, Any]] = field(default_factory=dict)
    extractor_version: str | None = None
    warnings: tuple[str, ...] = ()
    positions: dict[str, str] = field(default_factory=dict)
    null_meanings: dict[str, str] = field(default_factory=dict)
    metadata_sources: dict[str, str] = field(default_factory=dict)
    corrections: tuple[Correction, ...] = ()

    # ------------------------------------------------------------------ cells

    def cells(self, tables: Iterable[str] = TABLES) -> dict[str, Any]:
        """Every cell the report prints, by path (blank cells included, as None)."""
        return dict(cell_paths(self.tables(), tables))

    def cell_keys(self) -> Iterator[tuple[str, str, str, str, Any]]:
        """(table, row, column, path, value) of every cell, as cells() and split_path() would give
        them (the load writes every cell of a batch: no path built to be split again)."""
        for table in TABLES:
            for key, value in getattr(self, table).items():
                if table in GRID_TABLES and isinstance(value, Mapping):
                    for col, v in value.items():
                        yield table, key, col, f"{table}.{key}.{col}", v
                else:
                    yield table, "", key, f"{table}.{key}", value

    def tables(self) -> dict[str, Any]:
        return {"table2": self.table2, "table3": self.table3, "table4": self.table4, "legacy": self.legacy}

    def prints(self, path: str) -> bool:
        """Whether the report prints this cell or row at all (printed blank counts)."""
        node: Any = self.tables()
        for part in path.split("."):
            if not isinstance(node, Mapping) or part not in node:
                return False
            node = node[part]
        return True

    def get(self, path: str, default: Any = None) -> Any:
        """A cell's value (or a whole row, or a top-level field such as report_year)."""
        if "." not in path:
            return getattr(self, path, default) if path in _FIELD_NAMES else default
        node: Any = self.tables()
        for part in path.split("."):
            if not isinstance(node, Mapping) or part not in node:
                return default
            node = node[part]
        return node

    def with_corrections(self, corrections: Iterable[tuple[str, float]]) -> Record:
        """A copy with corrected values in place (what the gate checks and the facts hold)."""
        fixes = [Correction(cell, float(value)) for cell, value in corrections]
        if not fixes:
            return self
        tables = copy.deepcopy(self.tables())
        for fix in fixes:
            table, row, col = split_path(fix.cell)
            value: float | int = fix.value
            if table != "table2" and float(value).is_integer():
                value = int(value)  # counts stay integers; table 2 holds amounts too
            if row:
                tables[table].setdefault(row, {})[col] = value
            else:
                tables[table][col] = value
        return replace(self, **tables, corrections=self.corrections + tuple(fixes))

    # ------------------------------------------------------------------ JSON edges

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["warnings"] = list(self.warnings)
        out["corrections"] = [asdict(c) for c in self.corrections]
        if not self.corrections:
            del out["corrections"]
        return out

    def to_json(self, indent: int | None = None) -> str:
        """The record as JSON: the same document as to_dict() gives, without its deep copy (a load
        serialises every record of a batch)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["corrections"] = [asdict(c) for c in self.corrections]
        if not self.corrections:
            del out["corrections"]
        return json.dumps(out, ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Record:
        """A record from its JSON form (or a truth file); unknown keys are ignored."""
        known = {k: v for k, v in data.items() if k in _FIELD_NAMES}
        known.setdefault("document_id", None)
        known["warnings"] = tuple(known.get("warnings") or ())
        known["corrections"] = tuple(Correction(c["cell"], float(c["value"])) for c in (known.get("corrections") or ()))
        for name in ("table2", "table3", "table4", "legacy", "prose_figures", "prose_cells", "positions",
                     "null_meanings", "metadata_sources"):  # fmt: skip
            known[name] = dict(known.get(name) or {})
        return cls(**known)

    @classmethod
    def from_json(cls, text: str) -> Record:
        return cls.from_dict(json.loads(text))


_FIELD_NAMES = frozenset(f.name for f in fields(Record))

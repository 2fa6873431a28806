"""`ogi export`: the warehouse for researchers — long facts, documents with status, agencies, rule
results and an agencies × years panel, as Parquet (partitioned by report_year) or CSV, with a data
dictionary (dictionary.md, dictionary.json) built from the warehouse's own COMMENTs.

Written by DuckDB itself (`COPY … TO`) from a normal read-only connection (the ad-hoc one refuses
COPY on purpose). Every query is a file of warehouse/queries (`export_<name>.sql`); the year and
the target path are bound as parameters, never formatted into SQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import warehouse
from tasks.settings import Settings

FORMATS = ("parquet", "csv")


@dataclass(frozen=True)
class Export:
    """One exported relation: its query (warehouse/queries/export_<name>.sql), whether its Parquet is
    partitioned by report_year, and where column comments come from when the relation has none."""

    name: str
    partitioned: bool = True
    comments_from: tuple[str, ...] = ()


EXPORTS: tuple[Export, ...] = (
    Export("fct_table2"),
    Export("fct_table3"),
    Export("fct_table4"),
    Export("fct_legacy"),
    Export("documents", comments_from=("document_arrivals",)),
    Export("dim_agency", partitioned=False),
    Export("validation_results", comments_from=("documents",)),
    Export("panel"),
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    comment: str


@dataclass(frozen=True)
class Exported:
    name: str
    path: str  # relative to the export folder: a file, or a folder of report_year=… partitions
    rows: int
    description: str
    partitioned_by: str | None
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    format: str
    year: int | None
    tables: tuple[Exported, ...]
    dictionary: tuple[Path, Path]  # dictionary.md, dictionary.json


# COPY options by (format, partitioned): constants, so no value ever becomes SQL text.
COPY_OPTIONS = {
    ("parquet", True): "format parquet, partition_by (report_year), overwrite",
    ("parquet", False): "format parquet",
    ("csv", False): "format csv, header",
}


def _copy_sql(select: str, fmt: str, partitioned: bool) -> str:
    """COPY (one of warehouse/queries/export_*.sql) TO $path — the path is a bound parameter."""
    return f"copy ({select}) to $path ({COPY_OPTIONS[(fmt, partitioned)]})"


def _select(name: str) -> str:
    return warehouse.query(f"export_{name}").strip().rstrip(";")


def export_warehouse(settings: Settings, folder: Path, year: int | None = None, fmt: str = "parquet") -> ExportResult:
    """Write every export of EXPORTS under `folder` (created) and the data dictionary beside them."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    folder = Path(folder).expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    params = {"year": year}
    tables = []
    with warehouse.reading(settings.warehouse) as con:
        for stmt in warehouse.statements(warehouse.query("export_panel_view")):
            con.execute(stmt)
        comments = {(t, c): (ty, cm) for t, c, ty, cm in con.execute(
            "select table_name, column_name, data_type, comment from duckdb_columns()").fetchall()}  # fmt: skip
        described = dict(con.execute(
            "select table_name, comment from duckdb_tables() union all select view_name, comment from duckdb_views()"
        ).fetchall())  # fmt: skip
        for spec in EXPORTS:
            select = _select(spec.name)
            relation = con.sql(select, params=params)
            names, types = relation.columns, [str(t) for t in relation.types]
            rows = con.execute(f"select count(*) from ({select})", params).fetchall()[0][0]
            partitioned = spec.partitioned and fmt == "parquet"
            target = folder / (spec.name if partitioned else f"{spec.name}.{fmt}")
            con.execute(_copy_sql(select, fmt, partitioned), {**params, "path": str(target)})
            columns = tuple(
                Column(n, ty, _comment(comments, (spec.name, *spec.comments_from), n)) for n, ty in zip(names, types)
            )
            tables.append(Exported(spec.name, target.name, rows, described.get(spec.name) or "",
                                   "report_year" if partitioned else None, columns))  # fmt: skip
    result_tables = tuple(tables)
    md, js = folder / "dictionary.md", folder / "dictionary.json"
    when = datetime.now().isoformat(timespec="seconds")
    js.write_text(json.dumps(_dictionary(result_tables, settings, fmt, year, when), ensure_ascii=False, indent=1),
                  encoding="utf-8")  # fmt: skip
    md.write_text(_markdown(result_tables, settings, fmt, year, when), encoding="utf-8")
    return ExportResult(folder, fmt, year, result_tables, (md, js))


def _comment(comments: dict, tables: tuple[str, ...], column: str) -> str:
    """The column's COMMENT in the first of `tables` that has one, else in any table of the warehouse."""
    for table in tables:
        found = comments.get((table, column))
        if found and found[1]:
            return found[1]
    return next((cm for (_, c), (_, cm) in sorted(comments.items()) if c == column and cm), "")


def _dictionary(tables: tuple[Exported, ...], settings: Settings, fmt: str, year: int | None, when: str) -> dict:
    return {
        "warehouse": str(settings.warehouse),
        "exported_at": when,
        "format": fmt,
        "year": year,
        "tables": [
            {
                "name": t.name,
                "description": t.description,
                "path": t.path,
                "rows": t.rows,
                "partitioned_by": t.partitioned_by,
                "columns": [{"name": c.name, "type": c.type, "comment": c.comment} for c in t.columns],
            }
            for t in tables
        ],
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(tables: tuple[Exported, ...], settings: Settings, fmt: str, year: int | None, when: str) -> str:
    scope = f"report year {year}" if year else "every report year"
    lines = [
        "# Data dictionary",
        "",
        f"Exported {when} from `{settings.warehouse}` ({scope}, {fmt}). Column comments are the warehouse's",
        "own (`duckdb_columns()`); a Parquet table partitioned by `report_year` is a folder of",
        "`report_year=YYYY/` parts (read it with `hive_partitioning`).",
        "",
        "| table | rows | path | contents |",
        "|---|---|---|---|",
    ]
    for t in tables:
        path = f"{t.path}/" if t.partitioned_by else t.path
        lines.append(f"| [`{t.name}`](#{t.name}) | {t.rows} | `{path}` | {_cell(t.description)} |")
    for t in tables:
        lines += ["", f"## {t.name}", "", _cell(t.description), "", "| column | type | meaning |", "|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {_cell(c.comment)} |" for c in t.columns]
    return "\n".join(lines) + "\n"


__all__ = ["EXPORTS", "FORMATS", "ExportResult", "Exported", "export_warehouse"]

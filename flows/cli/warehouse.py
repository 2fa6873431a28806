"""`ogi run`, `ogi sql`: the main job, and ad-hoc SQL against what it built."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from flows.cli.common import CONTEXT, echo, expected, fail, first_line, note, print_table, warehouse_option


@click.command("run", context_settings=CONTEXT)
@click.argument("inbox", metavar="INBOX")
@warehouse_option
def run_command(inbox: str, cfg: Any) -> None:
    """The main job: stage → extract → gate → load every file under INBOX.

    INBOX is a folder of report files (or one file). Runs the `ingest` flow on Prefect's local
    engine; files the warehouse already holds are skipped, so running twice changes nothing.
    """
    source = Path(inbox)
    if not source.exists():
        fail(f"{source}: no such file or folder")
    note(f"{source} → {cfg.warehouse} (starting Prefect's local engine…)")
    import warehouse
    from flows.ingest import ingest

    with expected(warehouse.WarehouseBusy):
        summary = ingest(str(source), cfg)
    _print_summary(summary)


def _print_summary(summary: dict) -> None:
    counts = summary["counts"]
    unreadable = {k: v for k, v in counts.items() if k not in ("loaded", "quarantined")}
    echo()
    echo(f"files seen      {summary['files']}")
    echo(f"loaded          {counts.get('loaded', 0)}")
    echo(f"quarantined     {counts.get('quarantined', 0)}")
    echo(f"rejected        {sum(unreadable.values())}" + (f"  {unreadable}" if unreadable else ""))
    echo(f"already known   {summary['already_known']}")
    echo(f"skipped         {len(summary['skipped'])}")
    for d in summary["decisions"]:
        if d["status"] != "loaded":
            echo(f"  {d['status']:12} {d['name']}: {d['reason']}")
    for s in summary["skipped"]:
        echo(f"  {'skipped':12} {s['name']}: {s['reason']}")
    from tasks.pipeline import not_current_lines

    for line in not_current_lines(summary):
        echo(f"  {line}")
    echo()
    echo(f"warehouse       {summary['warehouse']}")
    _print_holdings(Path(summary["warehouse"]))
    echo(f"staging store   {summary['staging']}")
    echo('look at it      ogi sql "select * from v_documents"')
    if counts.get("quarantined"):
        echo('quarantine      ogi sql "select * from v_quarantine"')


def _print_holdings(path: Path) -> None:
    """What the warehouse holds now, one line per kind of row (nothing if it cannot be read now)."""
    import warehouse

    try:
        _, rows = warehouse.fetch(path, warehouse.query("warehouse_summary"))
    except (FileNotFoundError, warehouse.WarehouseBusy):
        return
    echo("it holds        " + "; ".join(f"{what} {n}" for what, n in rows))


@click.command("sql", context_settings=CONTEXT)
@click.argument("query", metavar="QUERY")
@click.option("--format", "fmt", type=click.Choice(("table", "csv", "json")), default="table", show_default=True)
@click.option("--memory-limit", default="2GB", show_default=True, help="DuckDB memory limit for the query.")
@click.option(
    "--timeout", "timeout_s", type=float, default=60.0, show_default=True, help="Seconds before it is stopped."
)
@warehouse_option
def sql_command(query: str, fmt: str, memory_limit: str, timeout_s: float, cfg: Any) -> None:
    """Ad-hoc SQL against the warehouse: read-only, the warehouse and nothing else.

    No file access (COPY, read_csv, glob…), no extensions, no SET; a memory limit and a timeout.
    If a load holds the file, it says so (exit 2); a bad query prints DuckDB's first line (exit 1).
    """
    import duckdb

    import warehouse

    with (
        expected(duckdb.Error, code=1, message=first_line),
        expected(FileNotFoundError, warehouse.WarehouseBusy, warehouse.QueryTimeout),
    ):
        columns, rows = warehouse.ad_hoc(cfg.warehouse, query, memory_limit, timeout_s)
    if fmt == "json":
        echo(json.dumps([dict(zip(columns, r)) for r in rows], ensure_ascii=False, default=str, indent=1))
    elif fmt == "csv":
        import csv

        w = csv.writer(sys.stdout)
        w.writerow(columns)
        w.writerows(rows)
    else:
        print_table(columns, rows)
        echo(f"({len(rows)} rows)")

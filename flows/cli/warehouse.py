"""`ogi run`, `ogi sql`, `ogi export`: the main job, ad-hoc SQL against what it built, and the
researchers' export."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from flows.cli.common import (
    command,
    echo,
    echo_json,
    expected,
    fail,
    first_line,
    format_option,
    lang_option,
    note,
    pad,
    print_table,
    strict_exit,
    strict_option,
    verbose_option,
    warehouse_option,
)
from tasks.messages import holding, reason_text, status_word, t


@command("run")
@click.argument("inbox", metavar="INBOX")
@format_option("table", "json")
@strict_option
@verbose_option
@lang_option
@warehouse_option
def run_command(inbox: str, fmt: str, strict: bool, verbose: bool, lang: str, cfg: Any) -> None:
    """The main job: stage → extract → gate → load every file under INBOX.

    INBOX is a folder of report files (or one file). Runs the `ingest` flow on Prefect's local
    engine; files the warehouse already holds are skipped, so running twice changes nothing. When a
    run quarantines a report, a review page (review.html) is written beside the warehouse.
    """
    source = Path(inbox)
    if not source.exists():
        fail(t("fail.no_path", lang, path=source))
    import warehouse

    with expected(warehouse.WarehouseError, code=5):
        warehouse.check(cfg.warehouse)
    note(t("run.starting", lang, source=source, warehouse=cfg.warehouse))
    from flows.ingest import ingest
    from flows.runtime.logs import prefect_logs_to

    log = None if verbose else cfg.prefect_log
    prefect_logs_to(log)
    with expected(warehouse.WarehouseError, code=5):
        summary = ingest(str(source), cfg)
    quarantined = summary["counts"].get("quarantined", 0)
    page = None
    if quarantined:
        from tasks.review_page import default_page, write_review_page

        with expected(FileNotFoundError), expected(warehouse.WarehouseError, code=5):
            page, _ = write_review_page(cfg, default_page(cfg), lang)
    summary = {**summary, "review_page": str(page) if page else None, "prefect_log": str(log) if log else None}
    if fmt == "json":
        echo_json(summary)
    else:
        _print_summary(summary, lang)
    if strict:
        rejected = sum(n for k, n in summary["counts"].items() if k not in ("loaded", "quarantined"))
        strict_exit(quarantined, rejected + len(summary["skipped"]))


def _print_summary(summary: dict, lang: str) -> None:
    counts = summary["counts"]
    unreadable = {status_word(k, lang): v for k, v in counts.items() if k not in ("loaded", "quarantined")}

    def row(key: str, value: object) -> None:
        echo(f"{pad(t(key, lang), 16)}{value}")

    echo()
    row("run.files", summary["files"])
    row("run.loaded", counts.get("loaded", 0))
    row("run.quarantined", counts.get("quarantined", 0))
    row("run.rejected", f"{sum(unreadable.values())}" + (f"  {unreadable}" if unreadable else ""))
    row("run.known", summary["already_known"])
    row("run.skipped", len(summary["skipped"]))
    for d in summary["decisions"]:
        if d["status"] != "loaded":
            echo(f"  {pad(status_word(d['status'], lang), 12)} {d['name']}: {reason_text(d['reason'], lang)}")
    for s in summary["skipped"]:
        echo(f"  {pad(status_word('skipped', lang), 12)} {s['name']}: {s['reason']}")
    from tasks.pipeline import not_current_lines

    for line in not_current_lines(summary):
        echo(f"  {line}")
    rectification = summary.get("rectification") or {}
    if any(rectification.values()):
        row("run.rectification", t("rectify.recheck", lang, **rectification) + t("run.rectify_hint", lang))
    echo()
    row("run.warehouse", summary["warehouse"])
    _print_holdings(Path(summary["warehouse"]), lang)
    row("run.staging", summary["staging"])
    row("run.look", 'ogi sql "select * from v_documents"')
    if counts.get("quarantined"):
        row("run.quarantine", 'ogi sql "select * from v_quarantine"')
    if summary.get("review_page"):
        row("run.review_page", summary["review_page"])
    if summary.get("prefect_log"):
        row("run.prefect_log", summary["prefect_log"])


def _print_holdings(path: Path, lang: str) -> None:
    """What the warehouse holds now, one line per kind of row (nothing if it cannot be read now)."""
    import warehouse

    try:
        _, rows = warehouse.fetch(path, warehouse.query("warehouse_summary"))
    except (FileNotFoundError, warehouse.WarehouseError):
        return
    sep = "；" if lang == "zh" else "; "
    echo(pad(t("run.holds", lang), 16) + sep.join(f"{holding(what, lang)} {n}" for what, n in rows))


@command("sql")
@click.argument("query", metavar="QUERY")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "csv", "json")),
    default="table",
    show_default=True,
    help="table: for people; csv or json: the same data, machine-readable.",
)
@click.option("--memory-limit", default="2GB", show_default=True, help="DuckDB memory limit for the query.")
@click.option(
    "--timeout", "timeout_s", type=float, default=60.0, show_default=True, help="Seconds before it is stopped."
)
@warehouse_option
def sql_command(query: str, fmt: str, memory_limit: str, timeout_s: float, cfg: Any) -> None:
    """Ad-hoc SQL against the warehouse: read-only, the warehouse and nothing else.

    No file access (COPY, read_csv, glob…), no extensions, no SET; a memory limit and a timeout.
    If a load holds the file, it says so (exit 5); a bad query prints DuckDB's first line (exit 1).
    """
    import duckdb

    import warehouse

    with (
        expected(duckdb.Error, code=1, message=first_line),
        expected(FileNotFoundError, warehouse.QueryTimeout),
        expected(warehouse.WarehouseError, code=5),
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


@command("export")
@click.argument("folder", metavar="DIR")
@click.option("--year", type=int, help="Only reports on this year.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("parquet", "csv")),
    default="parquet",
    show_default=True,
    help="parquet (one folder per table, partitioned by year) or csv (one file per table).",
)
@lang_option
@warehouse_option
def export_command(folder: str, year: int | None, fmt: str, lang: str, cfg: Any) -> None:
    """Export facts, documents, agencies, rule results and a panel for research, with a data dictionary.

    DIR gets one Parquet folder per table (partitioned by report_year; dim_agency one file) or one
    CSV file per table, and dictionary.md / dictionary.json from the warehouse's column comments.
    """
    import duckdb

    import warehouse
    from tasks.export import export_warehouse

    with (
        expected(duckdb.Error, code=1, message=first_line),
        expected(warehouse.WarehouseError, OSError, message=lambda exc: _why(exc, cfg, lang)),
    ):
        result = export_warehouse(cfg, Path(folder), year, fmt)
    for table in result.tables:
        echo(t("export.wrote", lang, name=table.name, rows=table.rows, path=result.folder / table.path))
    echo(t("export.dictionary", lang, path=result.dictionary[0]))


def _why(exc: BaseException, cfg: Any, lang: str) -> str:
    if isinstance(exc, FileNotFoundError) and not cfg.warehouse.exists():
        return t("fail.no_warehouse", lang, path=cfg.warehouse)
    return first_line(exc)

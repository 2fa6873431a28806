"""`ogi rectify`: the rectification loop (整改) — items from the checks, notices to agencies,
automatic re-checks of corrected reports, waivers and archiving, with an audit trail."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import click

from flows.cli.common import CONTEXT, echo, echo_json, expected, print_table, warehouse_option

LIST_COLUMNS = (("item_id", "编号", "id"), ("agency_name", "机构", "agency"), ("report_year", "年度", "year"),
                ("problem", "问题", "problem"), ("status", "状态", "status"), ("due_date", "整改期限", "due_date"),
                ("original_name", "文件", "file"))  # fmt: skip


def _errors():
    import warehouse
    from tasks.rectify import RectifyError

    return expected(RectifyError, FileNotFoundError, ValueError, warehouse.WarehouseError,
                    code=2, message=lambda e: str(e).splitlines()[0])  # fmt: skip


roster_option = click.option(
    "--roster",
    metavar="FILE",
    help="Agencies expected to report (full names, one a line; with --year): without a report, a MISSING item. "
    "Without it, --year raises them for the roster imported for the year (ogi roster import).",
)


def _roster(path: str | None) -> list[str] | None:
    from tasks.consolidate.scope import read_agency_list

    return list(read_agency_list(Path(path))) if path else None


@click.group("rectify", context_settings=CONTEXT)
def rectify_group() -> None:
    """Rectification: problems found become items, notices go to agencies, corrected reports close them.

    Items are raised after every load (and by `ogi rectify list`) from blocking failures — also of
    reports accepted as printed — and from W_TEMPLATE_OUTDATED, W_LATE and W_PROSE_TABLE; a newer
    current report of the same agency and year re-checks them automatically."""


@rectify_group.command("list", context_settings=CONTEXT)
@click.option("--year", type=int, help="Only items of reports on this year.")
@click.option("--agency", help="Only this agency: its id, or text its name contains.")
@click.option(
    "--status",
    type=click.Choice(("open", "notified", "corrected", "waived", "closed")),
    help="Only items in this status.",
)
@click.option("--format", "fmt", type=click.Choice(("table", "csv", "json")), default="table", show_default=True,
              help="table: for people; csv or json: the same data, machine-readable.")  # fmt: skip
@roster_option
@warehouse_option
def list_command(
    year: int | None, agency: str | None, status: str | None, fmt: str, roster: str | None, cfg: Any
) -> None:
    """Rectification items: agency, year, problem, status and due date (raised and re-checked first)."""
    from tasks.rectify import items
    from tasks.rectify.items import STATUS_ZH

    with _errors():
        columns, rows = items(cfg.warehouse, year=year, agency=agency, status=status, roster=_roster(roster))
    records = [dict(zip(columns, r, strict=True)) for r in rows]
    if fmt == "json":
        echo_json([{en: r[key] for key, _, en in LIST_COLUMNS} | {"agency_id": r["agency_id"], "rule_id": r["rule_id"],
                    "instance": r["instance"], "message_zh": r["message_zh"], "basis_zh": r["basis_zh"],
                    "document_id": r["document_id"], "corrected_by_document_id": r["corrected_by_document_id"]}
                   for r in records])  # fmt: skip
        return
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow([en for _, _, en in LIST_COLUMNS])
        writer.writerows([[r[key] for key, _, _ in LIST_COLUMNS] for r in records])
        click.echo(buf.getvalue(), nl=False)
        return
    table = [tuple(STATUS_ZH.get(r[k], r[k]) if k == "status" else r[k] for k, _, _ in LIST_COLUMNS) for r in records]
    print_table([zh for _, zh, _ in LIST_COLUMNS], table)
    echo(f"（共 {len(rows)} 项）")


@rectify_group.command("notify", context_settings=CONTEXT)
@click.option("--year", type=int, help="Only items of reports on this year.")
@click.option("--out", "out", default="notices", show_default=True, metavar="DIR", help="Folder for the notices.")
@roster_option
@warehouse_option
def notify_command(year: int | None, out: str, roster: str | None, cfg: Any) -> None:
    """Write one Chinese notice (DOCX) per agency for its open items, and the office's list (xlsx)."""
    from tasks.rectify import notify

    with _errors():
        written = notify(cfg.warehouse, Path(out), year=year, roster=_roster(roster))
    for p in written["notices"]:
        echo(f"整改通知  {p}")
    for p in written["list"]:
        echo(f"整改清单  {p}")
    echo(f"（共 {len(written['notices'])} 份通知）")


@rectify_group.command("waive", context_settings=CONTEXT)
@click.argument("item_id", type=int, metavar="ID")
@click.option("--reason", required=True, help="Why (recorded with who and when).")
@warehouse_option
def waive_command(item_id: int, reason: str, cfg: Any) -> None:
    """The office will not pursue item ID: waived, with who, when and why."""
    from tasks.rectify import waive

    with _errors():
        waive(cfg.warehouse, item_id, reason)
    echo(f"整改项 {item_id}：已豁免（{reason}）")


@rectify_group.command("close", context_settings=CONTEXT)
@click.argument("item_id", type=int, metavar="ID")
@click.option("--reason", default=None, help="Note recorded with who and when (default: 办结归档).")
@warehouse_option
def close_command(item_id: int, reason: str | None, cfg: Any) -> None:
    """Archive a corrected or waived item ID: closed."""
    from tasks.rectify import close

    with _errors():
        close(cfg.warehouse, item_id, reason)
    echo(f"整改项 {item_id}：已办结")


@rectify_group.command("export", context_settings=CONTEXT)
@click.argument("out", metavar="DIR")
@click.option("--year", type=int, help="Only items of reports on this year.")
@warehouse_option
def export_command(out: str, year: int | None, cfg: Any) -> None:
    """Write the items and their audit trail as CSV files (rectification_items.csv, rectification_events.csv)."""
    from tasks.rectify import export

    with _errors():
        for p in export(cfg.warehouse, Path(out), year=year):
            echo(str(p))

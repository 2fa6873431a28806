"""`ogi rectify`: the rectification loop (整改) — items from the checks, notices to agencies,
automatic re-checks of corrected reports, waivers and archiving, with an audit trail."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import click

from flows.cli.common import CONTEXT, echo, echo_json, expected, group, lang_option, print_table, warehouse_option
from tasks.messages import t

LIST_COLUMNS = (("item_id", "编号", "id"), ("agency_name", "机构", "agency"), ("report_year", "年度", "year"),
                ("problem", "问题", "problem"), ("status", "状态", "status"), ("due_date", "整改期限", "due_date"),
                ("original_name", "文件", "file"))  # fmt: skip


def _errors(lang: str, cfg: Any):
    """The failures a person can cause, as one line in `lang`."""
    import warehouse
    from tasks.rectify import RectifyError

    def message(e: Exception) -> str:
        if isinstance(e, RectifyError):
            return e.text(lang)
        if isinstance(e, FileNotFoundError) and str(e).startswith("no warehouse"):
            return t("fail.no_warehouse", lang, path=cfg.warehouse)
        return str(e).splitlines()[0]

    return expected(RectifyError, FileNotFoundError, ValueError, warehouse.WarehouseError, code=2, message=message)


roster_option = click.option(
    "--roster",
    metavar="FILE",
    help="Agencies expected to report (full names, one a line; with --year): without a report, a MISSING item. "
    "Without it, --year raises them for the roster imported for the year (ogi roster import).",
)


def _roster(path: str | None) -> list[str] | None:
    from tasks.consolidate.scope import read_agency_list

    return list(read_agency_list(Path(path))) if path else None


@group("rectify")
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
@lang_option
@warehouse_option
def list_command(
    year: int | None, agency: str | None, status: str | None, fmt: str, roster: str | None, lang: str, cfg: Any
) -> None:
    """Rectification items: agency, year, problem, status and due date (raised and re-checked first)."""
    from tasks.rectify import items
    from tasks.rectify.items import STATUS_ZH

    with _errors(lang, cfg):
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

    def shown(key: str, value: Any) -> Any:
        return (STATUS_ZH.get(value, value) if lang == "zh" else value) if key == "status" else value

    table = [tuple(shown(k, r[k]) for k, _, _ in LIST_COLUMNS) for r in records]
    print_table([zh if lang == "zh" else en for _, zh, en in LIST_COLUMNS], table)
    echo(t("rectify.count", lang, n=len(rows)))


@rectify_group.command("notify", context_settings=CONTEXT)
@click.option("--year", type=int, help="Only items of reports on this year.")
@click.option("--out", "out", default="notices", show_default=True, metavar="DIR", help="Folder for the notices.")
@roster_option
@lang_option
@warehouse_option
def notify_command(year: int | None, out: str, roster: str | None, lang: str, cfg: Any) -> None:
    """Write one Chinese notice (DOCX) per agency for its open items, and the office's list (xlsx)."""
    from tasks.rectify import notify

    with _errors(lang, cfg):
        written = notify(cfg.warehouse, Path(out), year=year, roster=_roster(roster))
    for p in written["notices"]:
        echo(t("rectify.notice", lang, path=p))
    for p in written["list"]:
        echo(t("rectify.listing", lang, path=p))
    echo(t("rectify.notices", lang, n=len(written["notices"])))


@rectify_group.command("waive", context_settings=CONTEXT)
@click.argument("item_id", type=int, metavar="ID")
@click.option("--reason", required=True, help="Why (recorded with who and when).")
@lang_option
@warehouse_option
def waive_command(item_id: int, reason: str, lang: str, cfg: Any) -> None:
    """The office will not pursue item ID: waived, with who, when and why."""
    from tasks.rectify import waive

    with _errors(lang, cfg):
        waive(cfg.warehouse, item_id, reason)
    echo(t("rectify.waived", lang, id=item_id, reason=reason))


@rectify_group.command("close", context_settings=CONTEXT)
@click.argument("item_id", type=int, metavar="ID")
@click.option("--reason", default=None, help="Note recorded with who and when (default: 办结归档).")
@lang_option
@warehouse_option
def close_command(item_id: int, reason: str | None, lang: str, cfg: Any) -> None:
    """Archive a corrected or waived item ID: closed."""
    from tasks.rectify import close

    with _errors(lang, cfg):
        close(cfg.warehouse, item_id, reason)
    echo(t("rectify.closed", lang, id=item_id))


@rectify_group.command("export", context_settings=CONTEXT)
@click.argument("out", metavar="DIR")
@click.option("--year", type=int, help="Only items of reports on this year.")
@lang_option
@warehouse_option
def export_command(out: str, year: int | None, lang: str, cfg: Any) -> None:
    """Write the items and their audit trail as CSV files (rectification_items.csv, rectification_events.csv)."""
    from tasks.rectify import export

    with _errors(lang, cfg):
        for p in export(cfg.warehouse, Path(out), year=year):
            echo(t("rectify.exported", lang, path=p))

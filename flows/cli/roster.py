"""`ogi roster`: the office's roster of units expected to report (应报单位), imported and matched to agencies."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import click

from flows.cli.common import (
    CONTEXT,
    echo,
    echo_json,
    expected,
    format_option,
    group,
    lang_option,
    print_table,
    warehouse_option,
)
from tasks.messages import t


def _errors():
    import warehouse
    from tasks.identity import OverridesError
    from tasks.identity.roster import RosterError

    return expected(RosterError, OverridesError, FileNotFoundError, warehouse.WarehouseError)


@group("roster")
def roster_group() -> None:
    """The roster of units expected to report for a year and region (应报单位名单), matched to agencies.

    Completeness (ogi consolidate) counts against the roster of its year and region when there is
    one, and `ogi rectify list --year Y` raises a MISSING item for each listed unit without a report."""


@roster_group.command("import", context_settings=CONTEXT)
@click.argument("file", metavar="FILE")
@click.option("--year", type=int, help="The year the units report on (default: last year in Beijing).")
@click.option("--region", metavar="CODE", help="Division-code prefix it is the roster of, as for consolidate --region.")
@click.option("--replace", is_flag=True, help="Replace the roster already imported for the year and region.")
@click.option(
    "--overrides",
    metavar="PATH",
    help="Agency overrides file (default: $OGI_AGENCY_OVERRIDES or agencies.toml beside the warehouse).",
)
@lang_option
@warehouse_option
def import_command(
    file: str, year: int | None, region: str | None, replace: bool, overrides: str | None, lang: str, cfg: Any
) -> None:
    """Import a roster (xlsx or csv) and match its units to agencies; list the unmatched.

    Columns, by heading: 单位名称 or 名称 (name, required); optional 区划代码 (division_code),
    统一社会信用代码 (credit_code), 类别 (kind: 部门/政府) and 上级 (parent)."""
    from tasks.consolidate.scope import previous_year
    from tasks.identity.manage import import_roster

    year = year or previous_year()
    path = Path(overrides).expanduser() if overrides else cfg.agency_overrides
    with _errors():
        roster_id = import_roster(cfg.warehouse, path, Path(file), year, region, replace)
    _print_matches(cfg.warehouse, roster_id, lang, imported=True)


def _print_matches(wh: Path, roster_id: int, lang: str, imported: bool) -> None:
    """What was imported, how many units matched and how, and the unmatched with what to do."""
    from tasks.identity.roster import roster_entries

    columns, rows = roster_entries(wh, roster_id=roster_id)
    entries = [dict(zip(columns, r, strict=True)) for r in rows]
    first = entries[0]
    region = t("roster.region", lang, region=first["region_code"]) if first["region_code"] else ""
    if imported:
        echo(t("roster.imported", lang, roster_id=roster_id, year=first["report_year"], region=region, n=len(entries)))
    methods = Counter(e["match_method"] for e in entries if e["agency_id"] is not None)
    echo(
        t(
            "roster.matched",
            lang,
            matched=sum(methods.values()),
            methods=("，" if lang == "zh" else ", ").join(
                f"{t(f'roster.method.{m}', lang)} {n}" for m, n in methods.most_common()
            ),
            unmatched=sum(1 for e in entries if e["agency_id"] is None),
        )
    )
    unmatched = [e for e in entries if e["agency_id"] is None]
    if unmatched:
        echo(t("roster.unmatched", lang))
        for e in unmatched:
            note = f"  {e['match_note']}" if e["match_note"] else ""
            echo(t("roster.unmatched_line", lang, seq=e["seq"], name=e["listed_name"], note=note))
        echo(t("roster.hint", lang))


LIST_COLUMNS = ("roster_id", "report_year", "region_code", "seq", "listed_name", "agency_id", "agency_name",
                "match_method", "reported", "match_note")  # fmt: skip
LIST_HEADINGS = ("roster", "year", "region", "row", "listed", "agency_id", "agency", "method", "reported", "note")


@roster_group.command("list", context_settings=CONTEXT)
@click.option("--year", type=int, help="Only the roster of this year.")
@click.option("--region", metavar="CODE", help="Only the roster of this region (division-code prefix).")
@format_option("table", "json")
@lang_option
@warehouse_option
def list_command(year: int | None, region: str | None, fmt: str, lang: str, cfg: Any) -> None:
    """The rosters' units, each with the agency it is matched to, how, and whether it has reported (unmatched first)."""
    from tasks.identity.roster import roster_entries

    with _errors():
        columns, rows = roster_entries(cfg.warehouse, year, region)
    entries = [dict(zip(columns, r, strict=True)) for r in rows]
    if fmt == "json":
        echo_json(entries)
        return
    if not entries:
        echo(t("roster.none", lang))
        return

    def shown(e: dict, key: str) -> Any:
        if key == "match_method" and e[key]:
            return t(f"roster.method.{e[key]}", lang)
        if key == "reported":
            return t("yes", lang) if e[key] else ""
        return e[key]

    print_table(
        [t(f"roster.col.{h}", lang) for h in LIST_HEADINGS], [tuple(shown(e, k) for k in LIST_COLUMNS) for e in entries]
    )
    echo(t("roster.count", lang, n=len(entries)))
    if any(e["agency_id"] is None for e in entries):
        echo(t("roster.hint", lang))

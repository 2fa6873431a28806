"""`ogi agencies`: the agencies the warehouse knows, and the overrides for what the rules cannot decide."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from flows.cli.common import CONTEXT, echo, expected, group, print_table, warehouse_option

overrides_option = click.option(
    "--overrides",
    metavar="PATH",
    help="Agency overrides file (default: $OGI_AGENCY_OVERRIDES or agencies.toml beside the warehouse).",
)
reason_option = click.option("--reason", required=True, help="Why (recorded with who and when).")


def _overrides(cfg: Any, path: str | None) -> Path:
    return Path(path).expanduser() if path else cfg.agency_overrides


def _errors():
    import warehouse
    from tasks.identity import OverridesError

    return expected(OverridesError, FileNotFoundError, warehouse.WarehouseBusy)


@group("agencies")
def agencies_group() -> None:
    """Agencies across renames and place-name prefixes, and overrides for what the rules cannot decide.

    Overrides are kept in a TOML file (agencies.toml beside the warehouse) and applied on every run
    and reprocess."""


@agencies_group.command("list", context_settings=CONTEXT)
@click.option("--name", help="Only agencies that printed a name containing this text.")
@warehouse_option
def list_command(name: str | None, cfg: Any) -> None:
    """Every agency: id, latest name, division, level, kind, parent, years, names and documents."""
    from tasks.identity.manage import list_agencies

    with _errors():
        columns, rows = list_agencies(cfg.warehouse, name)
    print_table(columns, rows)
    echo(f"({len(rows)} agencies)")


@agencies_group.command("show", context_settings=CONTEXT)
@click.argument("agency_id", type=int, metavar="ID")
@warehouse_option
def show_command(agency_id: int, cfg: Any) -> None:
    """One agency: what identifies it, every name it printed and its reports."""
    from tasks.identity.manage import show_agency

    with _errors():
        info = show_agency(cfg.warehouse, agency_id)
    a = info["agency"]
    for key in ("agency_id", "agency_name", "natural_key", "division_code", "province", "county", "agency_level",
                "agency_kind", "parent_id", "parent_name", "credit_code", "first_year", "last_year"):  # fmt: skip
        echo(f"{key:15} {'' if a[key] is None else a[key]}")
    echo()
    echo("names")
    print_table(*info["names"])
    echo()
    echo("reports")
    print_table(*info["reports"])


@agencies_group.command("merge", context_settings=CONTEXT)
@click.argument("agency_id", type=int, metavar="ID")
@click.argument("other_id", type=int, metavar="OTHER")
@reason_option
@overrides_option
@warehouse_option
def merge_command(agency_id: int, other_id: int, reason: str, overrides: str | None, cfg: Any) -> None:
    """ID and OTHER are one agency (e.g. a department renamed): one id from now on (the smaller)."""
    from tasks.identity.manage import merge

    path = _overrides(cfg, overrides)
    with _errors():
        kept = merge(cfg.warehouse, path, agency_id, other_id, reason)
    echo(f"merged {agency_id} and {other_id} into {kept}; recorded in {path}")


@agencies_group.command("split", context_settings=CONTEXT)
@click.argument("agency_id", type=int, metavar="ID")
@click.option("--name", required=True, help="The printed name whose documents are an agency of their own.")
@reason_option
@overrides_option
@warehouse_option
def split_command(agency_id: int, name: str, reason: str, overrides: str | None, cfg: Any) -> None:
    """The documents of ID printing NAME are another agency."""
    from tasks.identity.manage import split

    path = _overrides(cfg, overrides)
    with _errors():
        split(cfg.warehouse, path, agency_id, name, reason)
    echo(f"split {name} off agency {agency_id}; recorded in {path}")


@agencies_group.command("alias", context_settings=CONTEXT)
@click.argument("agency_id", type=int, metavar="ID")
@click.argument("name", metavar="NAME")
@reason_option
@overrides_option
@warehouse_option
def alias_command(agency_id: int, name: str, reason: str, overrides: str | None, cfg: Any) -> None:
    """Documents printing NAME belong to agency ID (now and in every later run)."""
    from tasks.identity.manage import alias

    path = _overrides(cfg, overrides)
    with _errors():
        alias(cfg.warehouse, path, agency_id, name, reason)
    echo(f"{name} is agency {agency_id} from now on; recorded in {path}")

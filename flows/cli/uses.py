"""`ogi watch`, `ogi serve`, `ogi consolidate`, `ogi backfill`: the three uses on the command line.

Each calls the flows the Prefect deployments run (flows/, flows/runtime/) and prints a summary.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from flows.cli.common import CONTEXT, echo, exclusive, expected, fail, note, warehouse_option

# ------------------------------------------------------------------------------------------ watch


@click.command("watch", context_settings=CONTEXT)
@click.argument("inbox", metavar="INBOX")
@click.option("--local", is_flag=True, help="No Prefect server: run ingest in this process per arrival.")
@click.option("--existing", is_flag=True, help="Also take the files already in INBOX when it starts.")
@click.option(
    "--settle",
    type=float,
    default=1.0,
    metavar="SECONDS",
    help="A file is taken once its size has not changed for this long (default 1).",
)
@warehouse_option
def watch_command(inbox: str, local: bool, existing: bool, settle: float, cfg: Any) -> None:
    """Watch a folder: stage each new file and emit ogi.document.staged (or ingest it here with --local).

    INBOX is the folder to watch (subfolders too). Ctrl-C or SIGTERM stops it once the batch in hand
    is done; a second Ctrl-C stops it at once.
    """
    folder = Path(inbox).resolve()
    if not folder.is_dir():
        fail(f"{inbox}: no such folder")
    if not local:
        from flows.runtime.server import NoPrefectServer, prefect_server

        with expected(NoPrefectServer):
            prefect_server(", or run ingest in this process with --local")
    from flows.runtime.watch import watch

    mode = f"ingest here into {cfg.warehouse}" if local else "events to the `ingest` deployment"
    outcome = watch(
        folder,
        cfg,
        local=local,
        existing=existing,
        settle_s=settle,
        say=echo,
        warn=note,
        on_ready=lambda: note(f"watching {folder} ({mode}); Ctrl-C to stop"),
    )
    left = f"; {outcome.unhandled} file(s) still being written were not staged" if outcome.unhandled else ""
    note(f"stopped after staging {outcome.staged} file(s){left}")


# ------------------------------------------------------------------------------------------ serve


@click.command("serve", context_settings=CONTEXT)
@click.option(
    "--poll", type=float, default=2.0, metavar="SECONDS", help="How often to look for runs to start (default 2)."
)
@warehouse_option
def serve_command(poll: float, cfg: Any) -> None:
    """Serve the ingest, annual-consolidation and backfill deployments against a running Prefect server.

    Needs PREFECT_API_URL pointing at a server that answers; each flow run runs in a subprocess.
    """
    from flows.runtime.server import NoPrefectServer, prefect_server, serve

    with expected(NoPrefectServer):
        url = prefect_server()
    note(f"serving ingest, annual-consolidation and backfill for {cfg.warehouse} against {url}; Ctrl-C to stop")
    serve(str(cfg.warehouse), poll)


# ------------------------------------------------------------------------------------ consolidate


@click.command("consolidate", context_settings=CONTEXT)
@click.option("--year", type=int, required=True, help="The year reported on, e.g. 2023.")
@click.option("--region", metavar="CODE", help="Division-code prefix of the agencies, e.g. 4303.")
@click.option("--agencies", metavar="FILE", help="The expected agencies: one full name a line.")
@click.option(
    "--kind", type=click.Choice(("department", "government")), help="Only departments' or governments' reports."
)
@click.option("--out", metavar="DIR", help="Where to write (default: consolidations/<scope>/ beside the warehouse).")
@warehouse_option
@click.pass_context
def consolidate_command(
    ctx: click.Context,
    year: int,
    region: str | None,
    agencies: str | None,
    kind: str | None,
    out: str | None,
    cfg: Any,
) -> None:
    """Sum a year's statutory tables over a region or a list of agencies; workbook, CSV and HTML report.

    Without --region or --agencies, over every agency. --region and --agencies exclude each other.
    """
    exclusive(ctx, "region", "agencies")
    from tasks.consolidate import read_agency_list

    if not cfg.warehouse.exists():
        fail(f"no warehouse at {cfg.warehouse}; run `ogi run INBOX` first")
    names = None
    if agencies:
        with expected(ValueError), expected(OSError, message=lambda exc: f"{agencies}: {exc.strerror}"):
            names = list(read_agency_list(Path(agencies)))
    import warehouse
    from flows.consolidate import consolidate

    with expected(ValueError, warehouse.WarehouseBusy):
        result = consolidate(year, region, names, kind, cfg, out)
    _print_consolidation(result)


def _print_consolidation(result: dict) -> None:
    h = result["header"]
    echo()
    echo(f"consolidation   {result['key']}")
    echo(f"reports summed  {h['reports_summed']} (year before: {h['reports_summed_prior_year']})")
    echo(f"expected        {h['agencies_expected']} agencies (a loaded report in an earlier year, or the list)")
    echo(f"missing         {h['agencies_missing']}")
    quarantined = sum(1 for a in result["agencies"] if a["status"] == "quarantined")
    echo(f"quarantined     {quarantined} report(s), never summed")
    if h["agencies_quarantined"]:
        echo(f"                {h['agencies_quarantined']} agencies have only quarantined reports for the year")
    for a in result["agencies"]:
        if a["status"] != "summed":
            last = f", last loaded report {a['last_loaded_year']}" if a["last_loaded_year"] else ""
            echo(f"  {a['status']:20} {a['agency_name']}: {a['reason']}{last}")
        elif a["published_late"]:
            echo(f"  {'late':20} {a['agency_name']}: published {a['publication_date']}, due {a['deadline']}")
    echo()
    for f in result["files"]:
        echo(f"wrote           {f}")
    echo(
        f"in the warehouse ogi sql \"select * from v_consolidated_table3 where consolidation_key = '{result['key']}'\""
    )


# --------------------------------------------------------------------------------------- backfill


@click.command("backfill", context_settings=CONTEXT)
@click.argument("src", metavar="SRC")
@click.option(
    "--years",
    default="2019-2024",
    metavar="YYYY[-YYYY]",
    help="The years the summary counts (default 2019-2024); reports of other years are staged and "
    "loaded too, and listed apart.",
)
@click.option("--workers", type=int, default=0, metavar="N", help="Extract on a local Dask cluster of N processes.")
@click.option("--dask-address", metavar="tcp://HOST:PORT", help="Extract on an existing Dask cluster.")
@click.option(
    "--tasks-per-batch",
    type=int,
    metavar="N",
    help="Extraction tasks per batch of 200 files (default: 2 per local worker, 16 on a cluster, 1 without Dask).",
)
@warehouse_option
@click.pass_context
def backfill_command(
    ctx: click.Context,
    src: str,
    years: str,
    workers: int,
    dask_address: str | None,
    tasks_per_batch: int | None,
    cfg: Any,
) -> None:
    """Load a folder tree of historical reports, resumably, extraction in parallel.

    SRC is a folder tree of report files; documents the warehouse already holds are skipped, so an
    interrupted backfill resumes where it stopped. --workers and --dask-address exclude each other.
    """
    exclusive(ctx, "workers", "dask_address")
    from tasks.backfill import parse_years

    source = Path(src)
    if not source.exists():
        fail(f"{src}: no such file or folder")
    with expected(ValueError):
        parse_years(years)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")  # the progress bar says how it goes
    where = (
        f"Dask at {dask_address}"
        if dask_address
        else (f"a local Dask cluster of {workers} workers" if workers else "one thread")
    )
    note(f"{source} → {cfg.warehouse}, extraction on {where} (starting Prefect…)")
    import warehouse
    from flows.backfill import backfill

    with expected(
        warehouse.WarehouseBusy, message=lambda exc: f"{exc}; run it again later: documents already loaded are skipped"
    ):
        result = backfill(
            str(source),
            cfg,
            years,
            workers,
            dask_address,
            tasks_per_batch=tasks_per_batch,
            show_progress=True,
        )
    _print_backfill(result)


def _counts(statuses: dict[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in statuses.items())


def _print_backfill(r: dict) -> None:
    echo()
    echo(
        f"files           {r['files']} ({r['documents']} documents: {r['extracted']} extracted now, "
        f"{r['already_known']} already in the warehouse)"
    )
    echo(f"time            {r['elapsed_s']} s, {r['files_per_s']} files/s")
    echo()
    echo(f"{'year':6} {'loaded':>7} {'quarantined':>12} {'other':>6}")
    for year, s in r["by_year"].items():
        other = sum(v for k, v in s.items() if k not in ("loaded", "quarantined"))
        echo(f"{year:6} {s.get('loaded', 0):>7} {s.get('quarantined', 0):>12} {other:>6}")
    for year, s in r["outside_range"].items():
        echo(f"outside {r['years']}: {year}: {_counts(s)} (staged and recorded too, not counted above)")
    if r["no_year"]:
        echo(f"no report year: {_counts(r['no_year'])} (unreadable or not a report)")
    from tasks.pipeline import not_current_lines

    for line in not_current_lines(r):
        echo(line)
    echo()
    echo(f"warehouse       {r['warehouse']}")
    echo('look at it      ogi sql "select report_year, status, count(*) from documents group by all order by 1"')

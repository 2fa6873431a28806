"""`ogi watch`, `ogi serve`, `ogi consolidate`, `ogi backfill`: the three uses on the command line.

Each calls the flows the Prefect deployments run (flows/, flows/runtime/) and prints a summary.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from flows.cli.common import (
    command,
    echo,
    echo_json,
    exclusive,
    expected,
    fail,
    format_option,
    lang_option,
    note,
    strict_exit,
    strict_option,
    verbose_option,
    warehouse_option,
)
from tasks.messages import COMPLETENESS, completeness, expected_basis, status_word, t
from tasks.settings import BACKFILL_BATCH_SIZE

# ------------------------------------------------------------------------------------------ watch


@command("watch")
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
@click.option(
    "--wait",
    type=float,
    default=300.0,
    metavar="SECONDS",
    help="Served mode: follow each file's run this long and print its outcome (default 300; 0: only send).",
)
@verbose_option
@lang_option
@warehouse_option
def watch_command(
    inbox: str, local: bool, existing: bool, settle: float, wait: float, verbose: bool, lang: str, cfg: Any
) -> None:
    """Watch a folder: stage each new file and emit ogi.document.staged (or ingest it here with --local).

    INBOX is the folder to watch (subfolders too). Ctrl-C or SIGTERM stops it once the batch in hand
    is done; a second Ctrl-C stops it at once.
    """
    folder = Path(inbox).resolve()
    if not folder.is_dir():
        fail(t("fail.no_folder", lang, path=inbox))
    if not local:
        from flows.runtime.server import NoPrefectServer, prefect_server

        with expected(NoPrefectServer, message=lambda exc: exc.text(lang)):
            prefect_server(local_alternative=True)
    from flows.runtime.logs import prefect_logs_to
    from flows.runtime.watch import watch

    mode = t("watch.mode_local", lang, warehouse=cfg.warehouse) if local else t("watch.mode_events", lang)
    prefect_logs_to(None if verbose else cfg.prefect_log)
    outcome = watch(
        folder,
        cfg,
        local=local,
        existing=existing,
        settle_s=settle,
        say=echo,
        warn=note,
        on_ready=lambda: note(t("watch.watching", lang, folder=folder, mode=mode)),
        lang=lang,
        wait_s=0.0 if local else wait,
    )
    left = t("watch.left", lang, n=outcome.unhandled) if outcome.unhandled else ""
    note(t("watch.stopped", lang, n=outcome.staged, left=left))


# ------------------------------------------------------------------------------------------ serve


@command("serve")
@click.option(
    "--poll", type=float, default=2.0, metavar="SECONDS", help="How often to look for runs to start (default 2)."
)
@verbose_option
@lang_option
@warehouse_option
def serve_command(poll: float, verbose: bool, lang: str, cfg: Any) -> None:
    """Serve the ingest, rectification-overdue, annual-consolidation and backfill deployments on a Prefect server.

    Needs PREFECT_API_URL pointing at a server that answers. Staged documents (the
    ogi.document.staged events of `ogi watch`) are loaded in this process as they arrive, a line
    each; scheduled and by-hand runs of the deployments run in subprocesses. Prefect's own log lines
    go to logs/prefect.log beside the warehouse unless -v.
    """
    from flows.runtime.logs import prefect_logs_to
    from flows.runtime.server import NoPrefectServer, prefect_server, serve

    with expected(NoPrefectServer, message=lambda exc: exc.text(lang)):
        url = prefect_server(lang=lang)
    deployments = "ingest, annual-consolidation, rectification-overdue, backfill"
    note(t("serve.serving", lang, deployments=deployments, warehouse=cfg.warehouse, url=url))
    prefect_logs_to(None if verbose else cfg.prefect_log)
    serve(str(cfg.warehouse), poll, say=echo, warn=note, lang=lang)


# ------------------------------------------------------------------------------------ consolidate


@command("consolidate")
@click.option("--year", type=int, required=True, help="The year reported on, e.g. 2023.")
@click.option("--region", metavar="CODE", help="Division-code prefix of the agencies, e.g. 4303.")
@click.option("--agencies", metavar="FILE", help="The expected agencies: one full name a line.")
@click.option(
    "--kind", type=click.Choice(("department", "government")), help="Only departments' or governments' reports."
)
@click.option("--out", metavar="DIR", help="Where to write (default: consolidations/<scope>/ beside the warehouse).")
@format_option("table", "json")
@lang_option
@warehouse_option
@click.pass_context
def consolidate_command(
    ctx: click.Context,
    year: int,
    region: str | None,
    agencies: str | None,
    kind: str | None,
    out: str | None,
    fmt: str,
    lang: str,
    cfg: Any,
) -> None:
    """Sum a year's statutory tables over a region or a list of agencies; workbook, Word, CSV and HTML report.

    Without --region or --agencies, over every agency. --region and --agencies exclude each other.
    A year or scope without a loaded report is refused (exit 2).
    """
    exclusive(ctx, "region", "agencies")
    from tasks.consolidate import check_scope, make_scope, read_agency_list

    if not cfg.warehouse.exists():
        fail(t("fail.no_warehouse", lang, path=cfg.warehouse))
    names = None
    if agencies:
        with expected(ValueError), expected(OSError, message=lambda exc: f"{agencies}: {exc.strerror}"):
            names = list(read_agency_list(Path(agencies)))
    import warehouse
    from flows.consolidate import consolidate

    # checked here as well as in the flow, so a bad or empty scope is one line, not a flow-run traceback
    with expected(ValueError), expected(warehouse.WarehouseError, code=5):
        check_scope(cfg.warehouse, make_scope(year, region, names, kind))
    with expected(ValueError), expected(warehouse.WarehouseError, code=5):
        result = consolidate(year, region, names, kind, cfg, out)
    if fmt == "json":
        echo_json(result)
    else:
        _print_consolidation(result, lang)


def _print_consolidation(result: dict, lang: str) -> None:
    from tasks.consolidate.layout import STATUS_ZH, reason_zh

    h = result["header"]
    echo()
    echo(t("consolidate.key", lang, key=result["key"]))
    echo(t("consolidate.summed", lang, n=h["reports_summed"], prior=h["reports_summed_prior_year"]))
    counts = dict(zip(COMPLETENESS, (n for _, n in completeness(h, lang)), strict=True))
    echo(t("consolidate.expected", lang, n=counts["agencies_expected"], basis=expected_basis(h, lang)))
    echo(t("consolidate.reported", lang, n=counts["agencies_reported"], on_time=counts["reported_on_time"],
           late=counts["reported_late"]))  # fmt: skip
    echo(t("consolidate.missing", lang, n=counts["agencies_missing"]))
    quarantined = sum(1 for a in result["agencies"] if a["status"] == "quarantined")
    echo(t("consolidate.quarantined", lang, n=quarantined, expected=counts["expected_quarantined"]))
    if h["agencies_quarantined"]:
        echo(t("consolidate.only_quarantined", lang, n=h["agencies_quarantined"]))
    for a in result["agencies"]:
        if a["status"] != "summed":
            status = STATUS_ZH.get(a["status"], a["status"]) if lang == "zh" else a["status"]
            reason = reason_zh(a["reason"]) if lang == "zh" else a["reason"]
            last = t("consolidate.last_loaded", lang, year=a["last_loaded_year"]) if a["last_loaded_year"] else ""
            echo(f"  {_left(status, 20)} {a['agency_name']}: {reason}{last}")
        elif a["published_late"]:
            late = t("consolidate.late_line", lang, date=a["publication_date"], deadline=a["deadline"])
            echo(f"  {_left(t('consolidate.late', lang), 20)} {a['agency_name']}: {late}")
    if result.get("open_rectification_items"):
        echo(t("consolidate.open_items", lang, n=result["open_rectification_items"]))
    echo()
    for f in result["files"]:
        echo(t("consolidate.wrote", lang, path=f))
    query = f"ogi sql \"select * from v_consolidated_table3 where consolidation_key = '{result['key']}'\""
    echo(t("consolidate.in_warehouse", lang, query=query))


# --------------------------------------------------------------------------------------- backfill


@command("backfill")
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
    "--batch-size",
    type=click.IntRange(1),
    default=BACKFILL_BATCH_SIZE,
    show_default=True,
    metavar="N",
    help="Files per batch (one gate validation, one load transaction).",
)
@click.option(
    "--tasks-per-batch",
    type=int,
    metavar="N",
    help="Extraction tasks per batch (default: 2 per local worker, 16 on a cluster, 1 without Dask).",
)
@format_option("table", "json")
@strict_option
@verbose_option
@lang_option
@warehouse_option
@click.pass_context
def backfill_command(
    ctx: click.Context,
    src: str,
    years: str,
    workers: int,
    dask_address: str | None,
    batch_size: int,
    tasks_per_batch: int | None,
    fmt: str,
    strict: bool,
    verbose: bool,
    lang: str,
    cfg: Any,
) -> None:
    """Load a folder tree of historical reports, resumably, extraction in parallel.

    SRC is a folder tree of report files; documents the warehouse already holds are skipped, so an
    interrupted backfill resumes where it stopped. --workers and --dask-address exclude each other.
    """
    exclusive(ctx, "workers", "dask_address")
    from tasks.backfill import YearsError, parse_years

    cfg = replace(cfg, batch_size=batch_size)

    source = Path(src)
    if not source.exists():
        fail(t("fail.no_path", lang, path=src))
    with expected(YearsError, message=lambda exc: exc.text(lang)):
        parse_years(years)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")  # the progress bar says how it goes
    where = (
        t("backfill.where_dask", lang, address=dask_address)
        if dask_address
        else (
            t("backfill.where_local", lang, n=workers)
            if workers
            else t("backfill.where_thread", lang, n=cfg.limits.workers)
        )
    )
    import warehouse

    with expected(warehouse.WarehouseError, code=5):
        warehouse.check(cfg.warehouse)
    note(t("backfill.starting", lang, source=source, warehouse=cfg.warehouse, where=where))
    from flows.backfill import backfill
    from flows.runtime.logs import prefect_logs_to

    prefect_logs_to(None if verbose else cfg.prefect_log)
    with expected(warehouse.WarehouseError, code=5, message=lambda exc: t("fail.busy_backfill", lang, detail=exc)):
        result = backfill(
            str(source),
            cfg,
            years,
            workers,
            dask_address,
            tasks_per_batch=tasks_per_batch,
            show_progress=fmt != "json",
        )
    result = {**result, "prefect_log": None if verbose else str(cfg.prefect_log)}
    if fmt == "json":
        echo_json(result)
    else:
        _print_backfill(result, lang)
    if strict:
        groups = [*result["by_year"].values(), *result["outside_range"].values(), result["no_year"]]
        quarantined = sum(s.get("quarantined", 0) for s in groups)
        rejected = sum(n for s in groups for k, n in s.items() if k not in ("loaded", "quarantined"))
        strict_exit(quarantined, rejected)


def _counts(statuses: dict[str, int], lang: str) -> str:
    sep = "，" if lang == "zh" else ", "
    return sep.join(f"{status_word(status, lang)} {n}" if lang == "zh" else f"{n} {status}"
                    for status, n in statuses.items())  # fmt: skip


def _print_backfill(r: dict, lang: str) -> None:
    echo()
    echo(t("backfill.files", lang, files=r["files"], documents=r["documents"], extracted=r["extracted"],
           known=r["already_known"]))  # fmt: skip
    echo(t("backfill.time", lang, s=r["elapsed_s"], rate=r["files_per_s"]))
    echo()
    heads = [t("backfill.header_year", lang), status_word("loaded", lang), status_word("quarantined", lang),
             t("backfill.header_other", lang)]  # fmt: skip
    echo("  ".join(_right(h, w) if i else _left(h, 6) for i, (h, w) in enumerate(zip(heads, (6, 7, 12, 6)))))
    for year, s in r["by_year"].items():
        other = sum(v for k, v in s.items() if k not in ("loaded", "quarantined"))
        echo(f"{year:6}  {s.get('loaded', 0):>7}  {s.get('quarantined', 0):>12}  {other:>6}")
    for year, s in r["outside_range"].items():
        echo(t("backfill.outside", lang, years=r["years"], year=year, counts=_counts(s, lang)))
    if r["no_year"]:
        echo(t("backfill.no_year", lang, counts=_counts(r["no_year"], lang)))
    from tasks.pipeline import not_current_lines

    for line in not_current_lines(r):
        echo(line)
    echo()
    echo(f"{_left(t('run.warehouse', lang), 16)}{r['warehouse']}")
    echo(
        f"{_left(t('run.look', lang), 16)}"
        + 'ogi sql "select report_year, status, count(*) from documents group by all order by 1"'
    )
    if r.get("prefect_log"):
        echo(f"{_left(t('run.prefect_log', lang), 16)}{r['prefect_log']}")


def _left(text: str, to: int) -> str:
    from flows.cli.common import pad

    return pad(text, to)


def _right(text: str, to: int) -> str:
    from flows.cli.common import width

    return " " * max(0, to - width(text)) + text

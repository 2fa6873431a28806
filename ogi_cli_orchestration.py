"""`ogi watch`, `ogi serve`, `ogi consolidate`, `ogi backfill`: the three uses on the command line.

Thin, like ogi_cli: parse arguments, call the flows and tasks the deployments call, print a summary.
`add_commands(subparsers)` adds them to `ogi`; `python ogi_cli_orchestration.py COMMAND …` runs them alone.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

SERVER_HINT = (
    "start one with `prefect server start --host 127.0.0.1` and `export PREFECT_API_URL=http://127.0.0.1:4200/api`"
)


def _err(command: str, message: str) -> None:
    print(f"ogi {command}: {message}", file=sys.stderr)


def _prefect_server(command: str, alternative: str = "") -> str | None:
    """The configured Prefect API URL if the server answers; else say what to do and return None."""
    import httpx
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        _err(command, f"no Prefect server configured: {SERVER_HINT}{alternative}")
        return None
    try:
        httpx.get(url.rstrip("/") + "/health", timeout=5).raise_for_status()
    except httpx.HTTPError as exc:
        _err(command, f"the Prefect server at {url} does not answer ({exc}); {SERVER_HINT}{alternative}")
        return None
    return url


def _stop_on_signals(stop: threading.Event) -> None:
    """Ctrl-C or SIGTERM sets `stop`: the watcher finishes the batch in hand and returns. Raising
    KeyboardInterrupt instead is unreliable: one that lands while a flow run waits on Prefect's API
    is swallowed, and the watcher would run on. A second Ctrl-C interrupts at once."""

    def request_stop(signum: int, frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)


# ------------------------------------------------------------------------------------------ watch


def _cmd_watch(args: argparse.Namespace) -> int:
    from tasks.settings import settings

    inbox = Path(args.inbox).resolve()
    if not inbox.is_dir():
        _err("watch", f"{args.inbox}: no such folder")
        return 2
    cfg = settings(args.warehouse)
    if not args.local and not _prefect_server("watch", ", or run ingest in this process with --local"):
        return 2
    from prefect.exceptions import ExternalSignal  # how a SIGTERM ends a flow run in this process

    from flows.runtime.watch import InboxWatcher, stage_arrivals

    staged_count = 0

    def handle(paths: list[Path]) -> None:
        nonlocal staged_count
        staged = stage_arrivals(paths, cfg.staging, lambda m: _err("watch", m))
        staged_count += len(staged)
        if args.local:
            _ingest_locally(staged, cfg.warehouse)
        else:
            _announce(staged)

    watcher = InboxWatcher(inbox, handle, settle_s=args.settle)
    mode = f"ingest here into {cfg.warehouse}" if args.local else "events to the `ingest` deployment"
    stop = threading.Event()
    _stop_on_signals(stop)
    try:
        watcher.run(
            stop=stop,
            existing=args.existing,
            on_ready=lambda: print(
                f"ogi watch: watching {inbox} ({mode}); Ctrl-C to stop", file=sys.stderr, flush=True
            ),
        )
    except (KeyboardInterrupt, ExternalSignal):
        pass
    finally:
        if not args.local:
            from flows.runtime.events import flush_events

            flush_events()
    left = f"; {watcher.unhandled} file(s) still being written were not staged" if watcher.unhandled else ""
    print(f"ogi watch: stopped after staging {staged_count} file(s){left}", file=sys.stderr, flush=True)
    return 0


def _announce(staged: list) -> None:
    from flows.runtime.events import STAGED_EVENT, emit_staged

    for s in staged:
        emit_staged(s)
        print(f"staged  {s.original_name} → {s.document_id[:12]}  ({STAGED_EVENT} sent)", flush=True)


def _ingest_locally(staged: list, warehouse_path: Path) -> None:
    import warehouse
    from flows.ingest import ingest_staged
    from flows.runtime.events import ref_of

    if not staged:
        return
    try:
        summary = ingest_staged([ref_of(s) for s in staged], str(warehouse_path))
    except Exception as exc:  # noqa: BLE001 — one failed batch must not stop the watcher
        reason = str(exc) if isinstance(exc, warehouse.WarehouseBusy) else f"{type(exc).__name__}: {exc}"
        names = ", ".join(s.original_name for s in staged)
        _err("watch", f"not loaded: {names} ({reason}); they stay staged, `ogi run INBOX` loads them later")
        return
    for d in summary["decisions"]:
        reason = f": {d['reason']}" if d["reason"] else ""
        print(f"{d['status']:12} {d['name']}{reason}", flush=True)
    for name in summary["known_names"]:
        print(f"{'known':12} {name}: already in the warehouse", flush=True)


# ------------------------------------------------------------------------------------------ serve


def _cmd_serve(args: argparse.Namespace) -> int:
    url = _prefect_server("serve")
    if not url:
        return 2
    from deployments.serve import main as serve_deployments
    from tasks.settings import settings

    print(
        f"ogi serve: serving ingest, annual-consolidation and backfill for {settings(args.warehouse).warehouse}"
        f" against {url}; Ctrl-C to stop",
        file=sys.stderr,
        flush=True,
    )
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Prefect's runner handles SIGTERM itself
    try:
        serve_deployments(args.warehouse, args.poll)
    except KeyboardInterrupt:
        pass
    return 0


# ------------------------------------------------------------------------------------ consolidate


def _cmd_consolidate(args: argparse.Namespace) -> int:
    from tasks.consolidate import read_agency_list
    from tasks.settings import settings

    cfg = settings(args.warehouse)
    if not cfg.warehouse.exists():
        _err("consolidate", f"no warehouse at {cfg.warehouse}; run `ogi run INBOX` first")
        return 2
    agencies = None
    if args.agencies:
        try:
            agencies = list(read_agency_list(Path(args.agencies)))
        except (OSError, ValueError) as exc:
            _err("consolidate", str(exc) if isinstance(exc, ValueError) else f"{args.agencies}: {exc.strerror}")
            return 2
    import warehouse
    from flows.consolidate import consolidate

    try:
        result = consolidate(args.year, args.region, agencies, args.kind, str(cfg.warehouse), args.out)
    except (ValueError, warehouse.WarehouseBusy) as exc:
        _err("consolidate", str(exc))
        return 2
    _print_consolidation(result)
    return 0


def _print_consolidation(result: dict) -> None:
    h = result["header"]
    print()
    print(f"consolidation   {result['key']}")
    print(f"reports summed  {h['reports_summed']} (year before: {h['reports_summed_prior_year']})")
    print(f"expected        {h['agencies_expected']} agencies (a loaded report in an earlier year, or the list)")
    print(f"missing         {h['agencies_missing']}")
    quarantined = sum(1 for a in result["agencies"] if a["status"] == "quarantined")
    print(f"quarantined     {quarantined} report(s), never summed")
    if h["agencies_quarantined"]:
        print(f"                {h['agencies_quarantined']} agencies have only quarantined reports for the year")
    for a in result["agencies"]:
        if a["status"] != "summed":
            last = f", last loaded report {a['last_loaded_year']}" if a["last_loaded_year"] else ""
            print(f"  {a['status']:20} {a['agency_name']}: {a['reason']}{last}")
        elif a["published_late"]:
            print(f"  {'late':20} {a['agency_name']}: published {a['publication_date']}, due {a['deadline']}")
    print()
    for f in result["files"]:
        print(f"wrote           {f}")
    print(
        f"in the warehouse ogi sql \"select * from v_consolidated_table3 where consolidation_key = '{result['key']}'\""
    )


# --------------------------------------------------------------------------------------- backfill


def _cmd_backfill(args: argparse.Namespace) -> int:
    from tasks.backfill import parse_years
    from tasks.settings import settings

    src = Path(args.src)
    if not src.exists():
        _err("backfill", f"{args.src}: no such file or folder")
        return 2
    try:
        parse_years(args.years)
    except ValueError as exc:
        _err("backfill", str(exc))
        return 2
    cfg = settings(args.warehouse)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")  # the progress bar says how it goes
    where = (
        f"Dask at {args.dask_address}"
        if args.dask_address
        else (f"a local Dask cluster of {args.workers} workers" if args.workers else "one thread")
    )
    print(f"ogi backfill: {src} → {cfg.warehouse}, extraction on {where} (starting Prefect…)", file=sys.stderr)
    import warehouse
    from flows.backfill import backfill

    try:
        result = backfill(
            str(src),
            args.years,
            str(cfg.warehouse),
            args.workers,
            args.dask_address,
            tasks_per_batch=args.tasks_per_batch,
            show_progress=True,
        )
    except warehouse.WarehouseBusy as exc:
        _err("backfill", f"{exc}; run it again later: documents already loaded are skipped")
        return 2
    _print_backfill(result)
    return 0


def _counts(statuses: dict[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in statuses.items())


def _print_backfill(r: dict) -> None:
    print()
    print(
        f"files           {r['files']} ({r['documents']} documents: {r['extracted']} extracted now, "
        f"{r['already_known']} already in the warehouse)"
    )
    print(f"time            {r['elapsed_s']} s, {r['files_per_s']} files/s")
    print()
    print(f"{'year':6} {'loaded':>7} {'quarantined':>12} {'other':>6}")
    for year, s in r["by_year"].items():
        other = sum(v for k, v in s.items() if k not in ("loaded", "quarantined"))
        print(f"{year:6} {s.get('loaded', 0):>7} {s.get('quarantined', 0):>12} {other:>6}")
    for year, s in r["outside_range"].items():
        print(f"outside {r['years']}: {year}: {_counts(s)} (staged and recorded too, not counted above)")
    if r["no_year"]:
        print(f"no report year: {_counts(r['no_year'])} (unreadable or not a report)")
    print()
    print(f"warehouse       {r['warehouse']}")
    print('look at it      ogi sql "select report_year, status, count(*) from documents group by all order by 1"')


# ------------------------------------------------------------------------------------------ parser


def add_commands(sub: Any) -> None:
    """Add watch, serve, consolidate and backfill to `ogi`'s subcommands."""
    warehouse_help = "DuckDB file (default: $OGI_WAREHOUSE or data/ogi.duckdb)"

    w = sub.add_parser(
        "watch",
        help="watch a folder: stage each new file and emit ogi.document.staged (or ingest it here with --local)",
    )
    w.add_argument("inbox", metavar="INBOX", help="the folder to watch (subfolders too)")
    w.add_argument("--local", action="store_true", help="no Prefect server: run ingest in this process per arrival")
    w.add_argument("--existing", action="store_true", help="also take the files already in INBOX when it starts")
    w.add_argument(
        "--settle",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="a file is taken once its size has not changed for this long (default 1)",
    )
    w.add_argument("--warehouse", metavar="PATH", help=warehouse_help)
    w.set_defaults(func=_cmd_watch)

    s = sub.add_parser(
        "serve",
        help="serve the ingest, annual-consolidation and backfill deployments against a running Prefect server",
    )
    s.add_argument(
        "--poll", type=float, default=2.0, metavar="SECONDS", help="how often to look for runs to start (default 2)"
    )
    s.add_argument("--warehouse", metavar="PATH", help=warehouse_help)
    s.set_defaults(func=_cmd_serve)

    c = sub.add_parser(
        "consolidate",
        help="sum a year's statutory tables over a region or a list of agencies; workbook, CSV and HTML report",
    )
    c.add_argument("--year", type=int, required=True, help="the year reported on, e.g. 2023")
    scope = c.add_mutually_exclusive_group()
    scope.add_argument("--region", metavar="CODE", help="division-code prefix of the agencies, e.g. 4303")
    scope.add_argument("--agencies", metavar="FILE", help="the expected agencies: one full name a line")
    c.add_argument("--kind", choices=("department", "government"), help="only departments' or governments' reports")
    c.add_argument(
        "--out", metavar="DIR", help="where to write (default: consolidations/<scope>/ beside the warehouse)"
    )
    c.add_argument("--warehouse", metavar="PATH", help=warehouse_help)
    c.set_defaults(func=_cmd_consolidate)

    b = sub.add_parser("backfill", help="load a folder tree of historical reports, resumably, extraction in parallel")
    b.add_argument("src", metavar="SRC", help="folder tree of report files")
    b.add_argument(
        "--years",
        default="2019-2024",
        help="YYYY or YYYY-YYYY (default 2019-2024): the years the summary counts; reports of other years "
        "are staged and loaded too, and listed apart",
    )
    runner = b.add_mutually_exclusive_group()
    runner.add_argument(
        "--workers", type=int, default=0, metavar="N", help="extract on a local Dask cluster of N processes"
    )
    runner.add_argument("--dask-address", metavar="tcp://HOST:PORT", help="extract on an existing Dask cluster")
    b.add_argument(
        "--tasks-per-batch",
        type=int,
        metavar="N",
        help="extraction tasks per batch of 200 files (default: 2 per local worker, 16 on a cluster, 1 without Dask)",
    )
    b.add_argument("--warehouse", metavar="PATH", help=warehouse_help)
    b.set_defaults(func=_cmd_backfill)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ogi", description="The three uses: watch, serve, consolidate, backfill.")
    add_commands(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

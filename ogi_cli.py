"""`ogi`: the command line. Thin: it parses arguments and calls the same functions the flows call.

Heavy imports (Prefect, Great Expectations) happen inside the commands that need them, so
`ogi extract`, `ogi eval` and `ogi sql` start fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _cmd_extract(args: argparse.Namespace) -> int:
    from tasks.parse import parse_document
    from tasks.read import UnreadableDocument, read_path
    from tasks.stage import sha256_file

    status = 0
    for name in args.files:
        path = Path(name)
        try:
            record = parse_document(read_path(path), sha256_file(path))
        except UnreadableDocument as exc:
            record = {"source": path.name, "status": exc.status, "error": exc.reason}
            print(f"ogi extract: {exc.reason}", file=sys.stderr)
            status = 1
        if not args.json and len(args.files) == 1:
            print(json.dumps(record, ensure_ascii=False, indent=1))
        else:
            print(json.dumps(record, ensure_ascii=False))
    return status


def _cmd_eval(args: argparse.Namespace) -> int:
    from tasks.evaluate import evaluate_dir

    directory = Path(args.dir)
    if not (directory / "truth").is_dir():
        print(f"ogi eval: {directory}/truth/ not found (expected truth JSON files there)", file=sys.stderr)
        return 2
    scores = evaluate_dir(directory)
    right = sum(s.cells_right for s in scores)
    total = sum(s.cells_total for s in scores)
    print(f"{'document':45} {'cells':>11} {'acc':>7}  template year agency")
    for s in scores:
        acc = s.cells_right / s.cells_total if s.cells_total else 1.0
        flags = " ".join("ok" if f else "--" for f in (s.template_ok, s.year_ok, s.agency_ok))
        print(f"{s.source[:45]:45} {s.cells_right:>5}/{s.cells_total:<5} {acc:>7.2%}  {flags}")
        if s.error:
            print(f"    error: {s.error}")
        if args.verbose:
            for w in s.wrong[:40]:
                print(f"    {w}")
    n = len(scores)
    print(
        f"overall: cells {right}/{total} = {right / total if total else 1:.2%}; "
        f"template {sum(s.template_ok for s in scores)}/{n}; year {sum(s.year_ok for s in scores)}/{n}; "
        f"agency {sum(s.agency_ok for s in scores)}/{n}"
    )
    return 0


def _print_table(columns: list[str], rows: list[tuple], out=sys.stdout) -> None:
    """A plain aligned table; wide CJK characters count double."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    cells = [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max([width(c)] + [width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths)).rstrip()

    print(line(columns), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for r in cells:
        print(line(r), file=out)


def _cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    import warehouse
    from tasks.settings import settings

    cfg = settings(args.warehouse)
    try:
        with warehouse.reading(cfg.warehouse) as con:
            cur = con.execute(args.query)
            columns = [d[0] for d in cur.description] if cur.description else []
            rows = cur.fetchall() if columns else []
    except (FileNotFoundError, warehouse.WarehouseBusy) as exc:
        print(f"ogi sql: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"ogi sql: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps([dict(zip(columns, r)) for r in rows], ensure_ascii=False, default=str, indent=1))
    elif args.format == "csv":
        import csv

        w = csv.writer(sys.stdout)
        w.writerow(columns)
        w.writerows(rows)
    else:
        _print_table(columns, rows)
        print(f"({len(rows)} rows)")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from tasks.settings import settings

    inbox = Path(args.inbox)
    if not inbox.exists():
        print(f"ogi run: {inbox}: no such file or folder", file=sys.stderr)
        return 2
    cfg = settings(args.warehouse)
    print(f"ogi run: {inbox} → {cfg.warehouse} (starting Prefect's local engine…)", file=sys.stderr)
    import warehouse
    from flows.ingest import ingest

    try:
        summary = ingest(str(inbox), cfg)
    except warehouse.WarehouseBusy as exc:
        print(f"ogi run: {exc}", file=sys.stderr)
        return 2
    _print_summary(summary)
    return 0


def _print_summary(summary: dict) -> None:
    counts = summary["counts"]
    unreadable = {k: v for k, v in counts.items() if k not in ("loaded", "quarantined")}
    print()
    print(f"files seen      {summary['files']}")
    print(f"loaded          {counts.get('loaded', 0)}")
    print(f"quarantined     {counts.get('quarantined', 0)}")
    print(f"rejected        {sum(unreadable.values())}" + (f"  {unreadable}" if unreadable else ""))
    print(f"already known   {summary['already_known']}")
    print(f"skipped         {len(summary['skipped'])}")
    for d in summary["decisions"]:
        if d["status"] != "loaded":
            print(f"  {d['status']:12} {d['name']}: {d['reason']}")
    for s in summary["skipped"]:
        print(f"  {'skipped':12} {s['name']}: {s['reason']}")
    print()
    print(f"warehouse       {summary['warehouse']}")
    _print_holdings(Path(summary["warehouse"]))
    print(f"staging store   {summary['staging']}")
    print('look at it      ogi sql "select * from v_documents"')
    if counts.get("quarantined"):
        print('quarantine      ogi sql "select * from v_quarantine"')


def _review_call(args: argparse.Namespace, fn):
    """Run a review action; a person gets one line naming the problem, never a traceback."""
    import warehouse
    from tasks.review import ReviewError

    try:
        return fn()
    except (ReviewError, FileNotFoundError, warehouse.WarehouseBusy) as exc:
        print(f"ogi {args.command}: {exc}", file=sys.stderr)
        return None


def _cmd_quality(args: argparse.Namespace) -> int:
    from tasks.quality import data_docs_index
    from tasks.review import quality
    from tasks.settings import settings

    cfg = settings(args.warehouse)
    found = _review_call(args, lambda: quality(cfg, args.year, args.agency))
    if found is None:
        return 2
    columns, rows = found
    _print_table(columns, rows)
    print(f"({len(rows)} rows)")
    index = data_docs_index(cfg.docs_root)
    if args.docs:
        from expectations import load_catalogue
        from tasks.quality.docs import build_data_docs

        index, n = build_data_docs(cfg, load_catalogue(), args.year)
        print(f"GX Data Docs rebuilt for {n} reports")
    print(f"GX Data Docs: {index}" if index.exists() else "GX Data Docs: none yet (`ogi quality --docs` builds them)")
    if args.open and index.exists():
        import webbrowser

        webbrowser.open(index.as_uri())
    return 0


def _cmd_review(args: argparse.Namespace) -> int:
    from tasks.review import quarantine
    from tasks.settings import settings

    cfg = settings(args.warehouse)
    found = _review_call(args, lambda: quarantine(cfg))
    if found is None:
        return 2
    columns, rows = found
    _print_table(columns, rows)
    print(f"({len(rows)} quarantined)")
    if rows:
        print('correct a printed value:  ogi correct DOC table3.granted.total=5 --reason "..."')
        print('accept the source as is:  ogi accept DOC --reason "..."')
    return 0


def _print_outcome(doc, result) -> None:
    decision = result.outcomes[0]
    why = f" ({decision.reason})" if decision.reason else ""
    print(f"{doc.staged.original_name}: {doc.status} → {decision.status}{why}")
    for r in result.results:
        if r.severity == "blocking" and r.outcome == "fail":
            print(f"  {r.rule_id}({r.instance}): {r.message_en}")


def _cmd_correct(args: argparse.Namespace) -> int:
    from tasks.review import correct
    from tasks.settings import settings

    cfg = settings(args.warehouse)
    out = _review_call(args, lambda: correct(cfg, args.doc, args.cells, args.reason, args.by))
    if out is None:
        return 2
    _print_outcome(*out)
    return 0


def _cmd_accept(args: argparse.Namespace) -> int:
    from tasks.review import accept
    from tasks.settings import settings

    cfg = settings(args.warehouse)
    out = _review_call(args, lambda: accept(cfg, args.doc, args.reason, args.by))
    if out is None:
        return 2
    _print_outcome(*out)
    return 0


def _cmd_reprocess(args: argparse.Namespace) -> int:
    from tasks import EXTRACTOR_VERSION
    from tasks.review import reprocess
    from tasks.settings import settings

    cfg = settings(args.warehouse)
    print(f"ogi reprocess: re-extracting every staged document with extractor {EXTRACTOR_VERSION}…", file=sys.stderr)
    out = _review_call(args, lambda: reprocess(cfg))
    if out is None:
        return 2
    changes, total = out
    print(f"{total} documents re-extracted and re-gated; {len(changes)} changed")
    for c in changes:
        print(f"  {c.name}: {c.old_status} → {c.new_status}, {c.cells_changed} cells changed")
    return 0


def _print_holdings(path: Path) -> None:
    """What the warehouse holds now, one line per kind of row."""
    import warehouse

    try:
        with warehouse.reading(path) as con:
            rows = con.execute(warehouse.query("warehouse_summary")).fetchall()
    except (FileNotFoundError, warehouse.WarehouseBusy):
        return
    print("it holds        " + "; ".join(f"{what} {n}" for what, n in rows))


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ogi",
        description="Open-government-information annual reports: stage, extract, gate, load, query.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    e = sub.add_parser("extract", help="print the canonical record of report documents (no Prefect, no warehouse)")
    e.add_argument("files", nargs="+", metavar="FILE", help=".html/.htm, .txt, .md, .pdf or .docx report")
    e.add_argument("--json", action="store_true", help="one JSON object per line (default: pretty for one file)")
    e.set_defaults(func=_cmd_extract)

    v = sub.add_parser("eval", help="score extraction against DIR/truth/*.json, cell by cell")
    v.add_argument("dir", metavar="DIR")
    v.add_argument("-v", "--verbose", action="store_true", help="list every wrong cell")
    v.set_defaults(func=_cmd_eval)

    r = sub.add_parser("run", help="the main job: stage, extract, gate and load every file under INBOX")
    r.add_argument("inbox", metavar="INBOX", help="a folder of report files (or one file)")
    r.add_argument("--warehouse", metavar="PATH", help="DuckDB file (default: $OGI_WAREHOUSE or data/ogi.duckdb)")
    r.set_defaults(func=_cmd_run)

    q = sub.add_parser("sql", help="ad-hoc SQL against the warehouse, opened read-only")
    q.add_argument("query", metavar="QUERY")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table")
    q.add_argument("--warehouse", metavar="PATH", help="DuckDB file (default: $OGI_WAREHOUSE or data/ogi.duckdb)")
    q.set_defaults(func=_cmd_sql)

    wh = {"metavar": "PATH", "help": "DuckDB file (default: $OGI_WAREHOUSE or data/ogi.duckdb)"}
    ql = sub.add_parser("quality", help="rule failures and not-assessable checks per agency and rule")
    ql.add_argument("--year", type=int, help="only reports on this year")
    ql.add_argument("--agency", help="only agencies whose name contains this text")
    ql.add_argument("--docs", action="store_true", help="rebuild the GX Data Docs (of --year) before showing where")
    ql.add_argument("--open", action="store_true", help="open the GX Data Docs in a browser")
    ql.add_argument("--warehouse", **wh)
    ql.set_defaults(func=_cmd_quality)

    rv = sub.add_parser("review", help="list quarantined reports with the blocking rules they fail")
    rv.add_argument("--warehouse", **wh)
    rv.set_defaults(func=_cmd_review)

    co = sub.add_parser("correct", help="record corrected values for a report, re-gate it, load it if it passes")
    co.add_argument("doc", metavar="DOC", help="sha256 (or a 6+ character prefix) or the file name")
    co.add_argument("cells", nargs="+", metavar="CELL=VALUE", help="e.g. table3.granted.total=5 table4.review_total=11")
    co.add_argument("--reason", required=True, help="why the printed value is wrong")
    co.add_argument("--by", help="who corrects (default: the current user)")
    co.add_argument("--warehouse", **wh)
    co.set_defaults(func=_cmd_correct)

    ac = sub.add_parser("accept", help="load a quarantined report as printed, recording the violation")
    ac.add_argument("doc", metavar="DOC", help="sha256 (or a 6+ character prefix) or the file name")
    ac.add_argument("--reason", required=True, help="why the report is accepted although it fails")
    ac.add_argument("--by", help="who accepts (default: the current user)")
    ac.add_argument("--warehouse", **wh)
    ac.set_defaults(func=_cmd_accept)

    rp = sub.add_parser("reprocess", help="re-extract and re-gate every staged document; report what changed")
    rp.add_argument("--warehouse", **wh)
    rp.set_defaults(func=_cmd_reprocess)

    from ogi_cli_orchestration import add_commands  # watch, serve, consolidate, backfill

    add_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

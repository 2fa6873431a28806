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
        summary = ingest(str(inbox), str(cfg.warehouse))
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
    for d in summary["decisions"]:
        if d["status"] != "loaded":
            print(f"  {d['status']:12} {d['name']}: {d['reason']}")
    print()
    print(f"warehouse       {summary['warehouse']}")
    print(f"staging store   {summary['staging']}")
    print('look at it      ogi sql "select * from v_documents"')
    if counts.get("quarantined"):
        print('quarantine      ogi sql "select * from v_quarantine"')


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

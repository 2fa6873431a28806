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
    from tasks.read import UnreadableDocument, read_path
    from tasks.parse import parse_document
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

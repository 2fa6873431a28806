"""`ogi extract`, `ogi eval`: extraction on its own, without Prefect, Great Expectations or a warehouse."""

from __future__ import annotations

import json
from pathlib import Path

import click

from flows.cli.common import command, echo, fail, note


@command("extract")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--json", "json_lines", is_flag=True, help="One JSON object per line (default: pretty for one file).")
def extract_command(files: tuple[str, ...], json_lines: bool) -> None:
    """Print the canonical record of each document (no Prefect, no warehouse).

    FILE is an .html/.htm, .txt, .md, .pdf or .docx report. One file prints one JSON object, several
    print one a line. A file that cannot be read prints {"status", "error"} and a line naming it on
    stderr; the exit code is then 1.
    """
    from tasks.extract import record_of_file

    unreadable = False
    for name in files:
        record, problem = record_of_file(Path(name))
        if problem:
            note(problem)
            unreadable = True
        pretty = not json_lines and len(files) == 1
        echo(json.dumps(record, ensure_ascii=False, indent=1 if pretty else None))
    if unreadable:
        raise click.exceptions.Exit(1)


@command("eval")
@click.argument("directory", metavar="DIR")
@click.option("-v", "--verbose", is_flag=True, help="List every wrong cell.")
def eval_command(directory: str, verbose: bool) -> None:
    """Score extraction against DIR/truth/*.json, cell by cell.

    Each truth file names its document in DIR (or in DIR/docs/, as a synthetic year directory has
    it); accuracy is cells right / cells in the truth file. A cell that is not right is either wrong
    (a value other than the truth) or missing (absent or null); wrong is worse. The template, year
    and agency are compared too.
    """
    from tasks.evaluate import evaluate_dir

    folder = Path(directory)
    if not (folder / "truth").is_dir():
        fail(f"{folder}/truth/ not found (expected truth JSON files there)")
    scores = evaluate_dir(folder)
    right = sum(s.cells_right for s in scores)
    total = sum(s.cells_total for s in scores)
    wrong = sum(s.cells_wrong for s in scores)
    missing = sum(s.cells_missing for s in scores)
    echo(f"{'document':45} {'cells':>11} {'acc':>7}  template year agency  wrong missing")
    for s in scores:
        acc = s.cells_right / s.cells_total if s.cells_total else 1.0
        flags = " ".join("ok" if f else "--" for f in (s.template_ok, s.year_ok, s.agency_ok))
        echo(
            f"{s.source[:45]:45} {s.cells_right:>5}/{s.cells_total:<5} {acc:>7.2%}  {flags}"
            f"  {s.cells_wrong:>5} {s.cells_missing:>7}"
        )
        if s.error:
            echo(f"    error: {s.error}")
        if verbose:
            for w in s.wrong[:40]:
                echo(f"    {w}")
    n = len(scores)
    echo(
        f"overall: cells {right}/{total} = {right / total if total else 1:.2%}; "
        f"template {sum(s.template_ok for s in scores)}/{n}; year {sum(s.year_ok for s in scores)}/{n}; "
        f"agency {sum(s.agency_ok for s in scores)}/{n}; wrong {wrong}; missing {missing}"
    )

"""`ogi quality`, `ogi review`, `ogi correct`, `ogi accept`, `ogi reprocess`: quality review."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from flows.cli.common import CONTEXT, echo, expected, note, print_table, warehouse_option


@contextmanager
def _review_errors() -> Iterator[None]:
    """A bad reference, a missing warehouse or a busy file: one line naming the problem (exit 2)."""
    import warehouse
    from tasks.review import ReviewError

    with expected(ReviewError, FileNotFoundError), expected(warehouse.WarehouseError, code=5):
        yield


@click.command("quality", context_settings=CONTEXT)
@click.option("--year", type=int, help="Only reports on this year.")
@click.option("--agency", help="Only agencies whose name contains this text.")
@click.option("--docs", "build_docs", is_flag=True, help="Rebuild the GX Data Docs (of --year) first.")
@click.option("--open", "open_docs", is_flag=True, help="Open the GX Data Docs in a browser.")
@warehouse_option
def quality_command(year: int | None, agency: str | None, build_docs: bool, open_docs: bool, cfg: Any) -> None:
    """Rule failures and not-assessable checks per agency and rule; where the GX Data Docs are."""
    from tasks.quality import data_docs_index
    from tasks.review import quality

    with _review_errors():
        columns, rows = quality(cfg, year, agency)
        print_table(columns, rows)
        echo(f"({len(rows)} rows)")
        index = data_docs_index(cfg.docs_root)
        if build_docs:
            from expectations import load_catalogue
            from tasks.quality.docs import build_data_docs

            index, n = build_data_docs(cfg, load_catalogue(), year)
            echo(f"GX Data Docs rebuilt for {n} reports")
    echo(f"GX Data Docs: {index}" if index.exists() else "GX Data Docs: none yet (`ogi quality --docs` builds them)")
    if open_docs and index.exists():
        import webbrowser

        webbrowser.open(index.as_uri())


@click.command("review", context_settings=CONTEXT)
@warehouse_option
def review_command(cfg: Any) -> None:
    """Quarantined reports with the blocking rules they fail."""
    from tasks.review import quarantine

    with _review_errors():
        columns, rows = quarantine(cfg)
    print_table(columns, rows)
    echo(f"({len(rows)} quarantined)")
    if rows:
        echo('correct a printed value:  ogi correct DOC table3.granted.total=5 --reason "..."')
        echo('accept the source as is:  ogi accept DOC --reason "..."')


def _print_outcome(doc: Any, result: Any) -> None:
    decision = result.outcomes[0]
    why = f" ({decision.reason})" if decision.reason else ""
    echo(f"{doc.staged.original_name}: {doc.status} → {decision.status}{why}")
    for r in result.results:
        if r.severity == "blocking" and r.outcome == "fail":
            echo(f"  {r.rule_id}({r.instance}): {r.message_en}")


@click.command("correct", context_settings=CONTEXT)
@click.argument("doc", metavar="DOC")
@click.argument("cells", nargs=-1, required=True, metavar="CELL=VALUE...")
@click.option("--reason", required=True, help="Why the printed value is wrong.")
@click.option("--by", help="Who corrects (default: the current user).")
@warehouse_option
def correct_command(doc: str, cells: tuple[str, ...], reason: str, by: str | None, cfg: Any) -> None:
    """Record corrected values (who, when, why), re-gate, load if it now passes.

    DOC is a sha256, a prefix of 6+ characters, or a file name the report arrived under;
    CELL=VALUE is e.g. table3.granted.total=5 table4.review_total=11.
    """
    from tasks.review import correct

    with _review_errors():
        outcome = correct(cfg, doc, list(cells), reason, by)
    _print_outcome(*outcome)


@click.command("accept", context_settings=CONTEXT)
@click.argument("doc", metavar="DOC")
@click.option("--reason", required=True, help="Why the report is accepted although it fails.")
@click.option("--by", help="Who accepts (default: the current user).")
@warehouse_option
def accept_command(doc: str, reason: str, by: str | None, cfg: Any) -> None:
    """Load a report whose source really is wrong, with the violation recorded.

    DOC is a sha256, a prefix of 6+ characters, or a file name the report arrived under.
    """
    from tasks.review import accept

    with _review_errors():
        outcome = accept(cfg, doc, reason, by)
    _print_outcome(*outcome)


@click.command("reprocess", context_settings=CONTEXT)
@warehouse_option
def reprocess_command(cfg: Any) -> None:
    """Re-extract and re-gate every staged document after an upgrade; report what changed."""
    from tasks import EXTRACTOR_VERSION
    from tasks.review import reprocess

    note(f"re-extracting every staged document with extractor {EXTRACTOR_VERSION}…")
    with _review_errors():
        changes, total = reprocess(cfg)
    echo(f"{total} documents re-extracted and re-gated; {len(changes)} changed")
    for c in changes:
        echo(f"  {c.name}: {c.old_status} → {c.new_status}, {c.cells_changed} cells changed")

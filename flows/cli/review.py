"""`ogi quality`, `ogi review`, `ogi correct`, `ogi accept`, `ogi reprocess`: quality review."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from flows.cli.common import (
    Failure,
    command,
    echo,
    echo_json,
    format_option,
    lang_option,
    note,
    print_table,
    warehouse_option,
)
from tasks.messages import reason_text, rule_message, status_word, t


@contextmanager
def _review_errors(cfg: Any, lang: str) -> Iterator[None]:
    """A bad reference, a missing warehouse or a busy file: one line naming the problem (exit 2)."""
    import warehouse
    from tasks.review import ReviewError

    try:
        yield
    except ReviewError as exc:
        raise Failure(exc.text(lang)) from None
    except FileNotFoundError:
        raise Failure(t("fail.no_warehouse", lang, path=cfg.warehouse)) from None
    except warehouse.WarehouseBusy:
        raise Failure(t("fail.busy", lang, path=cfg.warehouse), 5) from None
    except warehouse.WarehouseError as exc:
        raise Failure(str(exc), 5) from None


def _headers(columns: list[str], lang: str) -> list[str]:
    return [t(f"col.{c}", lang) for c in columns]


@command("quality")
@click.option("--year", type=int, help="Only reports on this year.")
@click.option("--agency", help="Only agencies whose name contains this text.")
@click.option(
    "--docs",
    "build_docs",
    is_flag=True,
    help="Rebuild the GX Data Docs (of --year) first (their styles and scripts need network).",
)
@click.option("--open", "open_docs", is_flag=True, help="Open the GX Data Docs in a browser.")
@format_option("table", "json")
@lang_option
@warehouse_option
def quality_command(
    year: int | None, agency: str | None, build_docs: bool, open_docs: bool, fmt: str, lang: str, cfg: Any
) -> None:
    """Rule failures and not-assessable checks per agency and rule; where the GX Data Docs are.

    The page that works offline is the review page, `ogi review --html PATH`. GX Data Docs load
    their styles and scripts from CDNs: offline (a government intranet) they are unstyled and empty.
    """
    from tasks.quality import data_docs_index
    from tasks.review import quality

    with _review_errors(cfg, lang):
        columns, rows = quality(cfg, year, agency)
        index = data_docs_index(cfg.docs_root)
        rebuilt = None
        if build_docs:
            from expectations import load_catalogue
            from tasks.quality.docs import build_data_docs

            index, rebuilt = build_data_docs(cfg, load_catalogue(), year)
    online = t("quality.docs_online", lang)  # GX declined to bundle its CDN assets (GX issue #994)
    if fmt == "json":
        docs = str(index) if index.exists() else None
        echo_json({"rows": [dict(zip(columns, r)) for r in rows], "data_docs": docs, "data_docs_note": docs and online})
    else:
        shown = [
            tuple(t(f"severity.{v}", lang) if c == "severity" else status_word(v, lang) if c == "status" else v
                  for c, v in zip(columns, r))
            for r in rows
        ]  # fmt: skip
        print_table(_headers(columns, lang), shown)
        echo(t("rows", lang, n=len(rows)))
        if rebuilt is not None:
            echo(t("quality.rebuilt", lang, n=rebuilt))
        echo(t("quality.docs", lang, path=index) if index.exists() else t("quality.no_docs", lang))
        if index.exists():
            echo(online)
    if open_docs and index.exists():
        import webbrowser

        webbrowser.open(index.as_uri())


@command("review")
@click.option("--html", "html_path", metavar="PATH", help="Also write the review page (one offline HTML file) here.")
@format_option("table", "json")
@lang_option
@warehouse_option
def review_command(html_path: str | None, fmt: str, lang: str, cfg: Any) -> None:
    """Quarantined reports with the blocking rules they fail.

    With --html PATH, a self-contained page (no network, no script) lists each report's failing
    rules in Chinese, the cells with their printed values and positions, and the exact
    `ogi correct` / `ogi accept` commands to resolve it.
    """
    from tasks.review import quarantine
    from tasks.review_page import quarantined_reports, write_review_page

    with _review_errors(cfg, lang):
        columns, rows = quarantine(cfg)
        reports = quarantined_reports(cfg) if fmt == "json" else []
        page = write_review_page(cfg, Path(html_path), lang)[0] if html_path else None
    if fmt == "json":
        echo_json({"quarantined": [r.as_dict(lang) for r in reports], "review_page": str(page) if page else None})
        return
    print_table(_headers(columns, lang), rows)
    echo(t("review.count", lang, n=len(rows)))
    if rows:
        echo(t("review.hint_correct", lang))
        echo(t("review.hint_accept", lang))
    if page:
        echo(t("review.page_written", lang, path=page))


def _print_outcome(doc: Any, result: Any, lang: str) -> None:
    decision = result.outcomes[0]
    why = f" ({reason_text(decision.reason, lang)})" if decision.reason else ""
    if why and lang == "zh":
        why = f"（{reason_text(decision.reason, lang)}）"
    echo(
        t("outcome.line", lang, name=doc.staged.original_name, old=status_word(doc.status, lang),
          new=status_word(decision.status, lang), why=why)
    )  # fmt: skip
    for r in result.results:
        if r.severity == "blocking" and r.outcome == "fail":
            echo(f"  {r.rule_id}({r.instance}): {rule_message(r.message_zh, r.message_en, lang)}")


@command("correct")
@click.argument("doc", metavar="DOC")
@click.argument("cells", nargs=-1, required=True, metavar="CELL=VALUE...")
@click.option("--reason", required=True, help="Why the printed value is wrong.")
@click.option("--by", help="Who corrects (default: the current user).")
@lang_option
@warehouse_option
def correct_command(doc: str, cells: tuple[str, ...], reason: str, by: str | None, lang: str, cfg: Any) -> None:
    """Record corrected values (who, when, why), re-gate, load if it now passes.

    DOC is a sha256, a prefix of 6+ characters, or a file name the report arrived under;
    CELL=VALUE is e.g. table3.granted.total=5 table4.review_total=11.
    """
    from tasks.review import correct

    with _review_errors(cfg, lang):
        outcome = correct(cfg, doc, list(cells), reason, by)
    _print_outcome(*outcome, lang)


@command("accept")
@click.argument("doc", metavar="DOC")
@click.option("--reason", required=True, help="Why the report is accepted although it fails.")
@click.option("--by", help="Who accepts (default: the current user).")
@lang_option
@warehouse_option
def accept_command(doc: str, reason: str, by: str | None, lang: str, cfg: Any) -> None:
    """Load a report whose source really is wrong, with the violation recorded.

    DOC is a sha256, a prefix of 6+ characters, or a file name the report arrived under.
    """
    from tasks.review import accept

    with _review_errors(cfg, lang):
        outcome = accept(cfg, doc, reason, by)
    _print_outcome(*outcome, lang)


@command("reprocess")
@lang_option
@warehouse_option
def reprocess_command(lang: str, cfg: Any) -> None:
    """Re-extract and re-gate every staged document after an upgrade; report what changed."""
    from tasks import EXTRACTOR_VERSION
    from tasks.review import reprocess

    note(t("reprocess.start", lang, version=EXTRACTOR_VERSION))
    with _review_errors(cfg, lang):
        changes, total = reprocess(cfg)
    echo(t("reprocess.done", lang, total=total, changed=len(changes)))
    for c in changes:
        echo(t("reprocess.change", lang, name=c.name, old=status_word(c.old_status, lang),
               new=status_word(c.new_status, lang), cells=c.cells_changed))  # fmt: skip

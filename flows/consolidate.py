"""The annual consolidation: one year's statutory tables over a scope of agencies, stored in the
warehouse and written as a workbook, CSV files, an HTML report and a Word document."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task

from flows.ingest import prepare_warehouse
from tasks import consolidate as consolidate_mod
from tasks.settings import Settings


@task(name="store-consolidation")
def store_consolidation(path: Path, scope: consolidate_mod.Scope) -> str:
    return consolidate_mod.store_consolidation(path, scope)


@task(name="read-consolidation")
def read_consolidation(path: Path, key: str) -> consolidate_mod.Consolidation:
    return consolidate_mod.read_consolidation(path, key)


@task(name="write-outputs")
def write_outputs(consolidation: consolidate_mod.Consolidation, out: Path, slug: str) -> list[str]:
    files = [consolidate_mod.write_workbook(consolidation, out / f"consolidation_{slug}.xlsx")]
    files.append(consolidate_mod.write_docx(consolidation, out / f"consolidation_{slug}.docx"))
    files += consolidate_mod.write_csvs(consolidation, out)
    files.append(consolidate_mod.write_html(consolidation, out / "report.html"))
    return [str(f) for f in files]


def _plain(row: dict) -> dict:
    """Dates as ISO text: the flow's result is JSON (the Prefect UI shows it)."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()}


@flow(name="annual-consolidation")
def consolidate(
    year: int | None = None,
    region: str | None = None,
    agencies: list[str] | None = None,
    kind: str | None = None,
    settings: Settings | None = None,
    out_dir: str | None = None,
) -> dict:
    """Consolidate `year` (default: last year in Beijing) over a region, a list of agencies or all;
    `kind` limits it to departments' or governments' reports (their Art. 49 deadlines differ)."""
    log = get_run_logger()
    if settings is None:
        raise ValueError("consolidate needs the settings (the warehouse) it runs against")
    scope = consolidate_mod.make_scope(year or consolidate_mod.previous_year(), region, agencies, kind)
    prepare_warehouse(settings)
    consolidate_mod.check_scope(settings.warehouse, scope)  # EmptyScope: no loaded report, nothing stored
    key = store_consolidation(settings.warehouse, scope)
    consolidation = read_consolidation(settings.warehouse, key)
    out = Path(out_dir) if out_dir else settings.warehouse.parent / "consolidations" / scope.slug
    files = write_outputs(consolidation, out, scope.slug)
    log.info("consolidation %s: %s; files in %s", key, consolidation.header, out)
    return {
        "key": key,
        "warehouse": str(settings.warehouse),
        "header": _plain(consolidation.header),
        "agencies": [_plain(a) for a in consolidation.agencies.dicts()],
        "checks": [
            {"rule_id": k.rule_id, "instance": k.instance, "outcome": k.outcome, "detail_zh": k.detail_zh}
            for k in consolidation.checks
            if k.outcome != "pass"
        ],
        "open_rectification_items": len(consolidation.rectification.rows),
        "files": files,
    }

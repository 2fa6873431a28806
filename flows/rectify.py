"""The rectification loop's scheduled job: list the items past their due date (served by `ogi serve`
as the `rectification-overdue` deployment), in the run's log and as a markdown artifact."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.ingest import prepare_warehouse
from tasks.rectify.overdue import OverdueItem, overdue_markdown
from tasks.rectify.overdue import overdue_items as read_overdue
from tasks.settings import Settings

TIMEZONE = "Asia/Shanghai"  # due dates are dates in Beijing, where the office works


def _run_name() -> str:
    return f"overdue items {flow_run.parameters.get('as_of') or 'today'}"


@task(name="read-overdue-items", cache_policy=NO_CACHE)
def read_overdue_items(settings: Settings, as_of: date) -> list[OverdueItem]:
    return read_overdue(settings.warehouse, as_of)


@flow(name="rectification-overdue", flow_run_name=_run_name)
def overdue_items(settings: Settings | None = None, as_of: date | None = None) -> dict:
    """Rectification items still open or notified past their due date on `as_of` (default: today
    in Beijing): logged one a line and published as the run's markdown artifact."""
    if settings is None:
        raise ValueError("overdue_items needs the settings (the warehouse) it reads")
    log = get_run_logger()
    as_of = as_of or datetime.now(ZoneInfo(TIMEZONE)).date()
    prepare_warehouse(settings)
    items = read_overdue_items(settings, as_of)
    for i in items:
        log.info("overdue %d days: item %d %s %s %s (due %s, %s)", i.days_overdue, i.item_id, i.agency_name,
                 i.report_year, i.problem, i.due_date, i.status)  # fmt: skip
    log.info("%d rectification item(s) overdue on %s", len(items), as_of)
    create_markdown_artifact(overdue_markdown(items, as_of), key="rectification-overdue",
                             description="Rectification items past their due date")  # fmt: skip
    return {"as_of": as_of.isoformat(), "count": len(items),
            "items": [{**asdict(i), "due_date": i.due_date.isoformat()} for i in items]}  # fmt: skip

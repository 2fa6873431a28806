"""The four deployments, served by this process against a running Prefect server (`ogi serve`).

    prefect server start --host 127.0.0.1            # in another terminal
    export PREFECT_API_URL=http://127.0.0.1:4200/api
    ogi serve [--warehouse PATH]                     # calls main() below

- the staged-document consumer (not a deployment): `ogi serve` subscribes to the
  `ogi.document.staged` events `ogi watch` emits and runs `ingest-staged` in its own warm process,
  one flow run per burst of events, a few seconds after the drop (flows/runtime/consumer.py).
- `ingest`: the same flow as a deployment, for runs by hand (`-p documents=[…]`); one run at a time
  (DuckDB has one writer).
- `annual-consolidation`: 1 February 02:00 Beijing time for the departments' reports (due 31 January),
  1 April for every report (governments' are due 31 March); the year is last year.
- `rectification-overdue`: every Monday 08:00 Beijing time, lists the rectification items past their
  due date and still open or notified (log and markdown artifact).
- `backfill`: no schedule; run it with parameters, e.g.
  `prefect deployment run backfill/backfill -p src=/archive -p years=2019-2024 -p workers=2`.

`serve` runs each flow run in a subprocess of this one; stop it (Ctrl-C) before the server.
"""

from __future__ import annotations

from prefect import serve
from prefect.schedules import Cron
from prefect.types.entrypoint import EntrypointType

from flows.backfill import backfill
from flows.consolidate import consolidate
from flows.ingest import ingest_staged
from flows.rectify import overdue_items
from tasks.settings import BACKFILL_BATCH_SIZE, Settings, settings

TIMEZONE = "Asia/Shanghai"


def deployments(cfg: Settings) -> list:
    """The deployments, each with the settings (the warehouse) as its default parameter."""
    params = {"settings": {"warehouse": str(cfg.warehouse), "batch_size": cfg.batch_size}}
    common = {"entrypoint_type": EntrypointType.MODULE_PATH, "parameters": params}
    return [
        ingest_staged.to_deployment(
            name="ingest",
            description=(
                "Load documents already staged (parameter: a list of StagedRef). `ogi serve` loads each"
                " ogi.document.staged event in its own consumer (flows/runtime/consumer.py); this"
                " deployment is for runs by hand, or a trigger where no consumer runs."
            ),
            concurrency_limit=1,
            **common,
        ),
        consolidate.to_deployment(
            name="annual-consolidation",
            description="Consolidate last year's reports: departments' on 1 Feb, everyone's on 1 Apr (Art. 49).",
            schedules=[
                Cron("0 2 1 2 *", timezone=TIMEZONE, parameters={"kind": "department"}, slug="departments-1-feb"),
                Cron("0 2 1 4 *", timezone=TIMEZONE, parameters={"kind": None}, slug="all-reports-1-apr"),
            ],
            concurrency_limit=1,
            **common,
        ),
        overdue_items.to_deployment(
            name="rectification-overdue",
            description="List the rectification items past their due date, still open or notified (weekly).",
            schedules=[Cron("0 8 * * 1", timezone=TIMEZONE, slug="mondays-8am")],
            concurrency_limit=1,
            **common,
        ),
        backfill.to_deployment(
            name="backfill",
            description="Backfill a folder tree of historical reports (parameters: src, years, workers…).",
            concurrency_limit=1,
            entrypoint_type=EntrypointType.MODULE_PATH,
            parameters={"settings": {**params["settings"], "batch_size": BACKFILL_BATCH_SIZE}},
        ),
    ]


def main(warehouse: str | None = None, poll_s: float = 2.0) -> None:
    """Serve the deployments until interrupted, looking for runs to start every `poll_s` seconds
    (Prefect's default is 10 s: most of the time from a dropped file to its run)."""
    # pause_on_shutdown=False: while this process is down, events and schedules still create runs,
    # which start when it is back (paused deployments would drop them)
    serve(*deployments(settings(warehouse)), query_seconds=poll_s, pause_on_shutdown=False)

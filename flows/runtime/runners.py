"""Where a backfill's extraction runs: this process (worker processes under limits), or Dask
through prefect-dask: a local cluster started once per backfill, or an existing one."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def prefect_api_env() -> dict[str, str]:
    """The environment Dask worker processes need to report to this process's Prefect API.

    Without a configured server each worker process would start its own temporary one (~25 s each).
    """
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()  # the temporary server this process already uses
        server.start()
        url = server.api_url
    return {"PREFECT_API_URL": url}


def extraction_tasks(workers: int = 0, address: str | None = None) -> int:
    """How many extraction tasks a batch is cut into: one per thread of work and a spare for balance.

    Fewer, bigger tasks cost less Prefect bookkeeping (each task run is a few API calls)."""
    if address:
        return 16  # the cluster's size is not known here; --tasks-per-batch overrides
    return 2 * workers if workers > 0 else 1


@contextmanager
def extraction_runner(workers: int, address: str | None, processes: bool = True) -> Iterator[Any]:
    """The task runner every batch's extraction uses; a local cluster is started once per backfill."""
    if not workers and not address:
        yield None  # extraction in this process, no task runs
        return
    from prefect_dask import DaskTaskRunner

    if address:
        yield DaskTaskRunner(address=address)
        return
    import dask
    from distributed import LocalCluster

    # Dask logs every worker start and stop at INFO; worker processes read this when they start
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    logging.getLogger("distributed").setLevel(logging.WARNING)
    dask.config.set({"distributed.worker.daemon": False})  # workers start reader processes (limits)
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,  # parsing is pure Python: parallel only across processes
        processes=processes,
        dashboard_address=None,
        env=prefect_api_env() if processes else {},
    )
    try:
        yield DaskTaskRunner(address=cluster.scheduler_address)
    finally:
        cluster.close()

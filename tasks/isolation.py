"""Untrusted files are read and parsed in worker processes under a time and a memory limit.

A file that exceeds a limit (a zip or flate bomb, a huge span, a pathological page) gets its own
status — `timeout` or `too_large` — and the rest of the batch is unaffected: the worker is killed
and replaced (pebble), never the run. Workers start from a fork server that has imported only the
readers and the parser, so they are small and cheap to replace.
"""

from __future__ import annotations

import atexit
import multiprocessing
import resource
from concurrent.futures import TimeoutError as FutureTimeout
from functools import cache

from pebble import ProcessExpired, ProcessPool

from tasks.extract import Extracted, extract_one
from tasks.settings import Limits, tune_gc
from tasks.stage import Staged

RECYCLE = 500  # documents a worker reads before it is replaced (memory creeps; limits are per worker)


def _limit_memory(extra_bytes: int) -> None:
    """Cap the worker's address space at what it maps now plus `extra_bytes` (a MemoryError beyond)."""
    with open("/proc/self/statm") as f:
        mapped = int(f.read().split()[0]) * resource.getpagesize()
    cap = mapped + extra_bytes
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _start_worker(extra_bytes: int) -> None:
    tune_gc()
    _limit_memory(extra_bytes)


def _context() -> multiprocessing.context.BaseContext:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tasks.extract"])
    return ctx


@cache
def _pool(limits: Limits) -> ProcessPool:
    """One pool per process and limits, kept for the process's life (workers start once, not per
    batch); a worker is replaced after a limit kills it and after RECYCLE documents."""
    pool = ProcessPool(
        max_workers=limits.workers,
        max_tasks=RECYCLE,
        initializer=_start_worker,
        initargs=(limits.memory_bytes,),
        context=_context(),
    )
    atexit.register(pool.stop)
    return pool


def extract_isolated(staged: list[Staged], limits: Limits) -> list[Extracted]:
    """`extract_one` for each document in a worker under `limits`; results in input order."""
    if not staged:
        return []
    if multiprocessing.current_process().daemon:  # e.g. a Dask worker started as a daemon: no children
        return [extract_one(s) for s in staged]
    pool = _pool(limits)
    futures = [pool.schedule(extract_one, args=(s,), timeout=limits.time_s) for s in staged]
    return [_collected(s, f, limits) for s, f in zip(staged, futures, strict=True)]


def _collected(staged: Staged, future, limits: Limits) -> Extracted:
    """The worker's result, or the document's own status when it broke a limit or its worker."""
    name = staged.original_name
    try:
        return future.result()
    except FutureTimeout:
        return Extracted(staged, None, "timeout", f"{name}: reading took longer than {limits.time_s:g} s (stopped)")
    except MemoryError:
        return Extracted(staged, None, "too_large", f"{name}: reading needed more than {limits.memory_mb} MB (stopped)")
    except ProcessExpired as exc:
        return Extracted(staged, None, "rejected", f"{name}: the reader's process died (exit {exc.exitcode})")
    except Exception as exc:  # noqa: BLE001 — whatever one document does stays with it
        return Extracted(staged, None, "rejected", f"{name}: extraction failed ({type(exc).__name__})")

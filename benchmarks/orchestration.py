"""Timings of the three uses (a benchmark, not a timed test).

1. Drop → loaded, median of N drops (after one warm-up drop, reported apart):
   - server: `prefect server start` + `ogi serve --poll 1` + `ogi watch`; a drop is loaded when the
     `ingest-staged` flow run of serve's consumer ends (its end time from the Prefect API);
   - local: `ogi watch --local`; a drop is loaded when watch prints its `loaded` line.
   Each drop is a sample report with extra trailing newlines (new bytes: a new document).
2. Consolidation of one year on a warehouse holding the bench files: the flow run, and the store +
   read + write-outputs functions alone.
3. Backfill files/second on a tree of copies of samples/reports (distinct bytes), fresh warehouse each,
   after a warm-up backfill (the temporary Prefect server and the GX import are not counted): one
   thread (sequential), then a local Dask cluster of 1 and 2 worker processes. "rate" counts the
   batches (stage, extract, gate, load); "wall" adds starting and stopping the cluster.

    .venv/bin/python benchmarks/orchestration.py [--drops 10] [--files 200] [--skip server,local,...]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

from tasks.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "reports"
CLI = [sys.executable, "-m", "flows.cli"]
DROP_SAMPLE = SAMPLES / "003_be04c842d3f1cdaa.txt"


def sample_copies(dest: Path, n: int) -> list[Path]:
    """n report files: the samples round robin, each with its own count of trailing newlines."""
    sources = sorted(p for p in SAMPLES.rglob("*") if p.is_file())
    dest.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        src = sources[i % len(sources)]
        target = dest / f"{i // len(sources):03d}" / f"{i:04d}_{src.name}"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(src.read_bytes() + b"\n" * (i // len(sources) + 1))
        files.append(target)
    return files


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(check, timeout_s: float, every_s: float = 0.05):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every_s)
    raise TimeoutError(f"nothing after {timeout_s} s")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _drop(inbox: Path, k: int) -> tuple[str, float]:
    """Drop a new document (the sample with k extra newlines); returns its name and the drop time."""
    name = f"drop_{k:03d}.txt"
    data = DROP_SAMPLE.read_bytes() + b"\n" * (k + 1)
    tmp = inbox.parent / name
    tmp.write_bytes(data)
    t = time.time()
    os.replace(tmp, inbox / name)  # appears whole, as a finished download would
    return name, t


def drop_to_loaded_server(n: int, work: Path) -> dict:
    home, inbox, wh = work / "prefect_home", work / "inbox", work / "wh" / "ogi.duckdb"
    inbox.mkdir(parents=True)
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    logs = open(work / "server-mode.log", "w")  # noqa: SIM115
    procs = []
    try:
        t0 = time.monotonic()
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                env=env,
                stdout=logs,
                stderr=logs,
            )
        )
        _wait(lambda: _healthy(api), 120, 0.5)
        server_start = time.monotonic() - t0
        procs.append(
            subprocess.Popen([*CLI, "serve", "--warehouse", str(wh), "--poll", "1"], env=env, stdout=logs, stderr=logs)
        )
        _wait(lambda: len(httpx.post(f"{api}/deployments/filter", json={}).json()) == 3, 60, 0.5)
        procs.append(
            subprocess.Popen([*CLI, "watch", str(inbox), "--warehouse", str(wh)], env=env, stdout=logs, stderr=logs)
        )
        time.sleep(5)  # watch imports Prefect and starts its observer
        latencies = []
        for k in range(n + 1):
            _, dropped = _drop(inbox, k)
            run = _wait(lambda k=k: _completed_ingest_runs(api, k + 1), 180, 0.2)
            latencies.append(datetime.fromisoformat(run["end_time"]).timestamp() - dropped)
    finally:
        for p in reversed(procs):  # watch, serve, then the server
            _stop(p)
        logs.close()
    return {
        "mode": "server + ogi serve --poll 1 + ogi watch",
        "server_start_s": round(server_start, 1),
        **_latency_summary(latencies),
    }


def _healthy(api: str) -> bool:
    try:
        return httpx.get(f"{api}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _completed_ingest_runs(api: str, count: int) -> dict | None:
    """The latest completed `ingest-staged` run (serve's consumer) once there are `count` of them."""
    runs = httpx.post(
        f"{api}/flow_runs/filter",
        json={
            "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}},
            "flows": {"name": {"any_": ["ingest-staged"]}},
            "sort": "END_TIME_DESC",
            "limit": 200,
        },
    ).json()
    return runs[0] if len(runs) >= count else None


def drop_to_loaded_local(n: int, work: Path) -> dict:
    inbox, wh = work / "inbox", work / "wh" / "ogi.duckdb"
    inbox.mkdir(parents=True)
    out = work / "local-watch.out"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "OGI_LANG": "en",  # the lines waited for below
    }
    with open(out, "w") as o, open(work / "local-watch.err", "w") as e:
        watch = subprocess.Popen(
            [*CLI, "watch", str(inbox), "--local", "--warehouse", str(wh)], env=env, stdout=o, stderr=e
        )
    try:
        _wait(lambda: "watching" in (work / "local-watch.err").read_text(), 60, 0.2)
        latencies = []
        for k in range(n + 1):
            name, dropped = _drop(inbox, k)
            _wait(lambda name=name: f"{'loaded':12} {name}" in out.read_text(), 180, 0.02)
            latencies.append(time.time() - dropped)
    finally:
        _stop(watch)
    return {"mode": "ogi watch --local (settle 1 s)", **_latency_summary(latencies)}


def _latency_summary(latencies: list[float]) -> dict:
    rest = latencies[1:]
    return {
        "warm_up_s": round(latencies[0], 2),
        "median_s": round(statistics.median(rest), 2),
        "min_s": round(min(rest), 2),
        "max_s": round(max(rest), 2),
        "drops": len(rest),
    }


def backfill_rates(tree: Path, work: Path, worker_counts: list[int], repeat: int) -> list[dict]:
    """Each runner `repeat` times, interleaved; the best run is the least disturbed (shared machine)."""
    from flows.backfill import backfill

    # warm-up: the temporary Prefect server and the GX import, paid once by whichever run comes first
    backfill(str(SAMPLES), Settings(work / "warm-up" / "ogi.duckdb"), "2019-2024")
    runs: dict[int, list[tuple[float, float]]] = {w: [] for w in worker_counts}
    for rep in range(repeat):
        for workers in worker_counts:
            wh = work / f"bf{workers}-{rep}" / "ogi.duckdb"
            t = time.monotonic()
            r = backfill(str(tree), Settings(wh), "2019-2024", workers=workers)
            wall = time.monotonic() - t
            runs[workers].append((r["files_per_s"], r["files"] / wall))
            load = round(os.getloadavg()[0], 1)  # other work on a shared machine shows here
            print(json.dumps({"workers": workers, "rep": rep, "rate": r["files_per_s"], "load_1min": load}))
    return [
        {
            "runner": f"Dask LocalCluster, {w} worker process(es)" if w else "one thread (sequential)",
            "files": sum(1 for p in tree.rglob("*") if p.is_file()),
            "best_rate_files_per_s": max(rate for rate, _ in runs[w]),
            "best_wall_files_per_s": round(max(wall for _, wall in runs[w]), 2),
            "rates": [rate for rate, _ in runs[w]],
        }
        for w in worker_counts
    ]


def consolidation_time(wh: Path, year: int, out_dir: Path) -> dict:
    from flows.consolidate import consolidate
    from tasks import consolidate as c
    from tasks import consolidate as o

    t = time.monotonic()
    consolidate(year, settings=Settings(wh), out_dir=str(out_dir / "flow"))
    flow_s = time.monotonic() - t
    scope = c.make_scope(year)
    t = time.monotonic()
    key = c.store_consolidation(wh, scope)
    stored = time.monotonic()
    result = c.read_consolidation(wh, key)
    read = time.monotonic()
    o.write_workbook(result, out_dir / "f" / "w.xlsx")
    o.write_csvs(result, out_dir / "f")
    o.write_html(result, out_dir / "f" / "report.html")
    done = time.monotonic()
    with_docs = sum(1 for a in result.agencies.dicts() if a["status"] == "summed")
    return {
        "year": year,
        "reports_summed": with_docs,
        "flow_run_s": round(flow_s, 2),
        "store_s": round(stored - t, 3),
        "read_s": round(read - stored, 3),
        "outputs_s": round(done - read, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drops", type=int, default=10)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="backfill runs per runner (best reported)")
    parser.add_argument("--skip", default="", help="comma-separated: server, local, consolidation, backfill")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    results: dict = {"machine": f"{os.cpu_count()} cores", "python": sys.version.split()[0]}
    with tempfile.TemporaryDirectory(prefix="ogi-bench-") as tmp:
        work = Path(tmp)
        if "server" not in skip:
            results["drop_to_loaded_server"] = drop_to_loaded_server(args.drops, work / "server")
            print(json.dumps(results["drop_to_loaded_server"]), flush=True)
        if "local" not in skip:
            results["drop_to_loaded_local"] = drop_to_loaded_local(args.drops, work / "local")
            print(json.dumps(results["drop_to_loaded_local"]), flush=True)
        tree = work / "tree"
        sample_copies(tree, args.files)
        if "backfill" not in skip:
            results["backfill"] = backfill_rates(tree, work, [0, 1, 2], args.repeat)
        if "consolidation" not in skip:
            wh = work / "bf0-0" / "ogi.duckdb"
            if not wh.exists():
                from flows.ingest import ingest

                ingest(str(tree), Settings(wh))
            results["consolidation"] = consolidation_time(wh, 2024, work / "cons")
            print(json.dumps(results["consolidation"]), flush=True)
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

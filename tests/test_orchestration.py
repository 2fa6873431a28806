"""The three uses end to end: a real Prefect server with the served deployments and `ogi watch`,
`ogi watch --local`, the watcher's settling, and a backfill on a Dask LocalCluster against a
sequential (one-thread) backfill of the same tree. Real Prefect, real DuckDB, real GX; every
process a test starts, it stops."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import httpx
import pytest
from conftest import SAMPLES

from flows.backfill import backfill
from flows.ingest import ingest_staged
from flows.runtime.events import ref_of
from flows.runtime.watch import InboxWatcher
from tasks.settings import Settings
from tasks.stage import stage_file

CLI = [sys.executable, "-m", "flows.cli"]
SAMPLE = SAMPLES / "001_d450694d9fdf7559.txt"


def _wait_for(
    what: str, check: Callable[[], object], timeout_s: float, every_s: float = 0.5, logs: tuple[Path, ...] = ()
) -> object:
    """check()'s first truthy value, or fail naming what never happened (with the tails of `logs`)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every_s)
    tails = "".join(f"\n--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in logs if p.exists())
    pytest.fail(f"timed out after {timeout_s:.0f} s waiting for {what}{tails}")


def _started(cmd: list[str], env: dict[str, str], logs: Path) -> tuple[subprocess.Popen, Path, Path]:
    """A process in its own process group, with its stdout and stderr in files under `logs`."""
    logs.mkdir(parents=True, exist_ok=True)
    out, err = logs / f"{cmd[2]}.out", logs / f"{cmd[2]}.err"
    with open(out, "w") as o, open(err, "w") as e:
        return subprocess.Popen(cmd, env=env, stdout=o, stderr=e, start_new_session=True), out, err


def _stop(proc: subprocess.Popen, sig: int = signal.SIGINT, timeout_s: float = 90) -> int:
    """Stop a process we started: the signal to it first (it stops its own children, e.g. Prefect's
    temporary server); if it does not exit in time, SIGKILL to its whole group, children included.
    Its exit code is returned (-9 after the fallback: the tests assert 0). Whatever of its group is
    still there once it exited is killed too, so that nothing it left runs on into later tests."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # the group is gone: the usual case
    return proc.returncode


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env_without_server() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}


def _document_status(wh: Path, document_id: str) -> tuple | None:
    """(status, original name) of a document, or None while it is not there (or a load holds the file)."""
    if not wh.exists():
        return None
    try:
        con = duckdb.connect(str(wh), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute(
            "select d.status, a.original_name from documents d join document_arrivals a using (document_id) "
            "where document_id = ?",
            [document_id],
        ).fetchall()
    except duckdb.CatalogException:
        return None
    finally:
        con.close()
    return row[0] if row else None


# --------------------------------------------------------------------------- server + serve + watch


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory) -> Iterator[dict[str, str]]:
    """`prefect server start` on a free port with its own PREFECT_HOME (SQLite); yields the children's env."""
    home = tmp_path_factory.mktemp("prefect_home")
    port = _free_port()
    env = _env_without_server() | {
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "INFO",
    }
    cmd = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    server, out, err = _started(cmd, env, home)

    def healthy() -> bool:
        assert server.poll() is None, err.read_text()[-3000:]
        try:
            return httpx.get(f"{env['PREFECT_API_URL']}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        _wait_for("the Prefect server to answer", healthy, 90, logs=(out, err))
        yield env
    finally:
        _stop(server)


@pytest.fixture(scope="module")
def served(prefect_server, tmp_path_factory) -> Iterator[tuple[dict[str, str], Path, tuple[Path, ...]]]:
    """`ogi serve` against the server, until its consumer is subscribed and its deployments registered."""
    root = tmp_path_factory.mktemp("served")
    wh = root / "wh" / "ogi.duckdb"
    env, api = prefect_server, prefect_server["PREFECT_API_URL"]
    serve, out, err = _started([*CLI, "serve", "--warehouse", str(wh), "--poll", "1"], env, root)

    def registered() -> bool:
        assert serve.poll() is None, err.read_text()[-3000:]
        # the consumer subscribes before the deployments are registered
        return len(httpx.post(f"{api}/deployments/filter", json={}, timeout=5).json()) == 4

    try:
        _wait_for("the served deployments", registered, 60, logs=(out, err))
        yield env, wh, (out, err)
    finally:
        _stop(serve)  # serve before the server


@pytest.mark.prefect_server
def test_a_file_dropped_in_the_watched_inbox_is_loaded_by_the_served_consumer_as_a_flow_run(served, tmp_path):
    env, wh, serve_logs = served
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    watch, out, err = _started([*CLI, "watch", str(inbox), "--warehouse", str(wh)], env, tmp_path)
    try:
        _wait_for("ogi watch to start", lambda: "正在监视" in err.read_text(), 60, logs=(err,))
        shutil.copy(SAMPLE, inbox / "dropped.txt")
        document_id = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
        status = _wait_for(
            "the dropped file in the warehouse", lambda: _document_status(wh, document_id), 120, logs=(err, *serve_logs)
        )
    finally:
        code = _stop(watch)
    assert status == ("loaded", "dropped.txt")  # the event's payload became the run's parameters
    assert code == 0 and "已停止，共暂存 1 个文件" in err.read_text() and "Traceback" not in err.read_text()
    assert "（已发送 ogi.document.staged）" in out.read_text()
    said = _wait_for(
        "serve's line",
        lambda: "已入库" in serve_logs[0].read_text() and "dropped.txt" in serve_logs[0].read_text(),
        30,
        logs=serve_logs,
    )
    assert said
    api = env["PREFECT_API_URL"]
    runs = httpx.post(f"{api}/flow_runs/filter", json={}, timeout=5).json()
    assert any(r["name"] == "watch dropped.txt" and r["state_type"] == "COMPLETED" for r in runs), runs


def _served_runs(api: str, flow_name: str) -> list[dict]:
    flows = httpx.post(f"{api}/flows/filter", json={"flows": {"name": {"any_": [flow_name]}}}, timeout=5).json()
    body = {"flows": {"id": {"any_": [f["id"] for f in flows]}}, "limit": 200}
    return httpx.post(f"{api}/flow_runs/filter", json=body, timeout=5).json()


def _run_naming(runs: list[dict], name: str) -> dict:
    (run,) = [r for r in runs if r["name"].startswith(name) or f", {name}" in r["name"]]
    return run


@pytest.mark.prefect_server
def test_served_runs_are_named_after_their_file_tagged_with_the_outcome_and_watch_prints_it(served, tmp_path):
    env, wh, serve_logs = served
    api = env["PREFECT_API_URL"]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    watch, out, err = _started([*CLI, "watch", str(inbox), "--warehouse", str(wh), "--wait", "240"], env, tmp_path)
    altered = SAMPLES / "altered" / "003_new_requests_altered.txt"
    try:
        _wait_for("ogi watch to start", lambda: "正在监视" in err.read_text(), 60, logs=(err,))
        shutil.copy(altered, inbox / altered.name)
        (inbox / "photo.bin").write_bytes(bytes(range(256)) * 4)  # no format ogi reads

        def both_said() -> str | None:
            text = out.read_text()
            return text if "已隔离" in text and "photo.bin:" in text else None

        said = _wait_for("ogi watch to print both outcomes", both_said, 240, logs=(out, err, *serve_logs))
    finally:
        code = _stop(watch)
    assert code == 0 and "Traceback" not in err.read_text(), err.read_text()[-3000:]
    # the outcome of the served run, in Chinese, with the reason (not only "sent")
    assert f"已隔离       {altered.name}: 未通过阻断性规则：R1(natural_person), R1(total)" in said
    assert "格式不支持   photo.bin: " in said
    # files dropped together may go as one run (the consumer takes a burst of events at once):
    # a run is named after its files and tagged with every outcome in it
    runs = _served_runs(api, "ingest-staged")
    assert {"quarantined"} <= set(_run_naming(runs, f"watch {altered.name}")["tags"])
    assert {"unsupported", "rejected"} <= set(_run_naming(runs, "photo.bin")["tags"])
    quarantined = _run_naming(_served_runs(api, "ingest-batch"), f"ingest {altered.name}")
    assert "quarantined" in quarantined["tags"]
    artifacts = httpx.post(
        f"{api}/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [quarantined["id"]]}}}, timeout=5
    ).json()
    (report,) = [a for a in artifacts if a["key"] == "ingest-outcome"]
    assert report["type"] == "markdown" and f"| {altered.name} | quarantined | blocking rules failed" in report["data"]


@pytest.mark.prefect_server
def test_annual_consolidation_is_scheduled_on_1_february_and_1_april_in_beijing_time(served):
    env, _, _ = served
    api = env["PREFECT_API_URL"]
    deployment = httpx.get(f"{api}/deployments/name/annual-consolidation/annual-consolidation", timeout=5).json()
    schedules = {
        (s["schedule"]["cron"], s["schedule"]["timezone"], s["parameters"].get("kind")) for s in deployment["schedules"]
    }
    assert schedules == {("0 2 1 2 *", "Asia/Shanghai", "department"), ("0 2 1 4 *", "Asia/Shanghai", None)}
    ingest_deployment = httpx.get(f"{api}/deployments/name/ingest-staged/ingest", timeout=5).json()
    assert ingest_deployment["global_concurrency_limit"]["limit"] == 1  # one run at a time: one writer
    overdue = httpx.get(f"{api}/deployments/name/rectification-overdue/rectification-overdue", timeout=5).json()
    assert [(s["schedule"]["cron"], s["schedule"]["timezone"]) for s in overdue["schedules"]] == [
        ("0 8 * * 1", "Asia/Shanghai")
    ]  # every Monday morning in Beijing


# --------------------------------------------------------------------------------- local and CLI


@pytest.mark.prefect_server  # no server of ours, but `ogi watch --local` starts Prefect's temporary one
def test_watch_local_loads_files_dropped_together_without_a_server(tmp_path):
    inbox, wh = tmp_path / "inbox", tmp_path / "wh" / "ogi.duckdb"
    inbox.mkdir()
    cmd = [*CLI, "watch", str(inbox), "--local", "--warehouse", str(wh)]
    # its temporary server gets a database of its own, not the one (~/.prefect) this process's
    # temporary server and any other run's write to
    env = _env_without_server() | {"PREFECT_HOME": str(tmp_path / "prefect_home")}
    watch, out, err = _started(cmd, env, tmp_path)
    names = ["003_be04c842d3f1cdaa.txt", "2024_shanghai-stc-kewei.md"]
    try:
        _wait_for("ogi watch to start", lambda: "正在监视" in err.read_text(), 60, logs=(err,))
        for name in names:
            shutil.copy(SAMPLES / name, inbox / name)
        ids = [hashlib.sha256((SAMPLES / n).read_bytes()).hexdigest() for n in names]
        _wait_for("both files loaded", lambda: all(_document_status(wh, i) for i in ids), 120, logs=(out, err))
    finally:
        code = _stop(watch)
    # a clean Ctrl-C: exit 0, not -SIGKILL (_stop kills the process group only when SIGINT did not
    # stop it within 90 s, and the test then fails here)
    assert code == 0 and "已停止，共暂存 2 个文件" in err.read_text(), err.read_text()[-3000:]  # said in Chinese
    assert "Traceback" not in err.read_text(), err.read_text()[-5000:]
    assert all(f"已入库       {n}" in out.read_text() for n in names)
    assert " | INFO " not in err.read_text() and (wh.parent / "logs" / "prefect.log").exists()  # quiet


def test_watch_without_a_server_says_how_to_start_one(tmp_path):
    out = subprocess.run(
        [*CLI, "watch", str(tmp_path)], env=_env_without_server(), capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 2 and "prefect server start" in out.stderr and "--local" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_watched_file_is_handed_over_once_its_size_has_stopped_changing(tmp_path):
    batches: list[list[tuple[str, int]]] = []
    watcher = InboxWatcher(tmp_path, lambda ps: batches.append([(p.name, p.stat().st_size) for p in ps]), settle_s=0.6)
    stop = threading.Event()
    ready = threading.Event()
    thread = threading.Thread(target=watcher.run, kwargs={"stop": stop, "on_ready": ready.set})
    thread.start()
    try:
        assert ready.wait(10)
        with open(tmp_path / "slow.txt", "wb") as f:  # a copy in progress: grows for ~1.2 s
            for _ in range(4):
                f.write(b"x" * 1000)
                f.flush()
                time.sleep(0.3)
        (tmp_path / "download.pdf.part").write_bytes(b"partial")
        (tmp_path / ".hidden.txt").write_bytes(b"hidden")
        (tmp_path / "renamed.tmp").write_bytes(b"done")
        (tmp_path / "renamed.tmp").rename(tmp_path / "renamed.txt")
        _wait_for("both files handed over", lambda: sum(len(b) for b in batches) >= 2, 10, 0.1)
        time.sleep(1)  # nothing else comes
    finally:
        stop.set()
        thread.join(10)
    assert [sorted(b) for b in batches] == [[("renamed.txt", 4), ("slow.txt", 4000)]]


def test_ingest_staged_loads_a_staged_document_once(tmp_path):
    wh = tmp_path / "wh" / "ogi.duckdb"
    staged = stage_file(SAMPLE, tmp_path / "watcher-store")  # another store: the flow restages it
    first = ingest_staged([ref_of(staged)], Settings(wh))
    second = ingest_staged([ref_of(staged)], Settings(wh))
    assert first["counts"] == {"loaded": 1} and first["decisions"][0]["name"] == SAMPLE.name
    assert second["counts"] == {} and second["already_known"] == 1
    assert (wh.parent / "staging" / staged.document_id[:2] / staged.document_id).is_file()


# -------------------------------------------------------------------------------------- backfill

TABLES = (
    "documents",
    "document_arrivals",
    "validation_results",
    "dim_agency",
    "dim_year",
    "fct_table2",
    "fct_table3",
    "fct_table4",
    "fct_legacy",
)
# what differs between two runs by construction: timestamps, the store's folder, surrogate ids
UNSTABLE = ("processed_at", "validated_at", "arrived_at", "staged_path", "agency_id")


def _warehouse_contents(wh: Path) -> dict[str, list[str]]:
    """Every row of every table, agencies by name, without what differs between runs by construction."""
    con = duckdb.connect(str(wh), read_only=True)
    try:
        out = {}
        for table in TABLES:
            columns = [c for (c,) in con.execute(f"select column_name from (describe {table})").fetchall()]
            kept = ", ".join(f"t.{c}" for c in columns if c not in UNSTABLE)
            if "agency_id" in columns:
                sql = f"select {kept}, a.agency_name from {table} t left join dim_agency a using (agency_id)"
            else:
                sql = f"select {kept} from {table} t"
            out[table] = sorted(map(repr, con.execute(sql).fetchall()))
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """Historical reports in year folders, with re-published copies (other bytes) and a duplicate.

    Web pages and text only: the PDF samples would triple the time (readers have their own tests)."""
    root = tmp_path_factory.mktemp("archive") / "tree"
    for p in sorted(SAMPLES.rglob("*")):
        if p.is_file() and p.suffix in (".txt", ".md", ".html"):
            target = root / p.name[:4] / p.name if p.name[:4].isdigit() else root / "seeds" / p.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(p, target)
            for n in (1, 2):  # a re-published copy: the same report with other bytes
                (root / "copies" / f"{n}_{p.name}").parent.mkdir(parents=True, exist_ok=True)
                (root / "copies" / f"{n}_{p.name}").write_bytes(p.read_bytes() + b"\n" * n)
    shutil.copy(SAMPLE, root / "copies" / "same-bytes.txt")
    (root / "copies" / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    return root


@pytest.fixture(scope="module")
def sequential(tree, tmp_path_factory) -> tuple[dict, Path]:
    """The tree backfilled on one thread (workers=0, `ogi backfill`'s default) into a fresh warehouse."""
    wh = tmp_path_factory.mktemp("sequential") / "wh" / "ogi.duckdb"
    return backfill(str(tree), Settings(wh), "2019-2024"), wh


# what a backfill's summary says that does not depend on where or how fast it ran
RUN_SPECIFIC = ("src", "warehouse", "elapsed_s", "files_per_s", "seconds")


def test_backfill_on_a_dask_local_cluster_gives_exactly_the_warehouse_of_a_sequential_run(tree, sequential, tmp_path):
    first, sequential_wh = sequential
    dask_wh = tmp_path / "dask" / "ogi.duckdb"
    result = backfill(str(tree), Settings(dask_wh), "2019-2024", workers=2, dask_processes=True)
    assert _warehouse_contents(dask_wh) == _warehouse_contents(sequential_wh)
    assert {k: v for k, v in result.items() if k not in RUN_SPECIFIC} == {
        k: v for k, v in first.items() if k not in RUN_SPECIFIC
    }
    assert result["files"] == len([p for p in tree.rglob("*") if p.is_file()])
    assert result["extracted"] == result["documents"] == result["files"] - 1  # same-bytes.txt is one document
    assert result["outside_range"] == {"2013": {"loaded": 3}}  # staged and loaded, reported apart
    # 2024 samples: 003 and Shanghai STC (loaded) and the altered 003 (quarantined), each ×3
    assert result["by_year"]["2024"] == {"loaded": 6, "quarantined": 3}
    assert sum(result["no_year"].values()) == 1  # the unreadable scan


def test_a_backfill_run_again_skips_every_document_it_already_loaded(tree, sequential, tmp_path):
    first, loaded = sequential
    shutil.copytree(loaded.parent, tmp_path / "wh")  # the run again writes: on a copy
    wh = tmp_path / "wh" / loaded.name
    before = _warehouse_contents(wh)
    again = backfill(str(tree), Settings(wh), "2019-2024")
    assert first["extracted"] == first["documents"] == first["files"] - 1 and again["extracted"] == 0
    assert again["already_known"] == again["documents"] == first["documents"]
    assert again["by_year"] == first["by_year"]  # the summary still counts the earlier run's documents
    assert _warehouse_contents(wh) == before

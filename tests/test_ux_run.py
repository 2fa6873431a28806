"""`ogi run` as a user runs it (a subprocess, real Prefect): quiet — Prefect's log lines in
logs/prefect.log, not on the terminal —, Chinese by default, --format json, --strict's exit codes,
and the review page beside the warehouse when something is quarantined."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SAMPLES

ALTERED = "003_new_requests_altered.txt"
HONGZE_2023 = "2023_huaian-hongze-district-gov.pdf"


def _ogi(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("OGI_LANG", "PREFECT_LOGGING_LEVEL", "PREFECT_API_URL")}
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=300
    )


def test_run_is_quiet_speaks_chinese_writes_the_review_page_and_exits_by_strict(tmp_path):
    inbox, wh = tmp_path / "inbox", tmp_path / "wh" / "ogi.duckdb"
    inbox.mkdir()
    shutil.copy(SAMPLES / "altered" / ALTERED, inbox)
    shutil.copy(SAMPLES / "001_d450694d9fdf7559.txt", inbox)
    (inbox / "photo.bin").write_bytes(bytes(range(256)) * 4)

    first = _ogi("run", str(inbox), "--strict", "--warehouse", str(wh))
    assert first.returncode == 4, first.stderr  # a file was rejected (unsupported): 4 beats 3
    assert first.stderr.splitlines() == [f"ogi run: {inbox} → {wh}（正在启动 Prefect 本地引擎…）"]
    lines = first.stdout.splitlines()
    assert "已入库          1" in lines and "已隔离          1" in lines
    assert f"  已隔离       {ALTERED}: 未通过阻断性规则：R1(natural_person), R1(total)" in lines
    assert f"审核页面        {wh.parent / 'review.html'}" in lines
    assert f"Prefect 日志    {wh.parent / 'logs' / 'prefect.log'}" in lines
    log = (wh.parent / "logs" / "prefect.log").read_text(encoding="utf-8")
    assert "Beginning flow run" in log and "Finished in state Completed()" in log
    assert "telemetry" not in log.lower()  # analytics are off: no attempt to phone home
    assert ALTERED in (wh.parent / "review.html").read_text(encoding="utf-8")

    second_inbox = tmp_path / "second"
    second_inbox.mkdir()
    shutil.copy(SAMPLES / HONGZE_2023, second_inbox)
    second = _ogi("run", str(second_inbox), "--strict", "--format", "json", "--lang", "en", "--warehouse", str(wh))
    assert second.returncode == 3, second.stderr  # quarantined, nothing rejected
    assert "INFO" not in second.stderr and len(second.stderr.splitlines()) == 1
    summary = json.loads(second.stdout)
    assert summary["counts"] == {"quarantined": 1}
    assert summary["decisions"][0]["name"] == HONGZE_2023
    assert summary["review_page"] == str(wh.parent / "review.html")
    page = (wh.parent / "review.html").read_text(encoding="utf-8")
    assert HONGZE_2023 in page and ALTERED in page and 'lang="en"' in page


def test_consolidate_prints_its_result_as_json(tmp_path):
    """`ogi consolidate --format json`: the same data as its table, in-process (one Prefect flow run)."""
    from click.testing import CliRunner

    import warehouse
    from expectations import load_catalogue
    from flows.cli import main
    from tasks.pipeline import Batch, process_batch
    from tasks.settings import Settings

    cfg = Settings(tmp_path / "ogi.duckdb")
    warehouse.migrate(cfg.warehouse)
    files = (
        SAMPLES / "003_be04c842d3f1cdaa.txt",
        SAMPLES / "2024_shanghai-stc-kewei.md",
        SAMPLES / "altered" / ALTERED,
    )
    process_batch(Batch(files=files), cfg, load_catalogue())
    args = ["consolidate", "--year", "2024", "--format", "json", "--out", str(tmp_path / "out")]
    out = CliRunner().invoke(main, [*args, "--warehouse", str(cfg.warehouse)], prog_name="ogi")
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    assert result["key"] == "2024" and result["header"]["reports_summed"] == 2
    assert {a["status"] for a in result["agencies"]} >= {"summed", "quarantined"}
    assert all(Path(f).exists() for f in result["files"])


def test_backfill_strict_and_json(tmp_path):
    """`ogi backfill --strict --format json`: the summary as JSON, exit 3 for the quarantined report."""
    from click.testing import CliRunner

    from flows.cli import main

    tree = tmp_path / "archive" / "2024"
    tree.mkdir(parents=True)
    shutil.copy(SAMPLES / "altered" / ALTERED, tree)
    shutil.copy(SAMPLES / "2019_pingtan_zone.txt", tree)
    wh = tmp_path / "wh" / "ogi.duckdb"
    args = ["backfill", str(tmp_path / "archive"), "--strict", "--format", "json", "--warehouse", str(wh)]
    out = CliRunner().invoke(main, args, prog_name="ogi")
    assert out.exit_code == 3, out.output
    result = json.loads(out.stdout)
    assert result["by_year"]["2024"] == {"quarantined": 1} and result["by_year"]["2019"] == {"loaded": 1}
    assert result["prefect_log"] == str(wh.parent / "logs" / "prefect.log")

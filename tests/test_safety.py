"""Hostile input: every inbox entry accounted for, one document never fails its batch, ad-hoc SQL
reads the warehouse and nothing else. Small files made in the test; real gate, load and DuckDB."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLES

import warehouse
from expectations import load_catalogue
from tasks.extract import extract_batch
from tasks.pipeline import Batch, process_batch, summarise
from tasks.settings import Settings
from tasks.stage import inbox_entries

GOOD = "001_d450694d9fdf7559.txt"
NANBIN = "003_be04c842d3f1cdaa.txt"


@pytest.fixture
def cfg(tmp_path) -> Settings:
    cfg = Settings(tmp_path / "wh" / "ogi.duckdb")
    warehouse.migrate(cfg.warehouse)
    return cfg


def _q(cfg: Settings, sql: str) -> list[tuple]:
    con = duckdb.connect(str(cfg.warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def hostile_inbox(tmp_path) -> Path:
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    shutil.copy(SAMPLES / GOOD, inbox / "good.txt")
    shutil.copy(SAMPLES / NANBIN, os.fsdecode(bytes(inbox / "sub") + b"/report_\xe9.txt"))
    (inbox / ".hidden.txt").write_text("x")
    (inbox / "passwd").symlink_to("/etc/passwd")
    (inbox / "dangling").symlink_to(inbox / "nowhere")
    (inbox / "loop1").symlink_to(inbox / "loop2")
    (inbox / "loop2").symlink_to(inbox / "loop1")
    (inbox / "inside.txt").symlink_to(inbox / "good.txt")
    os.mkfifo(inbox / "fifo")
    return inbox


def test_every_inbox_entry_is_staged_or_skipped_with_its_reason(hostile_inbox):
    files, skipped = inbox_entries(hostile_inbox)
    assert sorted(p.name for p in files) == ["good.txt", "inside.txt", os.fsdecode(b"report_\xe9.txt")]
    assert {s.name: s.reason for s in skipped} == {
        ".hidden.txt": "hidden (name starts with a dot)",
        "passwd": "a symlink leading outside the inbox (refused)",
        "dangling": "a dangling symlink",
        "loop1": "a symlink loop",
        "loop2": "a symlink loop",
        "fifo": "a FIFO (named pipe)",
    }


def test_a_hostile_inbox_loads_its_reports_and_accounts_for_every_entry(hostile_inbox, cfg):
    files, skipped = inbox_entries(hostile_inbox)
    result = process_batch(Batch(files=tuple(files)), cfg, load_catalogue())
    summary = summarise(cfg, len(files) + len(skipped), [result], skipped)
    entries = sum(1 for _ in hostile_inbox.rglob("*")) - 1  # minus the sub folder
    assert summary["files"] == summary["entries"] == entries == 9
    assert summary["counts"] == {"loaded": 2} and summary["already_known"] == 1  # inside.txt = good.txt
    names = {n for (n,) in _q(cfg, "select original_name from document_arrivals")}
    assert names == {"good.txt", "inside.txt", "report_\\xe9.txt"}  # the undecodable byte kept, escaped
    assert not any("passwd" in n for n in names)


def test_a_number_no_count_can_reach_is_confined_to_its_document(cfg, tmp_path):
    """A joined digit run (11658301139528813113 > 2**63) must not lose the batch."""

    def extract_with_a_joined_number(staged):
        out = extract_batch(staged)
        first = out[0]
        bad = dataclasses.replace(first.record, table4={**first.record.table4, "review_upheld": 11658301139528813113})
        return [dataclasses.replace(first, record=bad), *out[1:]]

    files = (SAMPLES / NANBIN, SAMPLES / GOOD)
    result = process_batch(Batch(files=files), cfg, load_catalogue(), extract_with_a_joined_number)
    status = {o.name: o.status for o in result.outcomes}
    assert status[GOOD] == "loaded"
    assert status[NANBIN] in ("quarantined", "rejected")
    assert _q(cfg, "select count(*) from documents") == [(2,)]
    assert _q(cfg, "select count(*) from fct_table4 where cases > 1000000000") == [(0,)]


@pytest.mark.parametrize(
    "query",
    [
        "copy (select 'x') to '{wh}'",
        "select * from read_text('/etc/passwd')",
        "select * from read_csv('/etc/passwd')",
        "select * from glob('/etc/*')",
        "install httpfs",
        "set memory_limit = '1TB'",
        "attach '{wh}.other' as other",
    ],
)
def test_ad_hoc_sql_reads_the_warehouse_and_nothing_else(cfg, query):
    before = cfg.warehouse.read_bytes()
    with pytest.raises(duckdb.Error):
        warehouse.ad_hoc(cfg.warehouse, query.format(wh=cfg.warehouse))
    assert cfg.warehouse.read_bytes() == before
    assert warehouse.ad_hoc(cfg.warehouse, "select count(*) from ref_table3_rows")[1][0][0] > 20


def test_ad_hoc_sql_stops_at_its_time_limit(cfg):
    slow = "select sum(a.range * b.range) from range(200000) a, range(200000) b"
    with pytest.raises(warehouse.QueryTimeout, match="0.5 s"):
        warehouse.ad_hoc(cfg.warehouse, slow, timeout_s=0.5)

"""Hostile input: every inbox entry accounted for, one document never fails its batch, ad-hoc SQL
reads the warehouse and nothing else. Small files made in the test; real gate, load and DuckDB."""

from __future__ import annotations

import dataclasses
import os
import random
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import warehouse
from expectations import load_catalogue
from tasks.extract import extract_batch
from tasks.pipeline import Batch, process_batch, summarise
from tasks.settings import Settings
from tasks.stage import inbox_entries, stage_files

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
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "bomb.docx").write_bytes(
        _docx(f"<w:document {W_NS}><w:body>" + "<w:p/>" * 3_000_000 + "</w:body></w:document>")
    )
    (inbox / "deep.html").write_bytes(("<html><body>" + "<div>" * 50_000 + "政府信息公开").encode())
    (inbox / "noise.pdf").write_bytes(b"%PDF-1.4\n" + bytes(random.Random(1).randrange(256) for _ in range(4000)))
    return inbox


def test_every_inbox_entry_is_staged_or_skipped_with_its_reason(hostile_inbox):
    files, skipped = inbox_entries(hostile_inbox)
    assert sorted(p.name for p in files) == [
        "bomb.docx", "deep.html", "empty.txt", "good.txt", "inside.txt", "noise.pdf", os.fsdecode(b"report_\xe9.txt")
    ]  # fmt: skip
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
    assert summary["files"] == summary["entries"] == entries == 13
    assert summary["counts"] == {"loaded": 2, "rejected": 2, "too_large": 2}
    assert summary["already_known"] == 1  # inside.txt = good.txt
    reasons = {d["name"]: d["reason"] for d in summary["decisions"]}
    assert "empty" in reasons["empty.txt"] and "zip bomb" in reasons["bomb.docx"] and "nested" in reasons["deep.html"]
    names = {n for (n,) in _q(cfg, "select original_name from document_arrivals")}
    assert names >= {"good.txt", "inside.txt", "report_\\xe9.txt"}  # the undecodable byte kept, escaped
    assert len(names) == 7
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


# ---------------------------------------------------------------- per-file limits and decoding


def _staged(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    staged, _ = stage_files([path], tmp_path / "staging")
    return staged[0]


def _docx(document_xml: str) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.mark.parametrize(
    ("name", "make", "status"),
    [
        ("zip-bomb.docx", lambda: _docx(f"<w:document {W_NS}><w:body>" + "<w:p/>" * 3_000_000 + "</w:body>"
                                        "</w:document>"), "too_large"),
        ("grid-span.docx", lambda: _docx(f'<w:document {W_NS}><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan '
                                         'w:val="300000000"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>'
                                         "</w:tbl></w:body></w:document>"), "not_a_report"),
        ("deep.html", lambda: ("<html><body>" + "<div>" * 100_000 + "政府信息公开" + "</div>" * 100_000).encode(),
         "too_large"),
        ("random.pdf", lambda: b"%PDF-1.4\n" + bytes(random.Random(1).randrange(256) for _ in range(4000)), "rejected"),
    ],
)  # fmt: skip
def test_a_hostile_file_gets_its_own_status_and_one_line_reason(tmp_path, name, make, status):
    from tasks.isolation import extract_isolated
    from tasks.settings import Limits

    staged = _staged(tmp_path, name, make())
    (got,) = extract_isolated([staged], Limits(time_s=30, memory_mb=512))
    assert got.status == status  # a span clamped to the table: read at once, and no report in it
    assert got.reason.startswith(name) and "\n" not in got.reason


def test_a_document_past_its_time_limit_is_stopped_and_the_next_one_read(tmp_path):
    from tasks.isolation import extract_isolated
    from tasks.settings import Limits

    slow = _staged(tmp_path, "slow.html", ("<table>" + "<tr><td>1</td></tr>" * 400_000 + "</table>").encode())
    good = _staged(tmp_path, GOOD, (SAMPLES / GOOD).read_bytes())
    first, second = extract_isolated([slow, good], Limits(time_s=0.5, memory_mb=1024))
    assert first.status == "timeout" and "0.5 s" in first.reason
    assert second.status == "report" and second.record.agency == "湘乡市信访局"


def _cells_right(record, truth_record) -> int:
    return sum(1 for k, v in truth_record.cells().items() if record.cells().get(k) == v)


def test_damaged_and_unusual_encodings_are_decoded_and_said(corpus):
    from tasks.parse import parse_record
    from tasks.read import read_document

    data = (corpus / "seeds" / NANBIN).read_bytes()
    base = parse_record(read_document(data, "x.txt"))
    flipped = bytearray(data)
    for i in random.Random(7).sample(range(len(flipped)), 7):
        flipped[i] ^= 0x55
    damaged = parse_record(read_document(bytes(flipped), "flipped.txt"))
    assert damaged.encoding == "utf-8" and damaged.agency == base.agency
    assert any("could not be decoded" in w for w in damaged.warnings)
    cut = data[: data.rindex("。".encode()) + 1]  # "。" is three bytes: cut after its first
    truncated = parse_record(read_document(cut[:-2], "cut.txt"))
    assert any("truncated" in w for w in truncated.warnings)
    for enc in ("utf-16-le", "utf-16-be", "utf-32-le"):
        wide = parse_record(read_document(data.decode("utf-8").encode(enc), f"{enc}.txt"))
        assert wide.encoding == enc and _cells_right(wide, base) == len(base.cells())
    trailing = parse_record(read_document(data + b"\n   \n" * 45, "trailing.txt"))
    assert trailing.agency == base.agency and trailing.publication_date == base.publication_date


def test_a_utf16_web_page_reads_like_its_utf8_twin(corpus):
    from tasks.parse import parse_record
    from tasks.read import read_document

    page = (corpus / "real" / "2019_shanghai-gov-office.html").read_bytes()
    utf8 = parse_record(read_document(page, "page.html"))
    utf16 = parse_record(read_document(page.decode("utf-8").encode("utf-16-le"), "page16.html"))
    assert len(utf8.cells()) > 150 and utf16.cells() == utf8.cells()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    source=st.sampled_from([f"seeds/{NANBIN}", "seeds/000_2d75f7f597d72c01.txt", "real/2019_shanghai-gov-office.html",
                            "real/2023_shuyang-county-drc.html"]),
    cuts=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40), st.binary(max_size=12)), min_size=1, max_size=6),
)  # fmt: skip
def test_mutated_real_reports_never_crash_or_hang(corpus, source, cuts):
    """Fuzz: bytes deleted, replaced and inserted anywhere in real reports; extract_one never raises."""
    from tasks.extract import extract_one
    from tasks.stage import Staged

    data = bytearray((corpus / source).read_bytes())
    for where, length, insert in cuts:
        at = int(where * len(data))
        data[at : at + length] = insert
    import tempfile
    from datetime import datetime

    with tempfile.NamedTemporaryFile(suffix=Path(source).suffix) as f:
        f.write(bytes(data))
        f.flush()
        got = extract_one(Staged("x" * 64, Path(source).name, f.name, len(data), datetime.now()))
    assert got.status in ("report", "not_a_report", "rejected", "unsupported", "too_large")
    assert got.record is not None or (got.reason and "\n" not in got.reason)


# ---------------------------------------------------------------- the warehouse file


def test_a_load_waits_for_another_writer_and_then_loads(cfg):
    import subprocess
    import sys
    import time

    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
         "time.sleep(3)", str(cfg.warehouse)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout.readline().strip() == "held"
    started = time.monotonic()
    result = process_batch(Batch(files=(SAMPLES / GOOD,)), cfg, load_catalogue())
    holder.wait()
    assert [o.status for o in result.outcomes] == ["loaded"]
    assert time.monotonic() - started > 1  # it did wait for the holder, then loaded
    assert _q(cfg, "select count(*) from documents") == [(1,)]


def test_a_corrupt_warehouse_is_named_before_any_work_in_one_line(tmp_path):
    from click.testing import CliRunner

    from flows.cli import main

    wh = tmp_path / "ogi.duckdb"
    wh.write_bytes(bytes(random.Random(3).randrange(256) for _ in range(20000)))
    for args in (["run", str(SAMPLES)], ["sql", "select 1"], ["review"]):
        out = CliRunner().invoke(main, [*args, "--warehouse", str(wh)], prog_name="ogi")
        assert out.exit_code == 5, (args, out.output)
        assert "cannot be opened as a DuckDB warehouse" in out.output and "Traceback" not in out.output
    assert not (tmp_path / "staging").exists()  # nothing was staged

"""The rectification loop on real documents: items raised from an accepted report, the notice
naming the cells, the automatic re-check when a corrected report arrives, and the audit trail."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from docx import Document
from openpyxl import load_workbook

import warehouse
from expectations import load_catalogue
from flows.cli import main
from tasks.pipeline import Batch, process_batch
from tasks.rectify import RectifyError, close, events, items, waive
from tasks.review import accept
from tasks.settings import Settings

HONGZE_2023 = "2023_huaian-hongze-district-gov.pdf"
ALTERED = "003_new_requests_altered.txt"
SEED_003 = "003_be04c842d3f1cdaa.txt"


def _q(cfg: Settings, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(cfg.warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def accepted(tmp_path_factory, corpus) -> Settings:
    """Hongze 2023 and the altered seed 003, both quarantined, then accepted as printed."""
    cfg = Settings(tmp_path_factory.mktemp("rectify") / "ogi.duckdb")
    warehouse.migrate(cfg.warehouse)
    process_batch(Batch(files=(corpus / "real" / HONGZE_2023, SAMPLES / "altered" / ALTERED)), cfg, load_catalogue())
    accept(cfg, HONGZE_2023, "原文表四总计印为 0", "tester")
    accept(cfg, ALTERED, "原文如此", "tester")
    return cfg


@pytest.fixture
def wh(accepted, tmp_path) -> Settings:
    cfg = Settings(tmp_path / "ogi.duckdb")
    shutil.copy(accepted.warehouse, cfg.warehouse)
    return cfg


def _items(cfg: Settings, **kw) -> list[dict]:
    columns, rows = items(cfg.warehouse, **kw)
    return [dict(zip(columns, r, strict=True)) for r in rows]


def test_an_accepted_report_raises_open_items_with_the_table4_cells(wh):
    hongze = [i for i in _items(wh, year=2023) if i["original_name"] == HONGZE_2023 and i["rule_id"] == "R5"]
    assert {i["instance"] for i in hongze} == {"review", "litigation_after_review"}
    assert all(i["status"] == "open" and i["accepted"] and i["severity"] == "blocking" for i in hongze)
    review = next(i for i in hongze if i["instance"] == "review")
    cells = {c["key"]: c for c in json.loads(review["evidence"])}
    assert cells["table4.review_total"]["value"] == 0
    assert sum(cells[f"table4.review_{k}"]["value"] for k in ("upheld", "corrected", "other", "pending")) == 11
    assert all(c["position"] for c in cells.values())  # where each cell is printed in the PDF
    assert "第五十条" in review["basis_zh"] and "表四" in review["message_zh"]
    assert (review["due_date"] - review["raised_at"].date()).days == 30
    raised = _q(wh, "select event, actor from rectification_events where item_id = ?", [review["item_id"]])
    assert raised == [("raised", "ogi")]


def test_listing_again_raises_nothing_twice(wh):
    first = _items(wh)
    assert first
    assert [i["item_id"] for i in _items(wh)] == [i["item_id"] for i in first]


def test_notify_writes_a_docx_naming_the_cells_and_marks_items_notified(wh, tmp_path):
    out = tmp_path / "notices"
    result = CliRunner().invoke(main, ["rectify", "notify", "--year", "2023", "--out", str(out),
                                       "--warehouse", str(wh.warehouse)])  # fmt: skip
    assert result.exit_code == 0, result.output
    (notice,) = [p for p in out.glob("*.docx") if "人民政府" in p.name]
    doc = Document(str(notice))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "洪泽区人民政府" in text and "2023年" in text and "整改期限" in text
    assert "R5(review)" in text and "R5(litigation_after_review)" in text
    assert "table4.review_total" in cells and "table4.litigation_after_review_total" in cells
    assert "表四「行政复议·总计」" in cells  # the printed label beside the key
    assert any(c.startswith("p.") for c in cells)  # the positions in the PDF
    (listing,) = out.glob("*.xlsx")
    sheet = load_workbook(listing).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "机构", "年度", "问题")
    assert any(r[3] == "R5(review)" and "table4.review_total=0" in r[7] for r in rows[1:])
    statuses = {i["status"] for i in _items(wh, year=2023) if i["rule_id"] == "R5"}
    assert statuses == {"notified"}


def test_a_passing_report_of_the_same_agency_and_year_corrects_the_items(wh):
    before = [i for i in _items(wh) if i["original_name"] == ALTERED and i["rule_id"] == "R1"]
    assert {i["instance"] for i in before} == {"natural_person", "total"}
    assert {i["status"] for i in before} == {"open"}
    process_batch(Batch(files=(SAMPLES / SEED_003,)), wh, load_catalogue())  # hook in the batch core
    (new_doc,) = _q(wh, "select document_id from document_arrivals where original_name = ?", [SEED_003])[0]
    after = {i["item_id"]: i for i in _items(wh, refresh_first=False)}
    for i in before:
        assert after[i["item_id"]]["status"] == "corrected"
        assert after[i["item_id"]]["corrected_by_document_id"] == new_doc
    trail = _q(wh, "select event, from_status, to_status, document_id, actor from rectification_events "
                   "where item_id = ? order by event_id", [before[0]["item_id"]])  # fmt: skip
    assert trail[-1] == ("corrected", "open", "corrected", new_doc, "ogi")
    # the Hongze items, another agency, are untouched
    assert {i["status"] for i in after.values() if i["original_name"] == HONGZE_2023} == {"open"}


def test_a_newer_report_still_failing_is_rechecked_and_the_items_stay(wh, tmp_path):
    before = [i for i in _items(wh) if i["original_name"] == ALTERED and i["rule_id"] == "R1"]
    text = (SAMPLES / "altered" / ALTERED).read_text(encoding="utf-8")
    assert "\n264 | ||\n" in text
    variant = tmp_path / "003_variant.txt"  # table 2 differs, table 3 still fails R1
    variant.write_text(text.replace("\n264 | ||\n", "\n265 | ||\n"), encoding="utf-8")
    process_batch(Batch(files=(variant,)), wh, load_catalogue())
    accept(wh, "003_variant.txt", "原文如此", "tester")
    (new_doc,) = _q(wh, "select document_id from document_arrivals where original_name = '003_variant.txt'")[0]
    assert _q(wh, "select report_role from current_reports where document_id = ?", [new_doc]) == [("current",)]
    after = {i["item_id"]: i for i in _items(wh)}
    for i in before:
        assert after[i["item_id"]]["status"] == "open"
        assert after[i["item_id"]]["last_checked_document_id"] == new_doc
        trail = _q(wh, "select event, to_status, document_id from rectification_events where item_id = ? "
                       "order by event_id", [i["item_id"]])  # fmt: skip
        assert trail[-1] == ("rechecked", "open", new_doc)
    # the same problem of the newer report is the same item, not a second one
    assert not [i for i in after.values() if i["document_id"] == new_doc and i["rule_id"] == "R1"]


def test_waive_and_close_are_recorded_with_who_when_why_and_nothing_is_deleted(wh):
    rows = _items(wh)
    first, second = rows[0]["item_id"], rows[1]["item_id"]
    with pytest.raises(RectifyError, match="不能办结"):
        close(wh.warehouse, first, by="tester")
    with pytest.raises(RectifyError, match="原因"):
        waive(wh.warehouse, first, " ", by="tester")
    assert waive(wh.warehouse, first, "原文系上级统一口径", by="科员甲") == ("open", "waived")
    assert close(wh.warehouse, first, by="科长乙") == ("waived", "closed")
    with pytest.raises(RectifyError, match="不能豁免"):
        waive(wh.warehouse, first, "again", by="tester")
    with pytest.raises(RectifyError, match="没有整改项"):
        waive(wh.warehouse, 99999, "x", by="tester")
    _, trail = events(wh.warehouse, first)
    assert [(e[2], e[3], e[4], e[6], e[8]) for e in trail] == [
        ("raised", None, "open", "ogi", trail[0][8]),
        ("waived", "open", "waived", "科员甲", "原文系上级统一口径"),
        ("closed", "waived", "closed", "科长乙", "办结归档"),
    ]
    assert all(e[7] is not None for e in trail)
    assert {i["item_id"] for i in _items(wh)} == {i["item_id"] for i in rows}  # nothing deleted
    result = CliRunner().invoke(main, ["rectify", "waive", str(second), "--reason", "不予追究",
                                       "--warehouse", str(wh.warehouse)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert next(i for i in _items(wh) if i["item_id"] == second)["status"] == "waived"


def test_list_prints_csv_and_json_and_export_writes_both_tables(wh, tmp_path):
    ogi = CliRunner()
    res = ogi.invoke(
        main, ["rectify", "list", "--format", "json", "--status", "open", "--warehouse", str(wh.warehouse)]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data and {"agency", "year", "problem", "status"} <= set(data[0])
    res = ogi.invoke(main, ["rectify", "list", "--format", "csv", "--year", "2023", "--warehouse", str(wh.warehouse)])
    assert res.exit_code == 0 and "R5(review)" in res.output
    res = ogi.invoke(main, ["rectify", "export", str(tmp_path / "x"), "--warehouse", str(wh.warehouse)])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "x" / "rectification_items.csv").exists()
    assert (tmp_path / "x" / "rectification_events.csv").exists()
    bad = ogi.invoke(main, ["rectify", "close", "99999", "--warehouse", str(wh.warehouse)])
    assert bad.exit_code == 2 and "99999" in bad.output
    nowhere = tmp_path / "none" / "ogi.duckdb"
    for words in (["close", "1"], ["waive", "1", "--reason", "x"], ["list"], ["notify", "--out", str(tmp_path / "n")]):
        res = ogi.invoke(main, ["rectify", *words, "--warehouse", str(nowhere)])
        assert res.exit_code == 2 and "不存在" in res.output, words
        res = ogi.invoke(main, ["rectify", *words, "--warehouse", str(nowhere), "--lang", "en"])
        assert res.exit_code == 2 and "no warehouse" in res.output, words
    assert not nowhere.exists()  # a mistyped path makes no empty warehouse


def test_a_roster_raises_missing_reports_and_an_arriving_report_corrects_them(wh, corpus, tmp_path):
    roster = tmp_path / "roster.txt"
    roster.write_text(
        "# 2024 名单\n淮安市洪泽区人民政府\n石柱土家族自治县人民政府南宾街道办事处\n某某县不存在局\n", encoding="utf-8"
    )
    ogi = CliRunner()
    res = ogi.invoke(main, ["rectify", "list", "--year", "2024", "--roster", str(roster), "--format", "json",
                            "--warehouse", str(wh.warehouse)])  # fmt: skip
    assert res.exit_code == 0, res.output
    missing = {i["agency"]: i for i in json.loads(res.output) if i["rule_id"] == "MISSING"}
    assert set(missing) == {"淮安市洪泽区人民政府", "某某县不存在局"}  # 南宾街道 has its 2024 report
    assert all(i["status"] == "open" and i["document_id"] is None for i in missing.values())
    assert "第四十九条" in missing["某某县不存在局"]["basis_zh"]
    again = ogi.invoke(main, ["rectify", "list", "--year", "2024", "--roster", str(roster), "--format", "json",
                              "--warehouse", str(wh.warehouse)])  # fmt: skip
    assert len(json.loads(again.output)) == len(json.loads(res.output))  # raised once
    process_batch(Batch(files=(corpus / "real" / "2024_huaian-hongze-district-gov.pdf",)), wh, load_catalogue())
    (new_doc,) = _q(wh, "select document_id from document_arrivals where original_name = ?",
                    ["2024_huaian-hongze-district-gov.pdf"])[0]  # fmt: skip
    after = {i["item_id"]: i for i in _items(wh, year=2024, refresh_first=False) if i["rule_id"] == "MISSING"}
    hongze = after[missing["淮安市洪泽区人民政府"]["id"]]
    assert hongze["status"] == "corrected" and hongze["corrected_by_document_id"] == new_doc
    assert hongze["agency_id"] is not None
    assert after[missing["某某县不存在局"]["id"]]["status"] == "open"


def test_every_rule_that_raises_items_cites_its_article_and_template_from_the_catalogue():
    from tasks.rectify.items import WARNINGS, basis_zh

    catalogue = load_catalogue()
    raising = [r for r in catalogue.rules if r.severity == "blocking" or r.id in WARNINGS]
    assert {"R1", "R5", "W_LATE", "W_PROSE_TABLE"} <= {r.id for r in raising}
    for rule in raising:
        assert rule.basis_zh and basis_zh(rule.id) == rule.basis_zh, rule.id
    # the article of Art. 50 for the table, both template notices where both templates print the rule
    assert (
        "第五十条第（二）项" in basis_zh("R1") and "〔2019〕60号" in basis_zh("R1") and "〔2021〕30号" in basis_zh("R1")
    )
    assert "第五十条第（三）项" in basis_zh("R5") and "推定" in basis_zh("R5")  # the template implies R5, prints R1
    assert "1月31日" in basis_zh("W_LATE") and "3月31日" in basis_zh("W_LATE")
    assert "第四十九条" in basis_zh("MISSING") and "县级以上" in basis_zh("MISSING")


def test_the_batch_result_says_which_items_the_recheck_corrected(wh):
    from flows.batch import _report
    from tasks.pipeline import summarise

    altered = [i for i in _items(wh) if i["original_name"] == ALTERED and i["status"] == "open"]
    assert {"R1(natural_person)", "R1(total)"} <= {i["problem"] for i in altered}
    result = process_batch(Batch(files=(SAMPLES / SEED_003,)), wh, load_catalogue())
    counts = {"raised": 0, "corrected": len(altered), "rechecked": 0}
    assert result.rectification == counts
    assert f"已整改 {len(altered)} 项" in _report(result) and f"{len(altered)} corrected" in _report(result)
    assert summarise(wh, 1, [result])["rectification"] == counts
    again = process_batch(Batch(files=(SAMPLES / SEED_003,)), wh, load_catalogue())
    assert again.rectification == {}  # nothing loaded, nothing re-checked


def test_the_consolidation_outputs_list_each_agencys_open_items(wh, tmp_path):
    from tasks.consolidate import (
        make_scope,
        read_consolidation,
        store_consolidation,
        write_docx,
        write_html,
        write_workbook,
    )

    open_ids = {i["item_id"] for i in _items(wh, year=2023) if i["status"] in ("open", "notified")}
    assert open_ids
    c = read_consolidation(wh.warehouse, store_consolidation(wh.warehouse, make_scope(2023, None, None, None)))
    assert {r["item_id"] for r in c.rectification.dicts()} == open_ids
    assert {r["agency_name"] for r in c.rectification.dicts()} == {"洪泽区人民政府"}
    sheet = load_workbook(write_workbook(c, tmp_path / "c.xlsx"))["整改事项"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "机构", "年度", "问题")
    assert {(r[1], r[2], r[3], r[5]) for r in rows[1:] if isinstance(r[0], int)} == {
        ("洪泽区人民政府", 2023, "R5(review)", "待整改"),
        ("洪泽区人民政府", 2023, "R5(litigation_after_review)", "待整改"),
    }
    page = write_html(c, tmp_path / "c.html").read_text(encoding="utf-8")
    assert "整改事项" in page and "R5(litigation_after_review)" in page
    doc = Document(str(write_docx(c, tmp_path / "c.docx")))
    cells = {cell.text for t in doc.tables for row in t.rows for cell in row.cells}
    assert "R5(review)" in cells and "待整改" in cells
    waive(wh.warehouse, min(open_ids), "不予追究", by="tester")  # a waived item is no longer open
    c = read_consolidation(wh.warehouse, c.key)
    assert {r["item_id"] for r in c.rectification.dicts()} == open_ids - {min(open_ids)}


def test_the_overdue_flow_lists_items_past_their_due_date_and_publishes_an_artifact(wh):
    from datetime import timedelta

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    from flows.rectify import overdue_items

    due = {i["item_id"]: i["due_date"] for i in _items(wh) if i["status"] in ("open", "notified")}
    first_due = min(due.values())
    assert overdue_items(settings=wh, as_of=first_due)["count"] == 0  # due that day: not overdue yet
    state = overdue_items(settings=wh, as_of=first_due + timedelta(days=3), return_state=True)
    result = state.result()
    assert {i["item_id"] for i in result["items"]} == {k for k, d in due.items() if d < first_due + timedelta(days=3)}
    assert {i["days_overdue"] for i in result["items"]} == {3}
    with get_client(sync_client=True) as client:
        flow_run_filter = ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id]))
        (artifact,) = client.read_artifacts(artifact_filter=flow_run_filter)
    assert artifact.key == "rectification-overdue" and "逾期未整改事项" in artifact.data
    assert "R5(review)" in artifact.data and "洪泽区人民政府" in artifact.data


def test_every_rectify_command_speaks_english_with_lang_en(wh, tmp_path):
    ogi = CliRunner()
    where = ["--warehouse", str(wh.warehouse), "--lang", "en"]
    listed = ogi.invoke(main, ["rectify", "list", "--year", "2023", *where])
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines()[0].split()[:4] == ["id", "agency", "year", "problem"]
    assert " open " in listed.output and "待整改" not in listed.output and "items)" in listed.output
    item = _items(wh, year=2023)[0]["item_id"]
    bad = ogi.invoke(main, ["rectify", "close", str(item), *where])
    assert bad.exit_code == 2 and f"item {item} is open" in bad.output and "close needs" in bad.output
    waived = ogi.invoke(main, ["rectify", "waive", str(item), "--reason", "not pursued", *where])
    assert waived.exit_code == 0 and f"item {item}: waived (not pursued)" in waived.output
    closed = ogi.invoke(main, ["rectify", "close", str(item), *where])
    assert closed.exit_code == 0 and f"item {item}: closed" in closed.output
    notified = ogi.invoke(main, ["rectify", "notify", "--year", "2023", "--out", str(tmp_path / "n"), *where])
    assert notified.exit_code == 0 and "notices)" in notified.output and "整改" not in notified.output.split()[0]
    exported = ogi.invoke(main, ["rectify", "export", str(tmp_path / "x"), *where])
    assert exported.exit_code == 0 and exported.output.startswith("wrote")
    zh = ogi.invoke(main, ["rectify", "close", "99999", "--warehouse", str(wh.warehouse)])
    assert zh.exit_code == 2 and "没有整改项 99999" in zh.output  # Chinese without --lang

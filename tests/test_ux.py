"""What the office and researchers see: Chinese by default and English with --lang en, JSON output,
the offline review page whose commands resolve what it lists, and the researchers' export read back
with polars and DuckDB. One warehouse loaded from samples/reports by the batch core (no Prefect);
every test that writes works on its own copy."""

from __future__ import annotations

import json
import shlex
import shutil
import string
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import polars as pl
import pytest
from click.testing import CliRunner
from conftest import SAMPLES, truth_of

import warehouse
from expectations import load_catalogue
from flows.cli import main
from tasks.messages import LANGS, MESSAGES, reason_text, status_word, t
from tasks.pipeline import Batch, process_batch
from tasks.review_page import QuarantinedReport, render_review_page
from tasks.settings import Settings
from tasks.stage import inbox_files

ALTERED = "003_new_requests_altered.txt"
HONGZE_2023 = "2023_huaian-hongze-district-gov.pdf"


def ogi(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), prog_name="ogi", env=env)


def _q(path: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Settings:
    """Every sample report (two of them quarantined: the altered seed and Hongze 2023), loaded once."""
    cfg = Settings(tmp_path_factory.mktemp("ux") / "ogi.duckdb")
    warehouse.migrate(cfg.warehouse)
    process_batch(Batch(files=tuple(inbox_files(SAMPLES))), cfg, load_catalogue())
    return cfg


@pytest.fixture
def wh(loaded, tmp_path) -> Settings:
    cfg = Settings(tmp_path / "ogi.duckdb")
    shutil.copy(loaded.warehouse, cfg.warehouse)
    return cfg


# ------------------------------------------------------------------------------- the catalogue


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_with_the_same_fields():
    assert len(MESSAGES) > 50
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGS), key
        assert all(texts[lang].strip() for lang in LANGS), key
        assert _fields(texts["zh"]) == _fields(texts["en"]), key


def test_status_words_and_reasons_are_chinese_by_default():
    assert [status_word(s) for s in ("loaded", "quarantined", "rejected")] == ["已入库", "已隔离", "已拒收"]
    assert status_word("loaded", "en") == "loaded"
    assert reason_text("blocking rules failed: R1(total)") == "未通过阻断性规则：R1(total)"
    assert reason_text("blocking rules failed: R1(total)", "en") == "blocking rules failed: R1(total)"
    assert t("review.count", n=2) == "（共 2 份已隔离）"


# ------------------------------------------------------------------------ review and quality


def test_review_speaks_chinese_by_default_and_english_with_lang_en(wh):
    zh = ogi("review", "--warehouse", str(wh.warehouse))
    assert zh.exit_code == 0, zh.output
    assert zh.stdout.splitlines()[0].split() == ["文档", "文件名", "机构", "年度", "未通过的规则"]
    assert "（共 2 份已隔离）" in zh.stdout and "ogi accept DOC" in zh.stdout
    for en in (ogi("review", "--lang", "en", "--warehouse", str(wh.warehouse)),
               ogi("review", "--warehouse", str(wh.warehouse), env={"OGI_LANG": "en"})):  # fmt: skip
        assert en.exit_code == 0, en.output
        assert en.stdout.splitlines()[0].split() == ["document", "file", "agency", "year", "failures"]
        assert "(2 quarantined)" in en.stdout and "已隔离" not in en.stdout


def test_review_json_has_the_table_and_the_rules_with_their_cells(wh):
    out = ogi("review", "--format", "json", "--warehouse", str(wh.warehouse))
    assert out.exit_code == 0, out.output
    reports = {r["file"]: r for r in json.loads(out.stdout)["quarantined"]}
    assert set(reports) == {ALTERED, HONGZE_2023}
    altered = reports[ALTERED]
    assert altered["failures"] == "R1(natural_person), R1(total)" and altered["year"] == 2024
    assert altered["rules"][0]["message"].startswith("表三「自然人」列")
    cell = {c["key"]: c for c in altered["rules"][0]["cells"]}["table3.new_requests.natural_person"]
    assert cell == {"key": "table3.new_requests.natural_person", "value": 5, "position": "L54", "side": "lhs"}
    english = json.loads(ogi("review", "--format", "json", "--lang", "en", "--warehouse", str(wh.warehouse)).stdout)
    assert english["quarantined"][1]["rules"][0]["message"].startswith("Table 3, column natural_person")


def test_quality_has_chinese_headers_and_json_rows(wh):
    zh = ogi("quality", "--warehouse", str(wh.warehouse))
    assert zh.exit_code == 0, zh.output
    assert zh.stdout.splitlines()[0].split()[:4] == ["机构", "年度", "规则", "级别"]
    assert "阻断" in zh.stdout and "GX 数据文档" in zh.stdout
    rows = json.loads(ogi("quality", "--format", "json", "--warehouse", str(wh.warehouse)).stdout)["rows"]
    r5 = next(r for r in rows if r["rule"] == "R5" and r["year"] == 2023)
    assert r5["fail"] == 2 and r5["severity"] == "blocking" and r5["status"] == "quarantined"


def test_a_review_error_is_one_chinese_line_or_english_with_lang_en(wh):
    zh = ogi("correct", "zzzzzzzz", "table3.granted.total=5", "--reason", "r", "--warehouse", str(wh.warehouse))
    assert zh.exit_code == 2
    assert zh.stderr == "ogi correct: 没有与「zzzzzzzz」匹配的文件（请给出 sha256、其前缀或文件名）\n"
    en = ogi("accept", "zzzzzzzz", "--reason", "r", "--lang", "en", "--warehouse", str(wh.warehouse))
    assert en.stderr == (
        "ogi accept: no document matches 'zzzzzzzz' (give its sha256, a prefix of it, or its file name)\n"
    )


# ---------------------------------------------------------------------------- the review page


class _Page(HTMLParser):
    """The page's text, its tags with their attributes, and the text of each <pre> (the commands)."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.commands: list[str] = []
        self._in_pre = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_pre = tag == "pre"
        if self._in_pre:
            self.commands.append("")

    def handle_endtag(self, tag):
        if tag == "pre":
            self._in_pre = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_pre:
            self.commands[-1] += data


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_the_review_page_lists_each_quarantined_report_with_rules_cells_and_commands(wh, tmp_path):
    target = tmp_path / "page" / "review.html"
    out = ogi("review", "--html", str(target), "--warehouse", str(wh.warehouse))
    assert out.exit_code == 0 and f"审核页面已写入：{target}" in out.stdout
    html = target.read_text(encoding="utf-8")
    page = _parse(html)
    text = "".join(page.text)
    assert ALTERED in text and HONGZE_2023 in text
    assert "洪泽区人民政府" in text and "石柱土家族自治县人民政府南宾街道办事处" in text and "2023" in text
    failing = _q(wh.warehouse, "select document_id, message_zh, cells from v_quarantine")
    assert len(failing) == 4
    for _, message, cells in failing:
        assert message in text  # the Chinese rule message, as stored
        for c in json.loads(cells):
            assert c["key"] in text and c["position"] in text
    altered_id, hongze_id = (
        _q(wh.warehouse, "select document_id from v_documents where original_name = ?", [name])[0][0][:12]
        for name in (ALTERED, HONGZE_2023)
    )
    assert (
        f"ogi correct {hongze_id} table4.review_total=0 table4.review_upheld=10 table4.review_corrected=1 "
        f'table4.review_other=0 table4.review_pending=0 --reason "说明原因"' in page.commands
    )
    assert f'ogi accept {altered_id} --reason "说明原因"' in page.commands
    assert f'ogi accept {hongze_id} --reason "说明原因"' in page.commands
    # offline: no script, no stylesheet link, no image, no remote address anywhere
    assert not [tag for tag, _ in page.tags if tag in ("script", "link", "img", "iframe")]
    assert "http://" not in html and "https://" not in html
    assert any(tag == "style" for tag, _ in page.tags)


def test_the_accept_command_printed_on_the_page_loads_the_report(wh, tmp_path):
    target = tmp_path / "review.html"
    assert ogi("review", "--html", str(target), "--warehouse", str(wh.warehouse)).exit_code == 0
    command = next(c for c in _parse(target.read_text(encoding="utf-8")).commands if c.startswith("ogi accept"))
    args = shlex.split(command)[1:]
    args[args.index("--reason") + 1] = "原文表四总计印为 0"
    out = ogi(*args, "--warehouse", str(wh.warehouse))
    assert out.exit_code == 0, out.output
    assert "已隔离 → 已入库" in out.stdout and "按原文接受" in out.stdout
    assert "表四「行政复议」：总计 应等于" in out.stdout  # the violation, in Chinese
    assert _q(wh.warehouse, "select count(*) from documents where status = 'quarantined'") == [(1,)]


def test_the_review_page_escapes_what_documents_say():
    hostile = QuarantinedReport("ab" * 32, '<script src="https://x.test/a.js"></script>.txt', "<b>机构</b>", 2024,
                                "blocking rules failed: R1(total)")  # fmt: skip
    from datetime import datetime

    html = render_review_page([hostile], "zh", "/tmp/ogi.duckdb", datetime(2026, 1, 1))
    assert "<script" not in html and "<b>" not in html and "&lt;script" in html
    assert not [tag for tag, _ in _parse(html).tags if tag in ("script", "b")]


# ----------------------------------------------------------------------------------- the export


def _read_back(folder: Path, name: str, partitioned: bool) -> tuple[int, int]:
    """Rows of one exported table read by polars and by DuckDB."""
    if partitioned:
        files = str(folder / name / "**" / "*.parquet")
        by_polars = pl.read_parquet(files, hive_partitioning=True)
        by_duckdb = duckdb.sql(f"select count(*) from read_parquet('{files}', hive_partitioning = true)").fetchall()
        assert "report_year" in by_polars.columns
    else:
        by_polars = pl.read_parquet(folder / f"{name}.parquet")
        by_duckdb = duckdb.sql(f"select count(*) from read_parquet('{folder / f'{name}.parquet'}')").fetchall()
    return by_polars.height, by_duckdb[0][0]


def test_export_writes_every_table_readable_by_polars_and_duckdb_with_the_warehouses_counts(loaded, tmp_path):
    out = ogi("export", str(tmp_path / "export"), "--warehouse", str(loaded.warehouse))
    assert out.exit_code == 0, out.output
    assert "已导出" in out.stdout and "数据字典" in out.stdout
    folder = tmp_path / "export"
    tables = ("fct_table2", "fct_table3", "fct_table4", "fct_legacy", "documents", "validation_results")
    for name in tables:
        expected = _q(loaded.warehouse, f"select count(*) from {name}")[0][0]
        assert expected > 0, name
        assert _read_back(folder, name, partitioned=True) == (expected, expected), name
    agencies = _q(loaded.warehouse, "select count(*) from dim_agency")[0][0]
    assert _read_back(folder, "dim_agency", partitioned=False) == (agencies, agencies)
    pairs = _q(
        loaded.warehouse, "select count(distinct (agency_id, report_year)) from documents where status = 'loaded'"
    )
    assert _read_back(folder, "panel", partitioned=True) == (pairs[0][0], pairs[0][0])
    assert sorted(p.name for p in (folder / "fct_table3").iterdir())[0].startswith("report_year=")


def test_the_panel_has_one_row_per_agency_and_year_with_the_reports_headline_figures(loaded, corpus, tmp_path):
    ogi("export", str(tmp_path), "--warehouse", str(loaded.warehouse))
    panel = pl.read_parquet(str(tmp_path / "panel" / "**" / "*.parquet"), hive_partitioning=True)
    assert panel.select("agency_id", "report_year").is_duplicated().sum() == 0
    truth = truth_of(corpus / "seeds")["003_be04c842d3f1cdaa.txt"]
    agency, year = _q(loaded.warehouse, "select d.agency_id, d.report_year from documents d join document_arrivals a "
                      "using (document_id) where a.original_name = '003_be04c842d3f1cdaa.txt'")[0]  # fmt: skip
    assert year == truth["report_year"]
    row = panel.filter((pl.col("agency_id") == agency) & (pl.col("report_year") == year))
    assert row.height == 1
    assert row["t3_new_requests"][0] == truth["table3"]["new_requests"]["total"]
    assert row["t3_handled_total"][0] == truth["table3"]["handled_total"]["total"]
    assert row["t4_review_total"][0] == truth["table4"]["review_total"]


def test_the_dictionary_lists_every_exported_column_with_its_comment(loaded, tmp_path):
    assert ogi("export", str(tmp_path), "--warehouse", str(loaded.warehouse), "--lang", "en").exit_code == 0
    dictionary = json.loads((tmp_path / "dictionary.json").read_text(encoding="utf-8"))
    markdown = (tmp_path / "dictionary.md").read_text(encoding="utf-8")
    rows = _q(loaded.warehouse, "select table_name, column_name, comment from duckdb_columns()")
    comments = {(t, c): cm for t, c, cm in rows}
    names = {t["name"] for t in dictionary["tables"]}
    assert names == {"fct_table2", "fct_table3", "fct_table4", "fct_legacy", "documents", "dim_agency",
                     "validation_results", "panel"}  # fmt: skip
    for table in dictionary["tables"]:
        assert table["description"], table["name"]
        if table["partitioned_by"]:
            files = str(tmp_path / table["path"] / "**" / "*.parquet")
            columns = pl.read_parquet(files, hive_partitioning=True).columns
        else:
            columns = pl.read_parquet(tmp_path / table["path"]).columns
        assert sorted(c["name"] for c in table["columns"]) == sorted(columns), table["name"]
        for c in table["columns"]:
            assert c["comment"], (table["name"], c["name"])
            if (table["name"], c["name"]) in comments:
                assert c["comment"] == comments[(table["name"], c["name"])]
            assert f"| `{c['name']}` | {c['type']} | {c['comment'].replace('|', chr(92) + '|')} |" in markdown


def test_export_of_one_year_as_csv_has_that_years_rows(loaded, tmp_path):
    out = ogi("export", str(tmp_path), "--year", "2023", "--format", "csv", "--warehouse", str(loaded.warehouse))
    assert out.exit_code == 0, out.output
    counts = {
        "fct_table3": "select count(*) from fct_table3 where report_year = 2023",
        "documents": "select count(*) from documents where report_year = 2023",
        "validation_results": "select count(*) from validation_results join documents using (document_id) "
        "where report_year = 2023",
    }
    for name, sql in counts.items():
        expected = _q(loaded.warehouse, sql)[0][0]
        assert pl.read_csv(tmp_path / f"{name}.csv").height == expected > 0, name
    assert json.loads((tmp_path / "dictionary.json").read_text(encoding="utf-8"))["year"] == 2023


def test_export_without_a_warehouse_says_how_to_make_one(tmp_path):
    out = ogi("export", str(tmp_path / "out"), "--warehouse", str(tmp_path / "none.duckdb"))
    assert out.exit_code == 2
    assert out.stderr == f"ogi export: 数据仓库 {tmp_path / 'none.duckdb'} 不存在；请先运行 `ogi run INBOX`\n"


def test_quality_docs_say_the_offline_page_is_the_review_page(wh):
    """GX Data Docs load their assets from CDNs (GX does not bundle them), so the command says so and
    names the page that works offline; if GX ever bundles them this test fails and the note can go."""
    zh = ogi("quality", "--docs", "--year", "2023", "--warehouse", str(wh.warehouse))
    assert zh.exit_code == 0, zh.output
    index = wh.docs_root / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    assert "https://cdn.jsdelivr.net/" in index.read_text(encoding="utf-8")  # what the note is about
    assert f"GX 数据文档：{index}" in zh.stdout
    assert "断网时" in zh.stdout and "`ogi review --html PATH`" in zh.stdout
    en = ogi("quality", "--lang", "en", "--format", "json", "--warehouse", str(wh.warehouse))
    note = json.loads(en.stdout)["data_docs_note"]
    assert "offline" in note and "`ogi review --html PATH`" in note

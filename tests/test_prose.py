"""Prose as evidence: figures the running text states decide what the layout leaves open, fill
reports that have no statistics table, and never replace a printed cell. Truth from outside the
code: the shared legacy corpus and the project's real fixtures (hand-checked truth files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO

from tasks.parse import parse_record
from tasks.parse.prose import legacy_figures
from tasks.read import read_document, read_path

LEGACY_2016 = "2016_pingtan-zone.txt"
LEGACY_2018 = "2018_pingtan-zone.txt"


def _record(text: str):
    return parse_record(read_document(text.encode("utf-8"), "report.txt"))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("2013年新增主动公开政府信息45条。", {"legacy.proactive_items": 45}),
        ("本年度未收到政府信息公开申请。", {"legacy.requests_received": 0}),
        ("收到以有关政府信息公开行政复议0件。", {"legacy.reviews": 0}),
        ("全年共收到政府信息公开申请12件，未收到有关政府信息公开行政复议申请。",
         {"legacy.requests_received": 12, "legacy.reviews": 0}),
        ("未发生因政府信息公开被申请行政复议、提起行政诉讼的情况。", {"legacy.reviews": 0, "legacy.lawsuits": 0}),
        ("全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。", {}),  # none lost, not none at all
    ],
)  # fmt: skip
def test_prose_patterns_give_the_figure_and_zeros_stated_in_words(sentence, expected):
    assert {k: f.value for k, f in legacy_figures(sentence).items()} == expected


def test_a_report_with_prose_only_gets_its_figures_each_placed_at_its_sentence(corpus):
    """The real 2018 Pingtan report with its statistics table cut off: the prose still says
    主动公开政府信息2069条, 未收到…申请 and 未收到…行政复议、提起行政诉讼的申请 (the table agreed)."""
    text = (corpus / "legacy" / LEGACY_2018).read_text(encoding="utf-8")
    record = _record(text[: text.index("六、政府信息公开情况统计表")])
    assert record.template == "legacy"
    assert record.legacy == {"proactive_items": 2069, "requests_received": 0, "reviews": 0, "lawsuits": 0}
    assert "2069条" in record.positions["legacy.proactive_items"]
    assert "未收到有关政府信息公开申请" in record.positions["legacy.requests_received"]
    assert any(w.startswith("legacy.reviews = 0 from the text") for w in record.warnings)


@pytest.mark.parametrize("header", ["2016年度历年累计", "本年数累计数", "数量一数量二"])
def test_a_legacy_run_of_year_and_cumulative_takes_the_year_figure_the_prose_states(corpus, header):
    """`5129874` printed for 主动公开文件数 under (this year, all years): the prose says 512 this year
    and 9874 in all, so the year's figure is 512, never the run as one number nor the cumulative."""
    text = (corpus / "legacy" / LEGACY_2016).read_text(encoding="utf-8")
    assert "主动公开文件数条346085376" in text and "指标名称计量单位2016年度历年累计" in text
    text = (
        text.replace("346085376", "5129874")
        .replace("2016年全区主动公开政府信息3460条", "2016年全区主动公开政府信息512条，历年累计主动公开9874条")
        .replace("指标名称计量单位2016年度历年累计", "指标名称计量单位" + header)
    )
    assert _record(text).legacy["proactive_items"] == 512


def test_a_prose_figure_never_replaces_a_printed_table_cell(corpus):
    """The 2014 Pingtan table prints 主动公开文件数 2543 in its own cell; prose saying otherwise
    does not change it (the disagreement is for the gate to report)."""
    text = (corpus / "legacy" / "2014_pingtan-zone.txt").read_text(encoding="utf-8")
    assert "2014年主动公开政府信息 2543条" in text
    record = _record(text.replace("2014年主动公开政府信息 2543条", "2014年主动公开政府信息 2500条"))
    assert record.legacy["proactive_items"] == 2543


def test_table2_rows_printing_fewer_numbers_than_columns_are_placed_by_the_prose():
    """Shanghai 2025 (fixture, hand-checked truth): `| 规章 | 22 | 235 |` under three columns; the text
    says 主动公开市政府规章22件 (本年制发), so 22 is issued; whether 235 is 本年废止 or 现行有效 nothing
    printed decides, so both stay null ("ambiguous") with the two readings in the warnings."""
    record = parse_record(read_path(Path(REPO / "tests" / "fixtures" / "real" / "2025_shanghai-gov-office.md")))
    assert record.table2["rules"] == {"issued": 22, "repealed": None, "in_force": None}
    assert record.table2["normative_documents"] == {"issued": 34, "repealed": None, "in_force": None}
    assert record.null_meanings["table2.rules.repealed"] == record.null_meanings["table2.rules.in_force"] == "ambiguous"
    assert any("digits split 2 ways (22 235 None; 22 None 235)" in w for w in record.warnings)
    assert any("placed by the text: issued 22 (L27 「" in w for w in record.warnings)


def test_without_a_prose_figure_a_short_table2_row_stays_null():
    """The same rows with the sentence gone: nothing decides where the blank is, so nothing is guessed."""
    path = REPO / "tests" / "fixtures" / "real" / "2025_shanghai-gov-office.md"
    text = (
        path.read_text(encoding="utf-8")
        .replace("规章 22 件", "规章若干件")
        .replace("规范性文件 34 件", "规范性文件若干件")
    )
    record = _record(text)
    assert record.table2["rules"] == {"issued": None, "repealed": None, "in_force": None}


@pytest.mark.parametrize(
    ("name", "printed", "in_words", "key"),
    [
        (LEGACY_2016, "对申请的答复总数条00", "对申请的答复总数条无无", "requests_completed"),
        (LEGACY_2016, "对申请的答复总数条00", "对申请的答复总数条没有零", "requests_completed"),
        ("2014_pingtan-zone.txt", "接受行政诉讼、举报数 件 0 0", "接受行政诉讼、举报数 件 无 无", "complaints"),
    ],
)  # fmt: skip
def test_a_legacy_count_row_printed_in_words_is_zero_with_the_cell_named(corpus, name, printed, in_words, key):
    """The real Pingtan statistics tables with a count row's cells printed 无 / 没有 / 零 instead of
    0 (this year and all years alike): the count is 0, and a warning names the cell and what was
    printed. Nothing in the prose states these rows, so only the table decides."""
    text = (corpus / "legacy" / name).read_text(encoding="utf-8")
    assert text.count(printed) == 1
    record = _record(text.replace(printed, in_words))
    truth = json.loads((corpus / "legacy" / "truth" / name.replace(".txt", ".json")).read_text(encoding="utf-8"))
    assert record.legacy == truth["legacy"] and record.legacy[key] == 0
    assert any(w.startswith(f"legacy.{key}: printed ") and "read as 0" in w for w in record.warnings)


def test_a_legacy_amount_printed_as_none_in_words_is_not_made_zero(corpus):
    """收费减免金额 is an amount, not a count: 无 there is not read as 0 yuan."""
    text = (corpus / "legacy" / "2014_pingtan-zone.txt").read_text(encoding="utf-8")
    record = _record(text.replace("政府信息公开收费减免金额 元 0 0", "政府信息公开收费减免金额 元 无 无"))
    assert record.legacy.get("fees_10k_yuan") is None
    assert record.legacy["complaints"] == 0 and record.legacy["reviews"] == 0


def test_none_printed_in_a_2019_template_cell_stays_null_meaning_none(corpus):
    """In the statutory templates blank, dash and 无 are not 0 (the statute note): the Shanghai
    science commission's table 4 with 结果纠正 printed 无 keeps it null, meaning "none"."""
    text = (corpus / "real" / "2024_shanghai-stc-kewei.md").read_text(encoding="utf-8")
    row = "| 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    assert text.count(row) == 1
    record = parse_record(read_document(text.replace(row, row.replace("| 1 | 0 |", "| 1 | 无 |", 1)).encode(), "r.md"))
    assert record.table4["review_corrected"] is None
    assert record.null_meanings["table4.review_corrected"] == "none"
    assert record.table4["review_upheld"] == 1


def test_a_legacy_grid_row_of_zero_words_is_zero_and_the_fee_row_stays_null():
    """The 2014 Pingtan statistics table (its real rows and figures) as a grid, with 举报 and 行政复议
    printed 无 and 没有: counts 0 with the cell named; the fee row's 无 stays null."""
    rows = [
        ("主动公开文件数", "条", "2543", "78967"),
        ("受理依申请公开信息总数", "条", "1", "1"),
        ("对申请的答复总数", "条", "1", "1"),
        ("接受行政诉讼、举报数", "件", "无", "无"),
        ("行政复议数", "件", "没有", "没有"),
        ("行政诉讼数", "件", "0", "0"),
        ("政府信息公开收费减免金额", "元", "无", "无"),
    ]
    md = "# 平潭综合实验区2014年政府信息公开工作年度报告\n\n六、政府信息公开情况统计表\n\n"
    md += "| 指标名称 | 计量单位 | 2014年度 | 历年累计 |\n|---|---|---|---|\n"
    md += "".join(f"| {' | '.join(r)} |\n" for r in rows)
    record = parse_record(read_document(md.encode("utf-8"), "report.md"))
    assert record.legacy == {
        "proactive_items": 2543, "requests_received": 1, "requests_completed": 1,
        "complaints": 0, "reviews": 0, "lawsuits": 0, "fees_10k_yuan": None,
    }  # fmt: skip
    assert "legacy.reviews: printed '没有', read as 0 (a count stated in words)" in record.warnings


def test_a_prose_figure_that_disagrees_with_a_printed_cell_is_a_warning_naming_both_and_the_sentence(corpus):
    """The Shanghai science commission 2024 (real): table 2 prints 13 under 本年制发 for 行政规范性文件,
    and the text lists 行政规范性文件 13 件 among what it published (here with its verb, 制发, so the
    text names the column). With the text saying 14 the printed 13 stays; the record names the cell,
    both figures and the sentence, and the gate's W_PROSE_TABLE warns on that cell (the old check
    compared only 收到申请/行政复议/行政诉讼)."""
    from tasks.quality import gate

    text = (corpus / "real" / "2024_shanghai-stc-kewei.md").read_text(encoding="utf-8")
    assert text.count("括：行政规范性文件 13 件") == 1

    def parsed(n: int, doc_id: str):
        said = text.replace("括：行政规范性文件 13 件", f"括：制发行政规范性文件 {n} 件")
        return parse_record(read_document(said.encode("utf-8"), "r.md"), doc_id)

    consistent, changed = parsed(13, "sha256:kewei"), parsed(14, "sha256:kewei14")
    assert consistent.prose_cells["table2.normative_documents.issued"]["value"] == 13
    assert not [w for w in consistent.warnings if "the text says" in w]
    assert changed.table2["normative_documents"]["issued"] == 13
    (said,) = [w for w in changed.warnings if "the text says" in w]
    assert said.startswith("table2.normative_documents.issued: the table prints 13, the text says 14 (L")
    assert "制发行政规范性文件14件" in said
    results = {(r.document_id, r.rule_id): r for r in gate([consistent, changed])}
    assert results[("sha256:kewei", "W_PROSE_TABLE")].outcome == "pass"
    warned = results[("sha256:kewei14", "W_PROSE_TABLE")]
    assert (warned.outcome, warned.severity, warned.lhs) == ("fail", "warning", 1)
    assert [c["key"] for c in warned.cells] == ["table2.normative_documents.issued"]

"""One constraint problem per table: digit runs are split jointly with the row sums and the column
identities (R1, R2 per column for table 3; R5 per group for table 4). A unique solution gives
values; several give nulls with the competing readings in the warnings; a source that breaks an
identity is never repaired into consistency.

The documents are real: the 2022 Pingtan report (fixture) prints every table-3 row as one run of
digits after its label ("（七）总计 723000075"); here it carries the real numbers of the 2024 Huai'an
city report (shared corpus, hand-checked truth), printed the same way."""

from __future__ import annotations

import json

import pytest
from conftest import REPO

from tasks.keys import T3_COLUMNS, T4_KEYS
from tasks.parse import parse_record
from tasks.read import read_document

FRAME = REPO / "tests" / "fixtures" / "real" / "2022_pingtan-zone.txt"
HUAIAN = "2024_huaian-city-gov.json"

# the 2021-template row labels as the Pingtan report prints them, in order
_LABELS = (
    ("new_requests", "一、本年新收政府信息公开申请数量 "),
    ("carried_over_in", "二、上年结转政府信息公开申请数量 "),
    ("granted", "三、本年度办理结果 （一）予以公开 "),
    ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形） "),
    ("denied_state_secret", "（三）不予公开 1.属于国家秘密"),
    ("denied_prohibited_by_law", "2.其他法律行政法规禁止公开 "),
    ("denied_security_stability", "3.危及“三安全一稳定” "),
    ("denied_third_party_rights", "4.保护第三方合法权益 "),
    ("denied_internal_affairs", "5.属于三类内部事务信息 "),
    ("denied_process_information", "6.属于四类过程性信息 "),
    ("denied_enforcement_case_files", "7.属于行政执法案卷 "),
    ("denied_administrative_query", "8.属于行政查询事项 "),
    ("unavailable_not_held", "（四）无法提供 1.本机关不掌握相关政府信息 "),
    ("unavailable_requires_creation", "2.没有现成信息需要另行制作 "),
    ("unavailable_unclear_after_amendment", "3.补正后申请内容仍不明确 "),
    ("not_processed_complaint", "（五）不予处理 1.信访举报投诉类申请 "),
    ("not_processed_duplicate", "2.重复申请 "),
    ("not_processed_publication", "3.要求提供公开出版物 "),
    ("not_processed_excessive", "4.无正当理由大量反复申请 "),
    ("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息 "),
    ("other_no_amendment", "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 "),
    ("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 "),
    ("other_misc", "3.其他 "),
    ("handled_total", "（七）总计 "),
    ("carried_over_out", "四、结转下年度继续办理 "),
)


def _truth(corpus) -> dict[str, list[int]]:
    t3 = json.loads((corpus / "real" / "truth" / HUAIAN).read_text(encoding="utf-8"))["table3"]
    return {k: [t3[k][c] for c in T3_COLUMNS] for k, _ in _LABELS}


def _as_runs(rows: dict[str, list[int]]):
    """The Pingtan page with its table 3 replaced by `rows`, each printed as one run of digits."""
    frame = FRAME.read_text(encoding="utf-8")
    start, end = frame.index("一、本年新收"), frame.index("四、政府信息公开行政法复议")
    body = "".join(label + "".join(str(n) for n in rows[key]) for key, label in _LABELS)
    return parse_record(read_document((frame[:start] + body + " " + frame[end:]).encode("utf-8"), "report.txt"))


def _shift(rows: dict[str, list[int]], key: str, new: list[int], *also: str) -> dict[str, list[int]]:
    """`rows` with row `key` printed as `new`, and the rows in `also` moved by the same amounts per
    column (so the identities still hold, as in a real consistent report)."""
    out = {k: list(v) for k, v in rows.items()}
    delta = [b - a for a, b in zip(rows[key], new)]
    out[key] = list(new)
    for k in also:
        out[k] = [a + d for a, d in zip(out[k], delta)]
    return out


def _row(record, key: str) -> list:
    return [record.table3[key][c] for c in T3_COLUMNS]


def test_a_real_table_printed_as_digit_runs_is_read_exactly_by_its_column_identities(corpus):
    """Huai'an 2024: 2.没有现成信息需要另行制作 prints `110000011` (1,10,… or 11,0,…, both sum to
    11); only R2 in the 商业企业 column (its 总计 row prints 53 = the other rows' sum) leaves 11."""
    truth = _truth(corpus)
    record = _as_runs(truth)
    assert {k: _row(record, k) for k in truth} == truth
    assert record.null_meanings == {} or not any(k.startswith("table3.") for k in record.null_meanings)


def test_the_issue_run_150010117_is_decided_by_the_other_rows(corpus):
    """A row printed `150010117` splits two ways that sum to 17 (15,0,0,1,0,1 and 1,5,0,0,10,1);
    the 商业企业 and 法律服务机构 columns of the total row and of 本年新收 leave only the first."""
    rows = _shift(_truth(corpus), "not_processed_duplicate", [15, 0, 0, 1, 0, 1, 17], "handled_total", "new_requests")
    record = _as_runs(rows)
    assert _row(record, "not_processed_duplicate") == [15, 0, 0, 1, 0, 1, 17]
    assert {k: _row(record, k) for k in rows} == rows


def test_two_runs_the_identities_cannot_tell_apart_are_null_with_both_readings(corpus):
    """Two rows both printed `150010117`, one meaning 15,0,0,1,0,1 and the other 1,5,0,0,10,1: the
    column sums hold whichever is which, so the cells they disagree on are null ("ambiguous") with
    the readings in the warnings, and the cells both readings agree on are kept."""
    rows = _shift(_truth(corpus), "not_processed_duplicate", [15, 0, 0, 1, 0, 1, 17], "handled_total", "new_requests")
    rows = _shift(rows, "not_processed_confirmation", [1, 5, 0, 0, 10, 1, 17], "handled_total", "new_requests")
    record = _as_runs(rows)
    for key in ("not_processed_duplicate", "not_processed_confirmation"):
        assert _row(record, key) == [None, None, 0, None, None, 1, 17]
        assert record.null_meanings[f"table3.{key}.natural_person"] == "ambiguous"
        warning = next(w for w in record.warnings if w.startswith(f"table 3 row {key}:"))
        assert "15 0 0 1 0 1 17" in warning and "1 5 0 0 10 1 17" in warning
    others = {k: v for k, v in rows.items() if k not in ("not_processed_duplicate", "not_processed_confirmation")}
    assert {k: _row(record, k) for k in others} == others


@pytest.mark.parametrize("column", [1, 4])  # 商业企业, 法律服务机构
def test_a_source_that_breaks_an_identity_is_not_repaired_into_consistency(corpus, column):
    """`150010117` with a total row whose column fits neither reading (R2 broken whatever the
    split): no reading is chosen to make the table add up, the run stays null where its readings
    differ, and the total row keeps what it prints (for the gate to block on)."""
    rows = _shift(_truth(corpus), "not_processed_duplicate", [15, 0, 0, 1, 0, 1, 17], "handled_total", "new_requests")
    printed = list(rows["handled_total"])
    printed[column] += 3
    printed[-1] += 3  # the total row's own sum (R3) still holds: only the column identity breaks
    rows["handled_total"] = printed
    record = _as_runs(rows)
    assert _row(record, "not_processed_duplicate") == [None, None, 0, None, None, 1, 17]
    assert _row(record, "handled_total") == printed


PINGTAN_2019 = "2019_pingtan_zone.txt"  # shared real corpus: table 4 printed as one run, 000000000000000


def _table4_as(corpus, run: str):
    text = (corpus / "real" / PINGTAN_2019).read_text(encoding="utf-8")
    assert text.count("000000000000000 五、") == 1
    record = parse_record(read_document(text.replace("000000000000000 五、", run + " 五、").encode("utf-8"), "r.txt"))
    return [record.table4[k] for k in T4_KEYS], record


def test_a_table4_run_that_r5_decides_is_read_whole(corpus):
    """Fifteen cells printed as one run: each group's 总计 must print the sum of its four outcomes
    (R5), and only one cut of the digits does that in all three groups at once."""
    cells, _ = _table4_as(corpus, "1311313131396513113110036713121225170")
    assert cells == [131, 131, 3, 131, 396, 5, 131, 131, 100, 367, 131, 2, 12, 25, 170]


def test_a_table4_run_with_more_readings_than_can_be_listed_decides_only_what_all_share(corpus):
    """`1111113126` three times: each group reads 12 ways that keep R5 (111,11,1,3 or 1,1,11,113 …),
    1,728 in all. Only the totals are the same in every one; a cell is never taken from the first
    few readings found (that read 1,1,11,113 into the first group)."""
    cells, record = _table4_as(corpus, "1111113126" * 3)
    assert cells == [None, None, None, None, 126] * 3
    assert record.null_meanings["table4.review_upheld"] == "ambiguous"
    assert any("1728 ways that keep R5" in w for w in record.warnings)


def test_a_table4_run_that_breaks_r5_is_read_as_printed_never_made_to_add_up(corpus):
    """`000000000000001`: one digit per cell, the last group's 总计 1 over four zeros breaks R5;
    the cells are what is printed (for the gate to block on), with the break said."""
    cells, record = _table4_as(corpus, "000000000000001")
    assert cells == [0] * 14 + [1]
    assert "table 4: the only split of the run breaks R5" in record.warnings

"""The canonical keys (../shared/domain/canonical-keys.md): one vocabulary for every layer."""

from __future__ import annotations

from dataclasses import dataclass

T3_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "commercial",
    "research",
    "public_interest",
    "legal_services",
    "other_org",
    "total",
)
T3_APPLICANT_COLUMNS: tuple[str, ...] = T3_COLUMNS[:-1]

T3_COLUMN_LABELS: dict[str, str] = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "public_interest": "社会公益组织",
    "legal_services": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}


@dataclass(frozen=True)
class Row:
    key: str
    label: str  # printed label (2021 template wording)
    group: str  # parent group key, "" for top-level rows
    templates: tuple[str, ...]  # templates that print this row


# Printed order. `other_total` is printed only by the 2019 template and derived for 2021.
T3_ROWS: tuple[Row, ...] = (
    Row("new_requests", "一、本年新收政府信息公开申请数量", "", ("2019", "2021")),
    Row("carried_over_in", "二、上年结转政府信息公开申请数量", "", ("2019", "2021")),
    Row("granted", "(一)予以公开", "outcomes", ("2019", "2021")),
    Row("partially_granted", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "outcomes", ("2019", "2021")),
    Row("denied_state_secret", "1.属于国家秘密", "denied", ("2019", "2021")),
    Row("denied_prohibited_by_law", "2.其他法律行政法规禁止公开", "denied", ("2019", "2021")),
    Row("denied_security_stability", "3.危及“三安全一稳定”", "denied", ("2019", "2021")),
    Row("denied_third_party_rights", "4.保护第三方合法权益", "denied", ("2019", "2021")),
    Row("denied_internal_affairs", "5.属于三类内部事务信息", "denied", ("2019", "2021")),
    Row("denied_process_information", "6.属于四类过程性信息", "denied", ("2019", "2021")),
    Row("denied_enforcement_case_files", "7.属于行政执法案卷", "denied", ("2019", "2021")),
    Row("denied_administrative_query", "8.属于行政查询事项", "denied", ("2019", "2021")),
    Row("unavailable_not_held", "1.本机关不掌握相关政府信息", "unavailable", ("2019", "2021")),
    Row("unavailable_requires_creation", "2.没有现成信息需要另行制作", "unavailable", ("2019", "2021")),
    Row("unavailable_unclear_after_amendment", "3.补正后申请内容仍不明确", "unavailable", ("2019", "2021")),
    Row("not_processed_complaint", "1.信访举报投诉类申请", "not_processed", ("2019", "2021")),
    Row("not_processed_duplicate", "2.重复申请", "not_processed", ("2019", "2021")),
    Row("not_processed_publication", "3.要求提供公开出版物", "not_processed", ("2019", "2021")),
    Row("not_processed_excessive", "4.无正当理由大量反复申请", "not_processed", ("2019", "2021")),
    Row("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息", "not_processed", ("2019", "2021")),
    Row("other_total", "(六)其他处理", "outcomes", ("2019",)),
    Row("other_no_amendment", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other", ("2021",)),
    Row(
        "other_unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "other",
        ("2021",),
    ),
    Row("other_misc", "3.其他", "other", ("2021",)),
    Row("handled_total", "(七)总计", "outcomes", ("2019", "2021")),
    Row("carried_over_out", "四、结转下年度继续办理", "", ("2019", "2021")),
)
T3_ROW_KEYS: tuple[str, ...] = tuple(r.key for r in T3_ROWS)
T3_ROW_INDEX: dict[str, int] = {k: i for i, k in enumerate(T3_ROW_KEYS)}
T3_ROW_LABELS: dict[str, str] = {r.key: r.label for r in T3_ROWS}

T3_GROUP_LABELS: dict[str, str] = {
    "denied": "(三)不予公开",
    "unavailable": "(四)无法提供",
    "not_processed": "(五)不予处理",
    "other": "(六)其他处理",
}

OTHER_SUBROWS: tuple[str, ...] = ("other_no_amendment", "other_unpaid_fee", "other_misc")

# R2: the outcome rows that add up to (七)总计 (other_total stands for the (六) block).
T3_OUTCOME_ROWS: tuple[str, ...] = tuple(
    r.key
    for r in T3_ROWS
    if r.group in ("outcomes", "denied", "unavailable", "not_processed") and r.key != "handled_total"
)

T4_GROUPS: tuple[str, ...] = ("review", "litigation_direct", "litigation_after_review")
T4_OUTCOMES: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")
T4_KEYS: tuple[str, ...] = tuple(f"{g}_{o}" for g in T4_GROUPS for o in T4_OUTCOMES)
T4_GROUP_LABELS = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼/未经复议直接起诉",
    "litigation_after_review": "行政诉讼/复议后起诉",
}
T4_OUTCOME_LABELS = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}


@dataclass(frozen=True)
class T2Row:
    key: str
    label: str
    item: str  # 第二十条第(X)项
    columns: tuple[str, ...]


T2_2021: tuple[T2Row, ...] = (
    T2Row("rules", "规章", "一", ("issued", "repealed", "in_force")),
    T2Row("normative_documents", "行政规范性文件", "一", ("issued", "repealed", "in_force")),
    T2Row("licensing", "行政许可", "五", ("decisions",)),
    T2Row("penalty", "行政处罚", "六", ("decisions",)),
    T2Row("coercion", "行政强制", "六", ("decisions",)),
    T2Row("fees", "行政事业性收费", "八", ("amount_10k_yuan",)),
)
_INVENTORY = ("items_prior_year", "items_change", "decisions")
T2_2019: tuple[T2Row, ...] = (
    T2Row("rules", "规章", "一", ("made", "published", "published_total")),
    T2Row("normative_documents", "规范性文件", "一", ("made", "published", "published_total")),
    T2Row("licensing", "行政许可", "五", _INVENTORY),
    T2Row("other_services", "其他对外管理服务事项", "五", _INVENTORY),
    T2Row("penalty", "行政处罚", "六", _INVENTORY),
    T2Row("coercion", "行政强制", "六", _INVENTORY),
    T2Row("fees", "行政事业性收费", "八", ("items_prior_year", "items_change")),
    T2Row("central_procurement", "政府集中采购", "九", ("procurement_items", "procurement_amount")),
)
T2_ROWS = {"2021": T2_2021, "2019": T2_2019}

T2_COLUMN_LABELS = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "本年处理决定数量",
    "amount_10k_yuan": "本年收费金额(单位:万元)",
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "published_total": "对外公开总数量",
    "items_prior_year": "上一年项目数量",
    "items_change": "本年增/减",
    "procurement_items": "采购项目数量",
    "procurement_amount": "采购总金额",
}

# Cells that are money (decimals allowed) or may be negative: R6 does not apply to them as counts.
T2_MONEY_COLUMNS = frozenset({"amount_10k_yuan", "procurement_amount"})
T2_SIGNED_COLUMNS = frozenset({"items_change"})

LEGACY_KEYS: tuple[str, ...] = (
    "proactive_items",
    "requests_received",
    "requests_completed",
    "reviews",
    "lawsuits",
    "complaints",
    "fees_10k_yuan",
)
LEGACY_LABELS = {
    "proactive_items": "主动公开政府信息数",
    "requests_received": "收到申请数",
    "requests_completed": "申请办结数",
    "reviews": "行政复议数量",
    "lawsuits": "行政诉讼数量",
    "complaints": "举报投诉数量",
    "fees_10k_yuan": "依申请公开信息收取的费用(万元)",
}

TEMPLATES = ("2019", "2021", "legacy")

# Cross-year rules: table-2 stock rows (2021: 现行有效) and inventory rows (2019: 上一年项目数量).
T2_STOCK_ROWS: tuple[str, ...] = ("rules", "normative_documents")
T2_INVENTORY_ROWS: tuple[str, ...] = ("licensing", "other_services", "penalty", "coercion", "fees")
T2_ROW_LABELS: dict[str, str] = {r.key: r.label for r in T2_2019 + T2_2021}

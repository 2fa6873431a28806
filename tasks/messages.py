"""What the commands say, in Chinese (the default) and English: one catalogue keyed by message id.

The office that runs `ogi` reads Chinese; researchers may prefer English (`--lang en`, or
`OGI_LANG=en`). Every id has both languages (a test checks it). Rule messages are not here: they
come from expectations/rules.toml and are stored per result (`validation_results.message_zh`,
`message_en`); `rule_message` picks one. Plain data and str.format, no dependencies.
"""

from __future__ import annotations

import os
import re

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
ENV_LANG = "OGI_LANG"

# message id → {language: text}; {name} fields are filled by `t(...)`.
MESSAGES: dict[str, dict[str, str]] = {
    # ---- document statuses (documents.status) and what became of an inbox entry
    "status.loaded": {"zh": "已入库", "en": "loaded"},
    "status.quarantined": {"zh": "已隔离", "en": "quarantined"},
    "status.rejected": {"zh": "已拒收", "en": "rejected"},
    "status.needs_ocr": {"zh": "需OCR识别", "en": "needs_ocr"},
    "status.encrypted": {"zh": "已加密", "en": "encrypted"},
    "status.unsupported": {"zh": "格式不支持", "en": "unsupported"},
    "status.not_a_report": {"zh": "非年度报告", "en": "not_a_report"},
    "status.timeout": {"zh": "处理超时", "en": "timeout"},
    "status.too_large": {"zh": "文件过大", "en": "too_large"},
    "status.known": {"zh": "已在库中", "en": "known"},
    "status.skipped": {"zh": "已跳过", "en": "skipped"},
    "status.staged": {"zh": "已暂存", "en": "staged"},
    "status.summed": {"zh": "已汇总", "en": "summed"},
    "status.missing": {"zh": "未报送", "en": "missing"},
    # ---- reasons the batch core gives (tasks/load.py), recognised and said in the language
    "reason.blocking": {"zh": "未通过阻断性规则：{rules}", "en": "blocking rules failed: {rules}"},
    "reason.accepted": {
        "zh": "按原文接受，尽管不符合 {rules}：{why}",
        "en": "accepted as printed despite {rules}: {why}",
    },
    "reason.metadata": {"zh": "未找到元数据：{missing}", "en": "metadata not found: {missing}"},
    "reason.known": {"zh": "已在数据仓库中", "en": "already in the warehouse"},
    "field.agency": {"zh": "发布机构", "en": "agency"},
    "field.report_year": {"zh": "报告年度", "en": "report_year"},
    # ---- common failures
    "fail.no_path": {"zh": "{path}：文件或文件夹不存在", "en": "{path}: no such file or folder"},
    "fail.no_folder": {"zh": "{path}：文件夹不存在", "en": "{path}: no such folder"},
    "fail.no_warehouse": {
        "zh": "数据仓库 {path} 不存在；请先运行 `ogi run INBOX`",
        "en": "no warehouse at {path}; run `ogi run INBOX` first",
    },
    "fail.busy": {
        "zh": "{path} 正被另一个进程占用（可能正在入库），请稍后再试",
        "en": "{path} is in use by another process (a load is running?); try again later",
    },
    "fail.busy_backfill": {
        "zh": "{detail}；请稍后再运行一次：已入库的文件会被跳过",
        "en": "{detail}; run it again later: documents already loaded are skipped",
    },
    # ---- ogi run
    "run.starting": {
        "zh": "{source} → {warehouse}（正在启动 Prefect 本地引擎…）",
        "en": "{source} → {warehouse} (starting Prefect's local engine…)",
    },
    "run.files": {"zh": "收到文件", "en": "files seen"},
    "run.loaded": {"zh": "已入库", "en": "loaded"},
    "run.quarantined": {"zh": "已隔离", "en": "quarantined"},
    "run.rejected": {"zh": "已拒收", "en": "rejected"},
    "run.known": {"zh": "库中已有", "en": "already known"},
    "run.skipped": {"zh": "已跳过", "en": "skipped"},
    "run.warehouse": {"zh": "数据仓库", "en": "warehouse"},
    "run.holds": {"zh": "库中现有", "en": "it holds"},
    "run.staging": {"zh": "暂存区", "en": "staging store"},
    "run.look": {"zh": "查看", "en": "look at it"},
    "run.quarantine": {"zh": "隔离清单", "en": "quarantine"},
    "run.review_page": {"zh": "审核页面", "en": "review page"},
    "run.prefect_log": {"zh": "Prefect 日志", "en": "Prefect log"},
    "run.rectification": {"zh": "整改复核", "en": "rectification"},
    "rectify.recheck": {
        "zh": "整改事项已整改 {corrected} 项，复核后仍未整改 {rechecked} 项，新立 {raised} 项",
        "en": "rectification items: {corrected} corrected, {rechecked} re-checked and still open, {raised} raised",
    },
    "run.rectify_hint": {"zh": "（查看：ogi rectify list）", "en": " (see: ogi rectify list)"},
    # what the warehouse holds (warehouse/queries/warehouse_summary.sql)
    "holding.documents": {"zh": "文件（{status}）", "en": "documents: {status}"},
    "holding.agencies": {"zh": "机构", "en": "agencies"},
    "holding.report years": {"zh": "报告年度", "en": "report years"},
    "holding.fct_table2 cells": {"zh": "表二单元格", "en": "fct_table2 cells"},
    "holding.fct_table3 cells": {"zh": "表三单元格", "en": "fct_table3 cells"},
    "holding.fct_table4 cells": {"zh": "表四单元格", "en": "fct_table4 cells"},
    "holding.fct_legacy figures": {"zh": "旧版统计数字", "en": "fct_legacy figures"},
    "holding.validation results": {"zh": "规则检查结果", "en": "validation results"},
    # ---- ogi review / quality / correct / accept / reprocess
    "col.document": {"zh": "文档", "en": "document"},
    "col.file": {"zh": "文件名", "en": "file"},
    "col.agency": {"zh": "机构", "en": "agency"},
    "col.year": {"zh": "年度", "en": "year"},
    "col.failures": {"zh": "未通过的规则", "en": "failures"},
    "col.rule": {"zh": "规则", "en": "rule"},
    "col.severity": {"zh": "级别", "en": "severity"},
    "col.fail": {"zh": "不成立", "en": "fail"},
    "col.not_assessable": {"zh": "无法判断", "en": "not_assessable"},
    "col.status": {"zh": "状态", "en": "status"},
    "col.failing_instances": {"zh": "不成立的实例", "en": "failing_instances"},
    "severity.blocking": {"zh": "阻断", "en": "blocking"},
    "severity.warning": {"zh": "警告", "en": "warning"},
    "review.count": {"zh": "（共 {n} 份已隔离）", "en": "({n} quarantined)"},
    "review.hint_correct": {
        "zh": '更正印错的数值：  ogi correct DOC table3.granted.total=5 --reason "原因"',
        "en": 'correct a printed value:  ogi correct DOC table3.granted.total=5 --reason "..."',
    },
    "review.hint_accept": {
        "zh": '按原文接受：      ogi accept DOC --reason "原因"',
        "en": 'accept the source as is:  ogi accept DOC --reason "..."',
    },
    "review.page_written": {"zh": "审核页面已写入：{path}", "en": "review page written: {path}"},
    "rows": {"zh": "（{n} 行）", "en": "({n} rows)"},
    "quality.docs": {"zh": "GX 数据文档：{path}", "en": "GX Data Docs: {path}"},
    "quality.no_docs": {
        "zh": "GX 数据文档：尚未生成（`ogi quality --docs` 可生成）",
        "en": "GX Data Docs: none yet (`ogi quality --docs` builds them)",
    },
    "quality.docs_online": {
        "zh": "（GX 数据文档的样式和脚本从网络 CDN 加载，断网时——如在政务内网——页面无样式、内容空白；"
        "离线审核请用本项目的审核页面 `ogi review --html PATH`，单个文件，不联网即可打开）",
        "en": "(GX Data Docs load their styles and scripts from CDNs: offline, e.g. on a government intranet, "
        "the page is unstyled and empty; the offline review page is this project's own, `ogi review --html PATH`, "
        "one file that opens without network)",
    },
    "quality.rebuilt": {"zh": "已为 {n} 份报告重建 GX 数据文档", "en": "GX Data Docs rebuilt for {n} reports"},
    "outcome.line": {"zh": "{name}：{old} → {new}{why}", "en": "{name}: {old} → {new}{why}"},
    "reprocess.start": {
        "zh": "正在用提取器 {version} 重新提取所有已暂存的文件…",
        "en": "re-extracting every staged document with extractor {version}…",
    },
    "reprocess.done": {
        "zh": "已重新提取并检查 {total} 份文件；{changed} 份有变化",
        "en": "{total} documents re-extracted and re-gated; {changed} changed",
    },
    "reprocess.change": {
        "zh": "  {name}：{old} → {new}，{cells} 个单元格有变化",
        "en": "  {name}: {old} → {new}, {cells} cells changed",
    },
    # tasks/review.py's ReviewError
    "review.no_match": {
        "zh": "没有与「{ref}」匹配的文件（请给出 sha256、其前缀或文件名）",
        "en": "no document matches '{ref}' (give its sha256, a prefix of it, or its file name)",
    },
    "review.ambiguous": {"zh": "「{ref}」匹配多份文件：{names}", "en": "'{ref}' matches several documents: {names}"},
    "review.bad_assignment": {
        "zh": "「{item}」：应为 单元格=数值，例如 table3.granted.total=5 或 table4.review_total=11",
        "en": "'{item}': expected CELL=VALUE, e.g. table3.granted.total=5 or table4.review_total=11",
    },
    "review.not_a_cell": {
        "zh": "「{key}」不是这份报告的单元格（用 `ogi extract` 查看它的单元格）",
        "en": "'{key}' is not a cell of this report (see `ogi extract` for its cells)",
    },
    "review.not_a_number": {"zh": "「{item}」：数值必须是数字", "en": "'{item}': the value must be a number"},
    "review.needs_reason_correct": {"zh": "更正需要 --reason", "en": "a correction needs --reason"},
    "review.needs_reason_accept": {"zh": "接受需要 --reason", "en": "an acceptance needs --reason"},
    "review.nothing_to_accept": {
        "zh": "{name} 没有未通过的阻断性规则，无需接受",
        "en": "{name} fails no blocking rule; nothing to accept",
    },
    "review.no_tables": {
        "zh": "{name} 的状态是{status}：没有可审核的提取表格",
        "en": "{name} is {status}: there are no extracted tables to review",
    },
    # ---- the review page (tasks/review_page.py)
    "page.title": {"zh": "隔离报告审核", "en": "Quarantined reports: review"},
    "page.intro": {
        "zh": "以下报告未通过阻断性规则（勾稽关系），没有入库。请核对原文：若是印错，用 `ogi correct` 记录更正；"
        "若原文确实如此，用 `ogi accept` 按原文接受。每条命令都会记录操作人、时间和原因。",
        "en": "These reports fail a blocking rule (a statutory identity) and were not loaded. Check the source: "
        "if a value is misprinted, record the correction with `ogi correct`; if the source really says so, "
        "accept it as printed with `ogi accept`. Each command records who, when and why.",
    },
    "page.generated": {"zh": "数据仓库 {warehouse}，生成于 {when}", "en": "warehouse {warehouse}, written {when}"},
    "page.none": {"zh": "没有已隔离的报告。", "en": "No quarantined report."},
    "page.count": {"zh": "共 {n} 份已隔离的报告", "en": "{n} quarantined report(s)"},
    "page.file": {"zh": "文件名", "en": "file"},
    "page.agency": {"zh": "发布机构", "en": "agency"},
    "page.year": {"zh": "报告年度", "en": "report year"},
    "page.document": {"zh": "文档编号", "en": "document"},
    "page.reason": {"zh": "原因", "en": "reason"},
    "page.rule": {"zh": "规则", "en": "rule"},
    "page.cell": {"zh": "单元格", "en": "cell"},
    "page.value": {"zh": "印出的数值", "en": "printed value"},
    "page.position": {"zh": "原文位置", "en": "position in the source"},
    "page.side": {"zh": "等式一侧", "en": "side"},
    "page.side.lhs": {"zh": "左边", "en": "left"},
    "page.side.rhs": {"zh": "右边", "en": "right"},
    "page.blank": {"zh": "（空白）", "en": "(blank)"},
    "page.correct": {
        "zh": "若是印错：只保留印错的单元格，把数值改成正确的数值，再运行",
        "en": "If a value is misprinted: keep only the misprinted cells, set the right values, and run",
    },
    "page.accept": {"zh": "若原文确实如此：按原文接受", "en": "If the source really says so: accept it as printed"},
    "page.reason_placeholder": {"zh": "说明原因", "en": "why"},
    # ---- the Prefect server `ogi watch` and `ogi serve` need (flows/runtime/server.py)
    "server.none": {
        "zh": "没有配置 Prefect 服务器：{hint}{alternative}",
        "en": "no Prefect server configured: {hint}{alternative}",
    },
    "server.silent": {
        "zh": "{url} 上的 Prefect 服务器没有响应（{why}）；{hint}{alternative}",
        "en": "the Prefect server at {url} does not answer ({why}); {hint}{alternative}",
    },
    "server.hint": {
        "zh": "请用 `prefect server start --host 127.0.0.1` 启动一个，并设置 `export PREFECT_API_URL=http://127.0.0.1:4200/api`",
        "en": "start one with `prefect server start --host 127.0.0.1` and "
        "`export PREFECT_API_URL=http://127.0.0.1:4200/api`",
    },
    "server.alternative_local": {
        "zh": "；或用 --local 在本进程入库",
        "en": ", or run ingest in this process with --local",
    },
    "serve.serving": {
        "zh": "正在为 {warehouse} 接收 ogi.document.staged 事件并入库，"
        "提供 {deployments} 部署，服务器 {url}；按 Ctrl-C 停止",
        "en": "loading ogi.document.staged events into {warehouse}, serving {deployments}, "
        "against {url}; Ctrl-C to stop",
    },
    # ---- ogi consolidate
    "consolidate.key": {"zh": "汇总标识        {key}", "en": "consolidation   {key}"},
    "consolidate.summed": {
        "zh": "已汇总报告      {n}（上年：{prior}）",
        "en": "reports summed  {n} (year before: {prior})",
    },
    "consolidate.expected": {
        "zh": "应报机构        {n} 个：{basis}",
        "en": "expected        {n} agencies: {basis}",
    },
    "consolidate.reported": {
        "zh": "已报            {n}（按期 {on_time}，逾期 {late}；其余无发布日期或无期限）",
        "en": "reported        {n} (on time {on_time}, late {late}; the others have no publication date or deadline)",
    },
    "consolidate.missing": {"zh": "未报送          {n}", "en": "not reported    {n}"},
    "consolidate.quarantined": {
        "zh": "已隔离          {n} 份报告，均未汇总；{expected} 个应报机构只有已隔离的报告",
        "en": "quarantined     {n} report(s), never summed; {expected} expected agencies have only quarantined ones",
    },
    "consolidate.only_quarantined": {
        "zh": "                {n} 个机构本年度只有已隔离的报告",
        "en": "                {n} agencies have only quarantined reports for the year",
    },
    "consolidate.last_loaded": {"zh": "，最近入库报告 {year} 年度", "en": ", last loaded report {year}"},
    "consolidate.late": {"zh": "逾期", "en": "late"},
    "consolidate.late_line": {"zh": "{date} 发布，期限 {deadline}", "en": "published {date}, due {deadline}"},
    "consolidate.wrote": {"zh": "已写入          {path}", "en": "wrote           {path}"},
    "consolidate.in_warehouse": {"zh": "在数据仓库中    {query}", "en": "in the warehouse {query}"},
    "consolidate.open_items": {
        "zh": "整改事项        {n} 项未整改（见工作簿「整改事项」表）",
        "en": "rectification   {n} open item(s) (see the workbook's 整改事项 sheet)",
    },
    # ---- ogi rectify
    "rectify.count": {"zh": "（共 {n} 项）", "en": "({n} items)"},
    "rectify.notice": {"zh": "整改通知  {path}", "en": "notice  {path}"},
    "rectify.listing": {"zh": "整改清单  {path}", "en": "list    {path}"},
    "rectify.notices": {"zh": "（共 {n} 份通知）", "en": "({n} notices)"},
    "rectify.waived": {"zh": "整改项 {id}：已豁免（{reason}）", "en": "item {id}: waived ({reason})"},
    "rectify.closed": {"zh": "整改项 {id}：已办结", "en": "item {id}: closed"},
    "rectify.exported": {"zh": "已导出  {path}", "en": "wrote  {path}"},
    "rectify.roster_needs_year": {"zh": "名单（--roster）须与年度（--year）一起使用", "en": "--roster needs --year"},
    "rectify.unknown_status": {
        "zh": "未知状态 {status}：应为 {statuses}",
        "en": "unknown status {status}: one of {statuses}",
    },
    "rectify.no_item": {"zh": "没有整改项 {id}", "en": "no rectification item {id}"},
    "rectify.cannot_waive": {
        "zh": "整改项 {id} 状态为「{status}」（{status_en}），不能豁免（须为 {allowed}）",
        "en": "item {id} is {status_en} ({status}); waive needs {allowed}",
    },
    "rectify.cannot_close": {
        "zh": "整改项 {id} 状态为「{status}」（{status_en}），不能办结（须为 {allowed}）",
        "en": "item {id} is {status_en} ({status}); close needs {allowed}",
    },
    "rectify.waive_needs_reason": {"zh": "豁免须说明原因（--reason）", "en": "a waiver needs --reason"},
    # ---- ogi watch
    "watch.watching": {
        "zh": "正在监视 {folder}（{mode}）；按 Ctrl-C 停止",
        "en": "watching {folder} ({mode}); Ctrl-C to stop",
    },
    "watch.mode_local": {"zh": "在本进程入库到 {warehouse}", "en": "ingest here into {warehouse}"},
    "watch.mode_events": {
        "zh": "向 ogi serve 发送 ogi.document.staged 事件",
        "en": "ogi.document.staged events to ogi serve",
    },
    "watch.stopped": {"zh": "已停止，共暂存 {n} 个文件{left}", "en": "stopped after staging {n} file(s){left}"},
    "watch.left": {
        "zh": "；另有 {n} 个仍在写入的文件未暂存",
        "en": "; {n} file(s) still being written were not staged",
    },
    "watch.staged": {"zh": "已暂存  {name} → {doc}（已发送 {event}）", "en": "staged  {name} → {doc}  ({event} sent)"},
    "watch.follow_timeout": {
        "zh": "{name}：{s} 秒内未等到入库结果（在 Prefect 界面查看 ingest 部署的运行，"
        '或 ogi sql "select * from v_documents"）',
        "en": "{name}: no outcome within {s} s (see the ingest deployment's runs in the Prefect UI, "
        'or ogi sql "select * from v_documents")',
    },
    "watch.known_as": {"zh": "已在数据仓库中（{status}）", "en": "already in the warehouse ({status})"},
    "watch.run_failed": {"zh": "运行失败", "en": "run failed"},
    "watch.follow_failed": {
        "zh": "无法跟踪服务端的运行（{why}）；文件已发送，入库照常进行",
        "en": "cannot follow the served runs ({why}); the files were sent and are loaded regardless",
    },
    "watch.not_staged": {"zh": "{name}：未暂存（{why}）", "en": "{name}: not staged ({why})"},
    "watch.not_loaded": {
        "zh": "未入库：{names}（{why}）；文件仍在暂存区，之后运行 `ogi run INBOX` 即可入库",
        "en": "not loaded: {names} ({why}); they stay staged, `ogi run INBOX` loads them later",
    },
    # ---- ogi backfill
    "backfill.starting": {
        "zh": "{source} → {warehouse}，提取在{where}上运行（正在启动 Prefect…）",
        "en": "{source} → {warehouse}, extraction on {where} (starting Prefect…)",
    },
    "backfill.where_dask": {"zh": "Dask 集群 {address}", "en": "Dask at {address}"},
    "backfill.where_local": {"zh": "{n} 个进程的本地 Dask 集群", "en": "a local Dask cluster of {n} workers"},
    "backfill.where_thread": {"zh": "本机 {n} 个读取进程", "en": "{n} reader process(es) here"},
    "backfill.files": {
        "zh": "文件            {files}（{documents} 份文件：本次提取 {extracted}，库中已有 {known}）",
        "en": "files           {files} ({documents} documents: {extracted} extracted now, "
        "{known} already in the warehouse)",
    },
    "backfill.time": {
        "zh": "用时            {s} 秒，每秒 {rate} 个文件",
        "en": "time            {s} s, {rate} files/s",
    },
    "backfill.header_year": {"zh": "年度", "en": "year"},
    "backfill.header_other": {"zh": "其他", "en": "other"},
    "backfill.outside": {
        "zh": "{years} 以外：{year}：{counts}（也已暂存并记录，未计入上表）",
        "en": "outside {years}: {year}: {counts} (staged and recorded too, not counted above)",
    },
    "backfill.no_year": {
        "zh": "无报告年度：{counts}（无法读取或非年度报告）",
        "en": "no report year: {counts} (unreadable or not a report)",
    },
    "years.format": {
        "zh": "年份 {years!r}：应为 YYYY 或 YYYY-YYYY，例如 2019-2024",
        "en": "years {years!r}: expected YYYY or YYYY-YYYY, e.g. 2019-2024",
    },
    "years.order": {
        "zh": "年份 {years!r}：起始年份晚于结束年份",
        "en": "years {years!r}: the first year is after the last",
    },
    # ---- completeness of a consolidation (consolidations; every output and the terminal)
    "completeness.agencies_expected": {"zh": "应报", "en": "expected"},
    "completeness.agencies_reported": {"zh": "已报", "en": "reported"},
    "completeness.reported_on_time": {"zh": "按期", "en": "on time"},
    "completeness.reported_late": {"zh": "逾期", "en": "late"},
    "completeness.expected_quarantined": {"zh": "已报但被隔离", "en": "reported but quarantined"},
    "completeness.agencies_missing": {"zh": "未报", "en": "not reported"},
    "completeness.basis": {"zh": "应报依据", "en": "expected are"},
    "basis.roster": {
        "zh": "应报单位名单（第 {roster_id} 号，ogi roster list）",
        "en": "the roster (no. {roster_id}, ogi roster list)",
    },
    "basis.list": {"zh": "所给机构名单（--agencies）", "en": "the list given (--agencies)"},
    "basis.previous_years": {
        "zh": "前两年（{first}、{last} 年度）有现行报告的机构",
        "en": "agencies with a current report for {first} or {last}",
    },
    # ---- ogi roster
    "roster.imported": {
        "zh": "已导入名单第 {roster_id} 号：{year} 年度{region}，{n} 个单位",
        "en": "roster no. {roster_id} imported: {year}{region}, {n} units",
    },
    "roster.region": {"zh": "，区划 {region}", "en": ", region {region}"},
    "roster.matched": {
        "zh": "已匹配 {matched} 个（{methods}），未匹配 {unmatched} 个",
        "en": "{matched} matched ({methods}), {unmatched} unmatched",
    },
    "roster.method.exact": {"zh": "名称", "en": "name"},
    "roster.method.alias": {"zh": "别名", "en": "alias"},
    "roster.method.credit_code": {"zh": "信用代码", "en": "credit code"},
    "roster.method.division_name": {"zh": "区划+名称", "en": "division + name"},
    "roster.method.fuzzy": {"zh": "相近名称", "en": "similar name"},
    "roster.unmatched": {
        "zh": "未匹配到仓库中机构的单位（尚未入库，或报告上印的是另一个名称）：",
        "en": "units matched to no agency of the warehouse (not loaded yet, or printed under another name):",
    },
    "roster.unmatched_line": {"zh": "  第 {seq} 行  {name}{note}", "en": "  row {seq}  {name}{note}"},
    "roster.hint": {
        "zh": '处理：ogi agencies alias 机构编号 "名单上的名称" --reason "原因"，'
        "或改正名单后 ogi roster import FILE --replace",
        "en": 'resolve: ogi agencies alias AGENCY_ID "name as listed" --reason "...", or fix the roster and '
        "ogi roster import FILE --replace",
    },
    "roster.none": {
        "zh": "没有已导入的名单（ogi roster import FILE）",
        "en": "no roster imported (ogi roster import FILE)",
    },
    "roster.count": {"zh": "（共 {n} 个单位）", "en": "({n} units)"},
    "roster.col.roster": {"zh": "名单", "en": "roster"},
    "roster.col.year": {"zh": "年度", "en": "year"},
    "roster.col.region": {"zh": "区划", "en": "region"},
    "roster.col.row": {"zh": "行", "en": "row"},
    "roster.col.listed": {"zh": "名单上的名称", "en": "listed name"},
    "roster.col.agency_id": {"zh": "机构编号", "en": "agency_id"},
    "roster.col.agency": {"zh": "匹配的机构", "en": "matched agency"},
    "roster.col.method": {"zh": "匹配方式", "en": "match"},
    "roster.col.reported": {"zh": "已报", "en": "reported"},
    "roster.col.note": {"zh": "说明", "en": "note"},
    "yes": {"zh": "是", "en": "yes"},
    # ---- ogi export
    "export.wrote": {"zh": "已导出 {name:24} {rows:>8} 行  {path}", "en": "wrote {name:24} {rows:>8} rows  {path}"},
    "export.dictionary": {"zh": "数据字典        {path}", "en": "dictionary      {path}"},
}


def language(value: str | None = None) -> str:
    """The language asked for (an option's value), else $OGI_LANG, else Chinese."""
    chosen = (value or os.environ.get(ENV_LANG) or DEFAULT_LANG).strip().lower()
    return chosen if chosen in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, /, **fields: object) -> str:
    """The message `key` in `lang`, with its fields filled; an unknown key is an error (KeyError)."""
    text = MESSAGES[key][lang if lang in LANGS else DEFAULT_LANG]
    return text.format(**fields) if fields else text


def status_word(status: str | None, lang: str = DEFAULT_LANG) -> str:
    """'loaded' → 已入库; a status the catalogue does not know is shown as it is."""
    key = f"status.{status}"
    return t(key, lang) if key in MESSAGES else str(status)


def rule_message(message_zh: str | None, message_en: str | None, lang: str = DEFAULT_LANG) -> str:
    """A rule result's message (from expectations/rules.toml) in `lang`, else the other one."""
    first, other = (message_en, message_zh) if lang == "en" else (message_zh, message_en)
    return first or other or ""


_ACCEPTED = re.compile(r"^accepted as printed despite (.+?): (.*)$", re.S)


def reason_text(reason: str | None, lang: str = DEFAULT_LANG) -> str:
    """A reason the batch core wrote (in English, as stored in documents.status_reason) in `lang`:
    the reasons it composes are recognised; a reader's message about a file is shown as written."""
    if not reason or lang == "en":
        return reason or ""
    if reason.startswith("blocking rules failed: "):
        return t("reason.blocking", lang, rules=reason.removeprefix("blocking rules failed: "))
    if reason.startswith("metadata not found: "):
        fields = reason.removeprefix("metadata not found: ").split(", ")
        missing = "、".join(t(f"field.{f}", lang) if f"field.{f}" in MESSAGES else f for f in fields)
        return t("reason.metadata", lang, missing=missing)
    if m := _ACCEPTED.match(reason):
        return t("reason.accepted", lang, rules=m.group(1), why=m.group(2))
    if reason == "already in the warehouse":
        return t("reason.known", lang)
    return reason


COMPLETENESS = ("agencies_expected", "agencies_reported", "reported_on_time", "reported_late",
                "expected_quarantined", "agencies_missing")  # fmt: skip


def completeness(header: dict, lang: str = DEFAULT_LANG) -> list[tuple[str, int | None]]:
    """(label, count) of a stored consolidation's completeness (应报, 已报, 按期, 逾期, 已报但被隔离,
    未报): what every output and the terminal show, from the one place consolidate.sql stored it."""
    return [(t(f"completeness.{k}", lang), header.get(k)) for k in COMPLETENESS]


def expected_basis(header: dict, lang: str = DEFAULT_LANG) -> str:
    """Who a consolidation expected to report, in `lang`."""
    basis = header.get("expected_basis") or "previous_years"
    year = header.get("report_year") or 0
    return t(f"basis.{basis}", lang, roster_id=header.get("roster_id"), first=year - 2, last=year - 1)


def holding(what: str, lang: str = DEFAULT_LANG) -> str:
    """A line label of warehouse/queries/warehouse_summary.sql ('documents: loaded', 'agencies') in `lang`."""
    if what.startswith("documents: "):
        return t("holding.documents", lang, status=status_word(what.removeprefix("documents: "), lang))
    key = f"holding.{what}"
    return t(key, lang) if key in MESSAGES else what


__all__ = [
    "COMPLETENESS",
    "LANGS",
    "MESSAGES",
    "completeness",
    "expected_basis",
    "holding",
    "language",
    "reason_text",
    "rule_message",
    "status_word",
    "t",
]

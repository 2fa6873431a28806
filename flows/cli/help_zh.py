"""The Chinese `--help` of every command and option; the English is the docstrings and option helps.

COMMANDS: command path → help (first line: the summary `ogi --help` lists; paragraphs split by a
blank line; a paragraph opened by a `\\b` line is printed as it is). OPTIONS: "command path --flag"
→ help, or "--flag" alone for the options declared once in flows/cli/common.py and used alike
everywhere (a test checks that each command and option has one, and that a shared one is only used
where the English help is the shared one too). Plain data: flows/cli/help.py prints it.
"""

from __future__ import annotations

COMMANDS: dict[str, str] = {
    "ogi": (
        "政府信息公开工作年度报告：暂存、提取、校验、入库、查询。\n\n"
        "`ogi 命令 --help` 查看各命令的说明。数据仓库为 --warehouse PATH，未给出时为 $OGI_WAREHOUSE，"
        "再未给出时为 data/ogi.duckdb。帮助默认为中文；英文帮助用 OGI_LANG=en，或在 --help 之前加"
        " --lang en（如 `ogi run --lang en --help`）。命令行补全，例如在 ~/.bashrc 中加入：\n\n"
        '\b\n    eval "$(_OGI_COMPLETE=bash_source ogi)"   # zsh 用 zsh_source，fish 用 fish_source'
    ),
    "ogi extract": (
        "打印每份文件的规范记录（不用 Prefect，不用数据仓库）。\n\n"
        "FILE 为 .html/.htm、.txt、.md、.pdf 或 .docx 格式的报告。一个文件打印一个 JSON 对象，多个文件每行一个。"
        '无法读取的文件打印 {"status", "error"}，并在标准错误输出中用一行指明该文件，此时退出码为 1。'
    ),
    "ogi eval": (
        "按 DIR/truth/*.json 逐个单元格评估提取结果。\n\n"
        "每个标准答案文件指明其在 DIR（或 DIR/docs/，合成年度目录即如此）中对应的文件；准确率 = 正确的单元格数 / "
        "标准答案文件中的单元格数。不正确的单元格或为错误（数值与标准答案不同），或为缺失（没有或为空）；错误比缺失"
        "更严重。模板、年度和机构也一并比对。"
    ),
    "ogi run": (
        "主任务：对 INBOX 下的每个文件执行 暂存 → 提取 → 校验 → 入库。\n\n"
        "INBOX 为存放报告文件的文件夹（或单个文件）。在 Prefect 本地引擎上运行 `ingest` 流程；数据仓库中已有的文件"
        "会跳过，因此重复运行不会改变结果。本次运行有报告被隔离时，在数据仓库旁写出审核页面（review.html）。"
    ),
    "ogi sql": (
        "对数据仓库执行临时 SQL 查询：只读，只能访问数据仓库本身。\n\n"
        "不能访问文件（COPY、read_csv、glob…），不能加载扩展，不能使用 SET；有内存上限和超时。数据仓库正被入库"
        "进程占用时会如实说明（退出码 5）；查询有误时打印 DuckDB 报错的第一行（退出码 1）。"
    ),
    "ogi export": (
        "导出事实数据、文件、机构、规则检查结果和面板数据供研究使用，附数据字典。\n\n"
        "DIR 中每张表一个 Parquet 文件夹（按 report_year 分区；dim_agency 为单个文件），或每张表一个 CSV 文件；"
        "另有根据数据仓库列注释生成的 dictionary.md / dictionary.json。"
    ),
    "ogi quality": (
        "按机构和规则列出不成立和无法判断的规则检查；并给出 GX 数据文档的位置。\n\n"
        "离线可用的审核页面是 `ogi review --html PATH`。GX 数据文档的样式和脚本从网络（CDN）加载，断网时"
        "（如政务内网）页面无样式、内容空白。"
    ),
    "ogi review": (
        "列出已隔离的报告及其未通过的阻断性规则。\n\n"
        "加 --html PATH 时另写一个自包含的页面（不联网、无脚本），逐份列出报告未通过的规则（中文说明）、相关单元格"
        "印出的数值及其原文位置，以及处理所需的 `ogi correct` / `ogi accept` 命令。"
    ),
    "ogi correct": (
        "记录更正后的数值（更正人、时间、原因），重新校验，通过即入库。\n\n"
        "DOC 为 sha256、其 6 位以上的前缀，或报告收到时的文件名；CELL=VALUE 例如 table3.granted.total=5 "
        "table4.review_total=11。"
    ),
    "ogi accept": (
        "原文确有错误的报告按原文接受并入库，同时记录其不符合的规则。\n\n"
        "DOC 为 sha256、其 6 位以上的前缀，或报告收到时的文件名。"
    ),
    "ogi reprocess": "升级后重新提取、重新校验所有已暂存的文件，并报告有哪些变化。",
    "ogi watch": (
        "监视文件夹：暂存每个新文件并发出 ogi.document.staged 事件（加 --local 则在本进程入库）。\n\n"
        "INBOX 为要监视的文件夹（含子文件夹）。按 Ctrl-C 或收到 SIGTERM 时，处理完手头这一批再停止；再按一次"
        " Ctrl-C 立即停止。"
    ),
    "ogi serve": (
        "在 Prefect 服务器上提供 ingest、rectification-overdue、annual-consolidation 和 backfill 部署。\n\n"
        "需要 PREFECT_API_URL 指向一个有响应的服务器。已暂存的文件（`ogi watch` 发出的 ogi.document.staged 事件）"
        "一到即在本进程入库，每份打印一行；部署的定时运行和手动运行在子进程中执行。"
    ),
    "ogi consolidate": (
        "按区划或机构名单汇总某一年度的法定统计表；输出工作簿、Word、CSV 和 HTML 报告。\n\n"
        "不给 --region 或 --agencies 时汇总所有机构。--region 与 --agencies 不能同时使用。该年度或范围内没有"
        "已入库的报告时不予汇总（退出码 2）。"
    ),
    "ogi backfill": (
        "补录一个文件夹树中的历史报告：可断点续做，并行提取。\n\n"
        "SRC 为存放报告文件的文件夹树；数据仓库中已有的文件会跳过，因此中断后再运行会从停下处继续。--workers 与"
        " --dask-address 不能同时使用。"
    ),
    "ogi agencies": (
        "跨更名和地名前缀识别机构，并对规则无法判定的情形作人工认定。\n\n"
        "人工认定记在一个 TOML 文件中（数据仓库旁的 agencies.toml），每次运行和重新处理时都会应用。"
    ),
    "ogi agencies list": "列出所有机构：编号、最新名称、区划、层级、类别、上级、年度、名称和文件。",
    "ogi agencies show": "查看一个机构：识别它的依据、它印出过的每个名称及其报告。",
    "ogi agencies merge": "ID 与 OTHER 是同一机构（例如部门更名）：此后只用一个编号（较小的那个）。",
    "ogi agencies split": "机构 ID 名下印有 NAME 的文件属于另一个机构。",
    "ogi agencies alias": "印有 NAME 的文件属于机构 ID（本次及以后每次运行）。",
    "ogi roster": (
        "某年度、某区划的应报单位名单，与机构匹配。\n\n"
        "有该年度和区划的名单时，完整性统计（ogi consolidate）以名单为准；`ogi rectify list --year Y` 为名单上"
        "每个没有报告的单位立一项 MISSING（未报送）整改事项。"
    ),
    "ogi roster import": (
        "导入应报单位名单（xlsx 或 csv），将其中的单位与机构匹配，并列出未匹配的单位。\n\n"
        "按表头识别各列：单位名称 或 名称（必填）；可选 区划代码、统一社会信用代码、类别（部门/政府）和 上级。"
    ),
    "ogi roster list": "名单上的单位：各自匹配到的机构、匹配方式，以及是否已报送（未匹配的在前）。",
    "ogi rectify": (
        "整改：发现的问题立为整改事项，向机构发出整改通知，报告改正后即为已整改。\n\n"
        "每次入库后（以及运行 `ogi rectify list` 时），根据不成立的阻断性规则（包括按原文接受的报告）以及"
        " W_TEMPLATE_OUTDATED、W_LATE 和 W_PROSE_TABLE 立项；同一机构同一年度有更新的现行报告时自动复核。"
    ),
    "ogi rectify list": "整改事项：机构、年度、问题、状态和整改期限（列出前先立项并复核）。",
    "ogi rectify notify": "为每个机构的未整改事项写一份中文整改通知（DOCX），并写出本办的整改清单（xlsx）。",
    "ogi rectify waive": "本办不再追究整改项 ID：已豁免，并记录操作人、时间和原因。",
    "ogi rectify close": "将已整改或已豁免的整改项 ID 办结归档：已办结。",
    "ogi rectify export": (
        "把整改事项及其操作记录写成 CSV 文件（rectification_items.csv、rectification_events.csv）。"
    ),
}

_OVERRIDES = "机构认定文件（默认：$OGI_AGENCY_OVERRIDES，或数据仓库旁的 agencies.toml）。"
_WHY = "原因（与操作人、时间一并记录）。"
_ROSTER = (
    "应报机构名单（全称，每行一个；与 --year 一起使用）：没有报告的机构立一项 MISSING（未报送）事项。"
    "不给时，--year 按该年度已导入的应报单位名单（ogi roster import）立项。"
)

OPTIONS: dict[str, str] = {
    # ---- declared once in flows/cli/common.py (and click's --help)
    "--help": "显示本帮助并退出。",
    "--version": "打印版本号并退出。",
    "--warehouse": "DuckDB 数据仓库文件（默认：$OGI_WAREHOUSE 或 data/ogi.duckdb）",
    "--lang": "消息、表头和原因的语言：zh（默认）或 en；也可用 $OGI_LANG。",
    "--verbose": "在此显示 Prefect 自身的日志（否则写入数据仓库旁的 logs/prefect.log）。",
    "--strict": "有文件被隔离时退出码为 3，有文件被拒收或跳过时为 4（供脚本使用）。",
    "--format": "table：供人阅读；json：同样的数据，供程序读取。",
    # ---- one command's own
    "ogi extract --json": "每行一个 JSON 对象（默认：只有一个文件时分行缩进）。",
    "ogi eval --verbose": "列出每个错误的单元格。",
    "ogi sql --format": "table：供人阅读；csv 或 json：同样的数据，供程序读取。",
    "ogi sql --memory-limit": "本次查询的 DuckDB 内存上限。",
    "ogi sql --timeout": "超过多少秒即停止查询。",
    "ogi export --year": "只导出该年度的报告。",
    "ogi export --format": "parquet（每张表一个文件夹，按年度分区）或 csv（每张表一个文件）。",
    "ogi quality --year": "只看该年度的报告。",
    "ogi quality --agency": "只看名称包含该文字的机构。",
    "ogi quality --docs": "先重建（--year 年度的）GX 数据文档（其样式和脚本需联网加载）。",
    "ogi quality --open": "在浏览器中打开 GX 数据文档。",
    "ogi review --html": "同时把审核页面（单个离线 HTML 文件）写到这里。",
    "ogi correct --reason": "原文数值错误的原因。",
    "ogi correct --by": "更正人（默认：当前用户）。",
    "ogi accept --reason": "报告虽未通过校验仍予接受的原因。",
    "ogi accept --by": "接受人（默认：当前用户）。",
    "ogi watch --local": "不用 Prefect 服务器：每到一个文件就在本进程运行 ingest。",
    "ogi watch --existing": "启动时也处理 INBOX 中已有的文件。",
    "ogi watch --settle": "文件大小在这么多秒内不再变化才接收（默认 1）。",
    "ogi watch --wait": "服务模式：每个文件的运行最多跟踪这么多秒，并打印入库结果（默认 300；0：只发送）。",
    "ogi serve --poll": "每隔多少秒查看一次有无待启动的运行（默认 2）。",
    "ogi consolidate --year": "报告所属年度，例如 2023。",
    "ogi consolidate --region": "机构的区划代码前缀，例如 4303。",
    "ogi consolidate --agencies": "应报机构名单：每行一个全称。",
    "ogi consolidate --kind": "只汇总部门（department）或政府（government）的报告。",
    "ogi consolidate --out": "输出位置（默认：数据仓库旁的 consolidations/<范围>/）。",
    "ogi backfill --years": "汇总统计的年度（默认 2019-2024）；其他年度的报告也会暂存和入库，另行列出。",
    "ogi backfill --workers": "在 N 个进程的本地 Dask 集群上提取。",
    "ogi backfill --dask-address": "在已有的 Dask 集群上提取。",
    "ogi backfill --batch-size": "每批的文件数（一次校验、一个入库事务）。",
    "ogi backfill --tasks-per-batch": (
        "每批的提取任务数（默认：本地每个进程 2 个，集群上 16 个，不用 Dask 时 1 个）。"
    ),
    "ogi agencies list --name": "只列出印过的名称中包含该文字的机构。",
    "ogi agencies merge --reason": _WHY,
    "ogi agencies merge --overrides": _OVERRIDES,
    "ogi agencies split --name": "所印名称：印有该名称的文件单独作为一个机构。",
    "ogi agencies split --reason": _WHY,
    "ogi agencies split --overrides": _OVERRIDES,
    "ogi agencies alias --reason": _WHY,
    "ogi agencies alias --overrides": _OVERRIDES,
    "ogi roster import --year": "各单位报告所属的年度（默认：北京时间的上一年）。",
    "ogi roster import --region": "该名单所属区划的代码前缀，与 consolidate --region 相同。",
    "ogi roster import --replace": "替换该年度和区划已导入的名单。",
    "ogi roster import --overrides": _OVERRIDES,
    "ogi roster list --year": "只看该年度的名单。",
    "ogi roster list --region": "只看该区划（区划代码前缀）的名单。",
    "ogi rectify list --year": "只看该年度报告的事项。",
    "ogi rectify list --agency": "只看该机构：机构编号，或名称中包含的文字。",
    "ogi rectify list --status": (
        "只看该状态的事项（open 待整改、notified 已通知、corrected 已整改、waived 已豁免、closed 已办结）。"
    ),
    "ogi rectify list --format": "table：供人阅读；csv 或 json：同样的数据，供程序读取。",
    "ogi rectify list --roster": _ROSTER,
    "ogi rectify notify --year": "只看该年度报告的事项。",
    "ogi rectify notify --out": "存放通知的文件夹。",
    "ogi rectify notify --roster": _ROSTER,
    "ogi rectify waive --reason": _WHY,
    "ogi rectify close --reason": "与操作人、时间一并记录的备注（默认：办结归档）。",
    "ogi rectify export --year": "只导出该年度报告的事项。",
}


def flag(opts: list[str]) -> str:
    """The name an option is keyed by: its first long flag (`--verbose` of `-v, --verbose`)."""
    return next((o for o in opts if o.startswith("--")), opts[0])


def command_help(path: str) -> str | None:
    return COMMANDS.get(path)


def option_help(path: str, opts: list[str]) -> str | None:
    """The option's own Chinese help on this command, else the shared one."""
    name = flag(opts)
    return OPTIONS.get(f"{path} {name}", OPTIONS.get(name))

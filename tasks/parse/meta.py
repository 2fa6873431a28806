"""Report metadata: agency, report year (the year reported on), dates, identifiers, division."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_YEAR_TITLE = re.compile(
    r"(\d{4})\s*年\s*度?\s*([^\d。；;\n]{0,40}?)\s*(?:政府信息公开|政务公开|信息公开)[^。；;]{0,8}?报告"
)
_PERIOD = re.compile(r"统计(?:期限|时限|时间|周期|区间)[^\d。]{0,10}(\d{4})\s*年")
# Endings only an administrative unit's name has (the government of a place, its offices,
# commissions, bureaus, and the places below the division table: 镇, 乡, 街道, a 实验区).
_UNIT = (
    "人民政府",
    "政府",
    "办公厅",
    "办公室",
    "委员会",
    "管委会",
    "办事处",
    "实验区",
    "街道",
    "局",
    "委",
    "厅",
    "署",
    "办",
    "部",
    "镇",
    "乡",
)
# Endings page chrome has too (数据服务中心, 帮助中心, 此处, 本站, 场所, 座谈会): an agency only when its
# name also names a known division (金华市金东区行政服务中心, 上海市大数据中心).
_UNIT_WITH_PLACE = ("中心", "院", "处", "站", "队", "所", "馆", "会")
_SUFFIX = _UNIT + _UNIT_WITH_PLACE
_NOT_UNIT = re.compile(r"(全部|顶部|底部|头部|尾部|内部|外部|局部)$")  # words that end like 部 or 局
_FIELD = re.compile(r"(?:发布机构|发布单位|填报单位|信息来源|来源单位|单位)\s*[:：|]\s*([^\s|:：]{2,40})")
_DATE_FIELD = re.compile(
    r"(?:发布时间|发布日期|公开日期|成文日期|印发日期|生成日期|日期)\s*[:：|]?\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})"
)
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_INDEX = re.compile(r"索引号\s*[:：|]?\s*([0-9A-Za-z][0-9A-Za-z/\-_.]{5,60})")
_USCC = re.compile(r"(?<![0-9A-Z])([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10})(?![0-9A-Z])")
_LEAD = re.compile(r"^.*?(?:标题|名称|公布|发布|现将|关于|印发|我们|特向社会)[:：]?\s*")
_PROSE_FIGURES = {
    "requests_received": re.compile(r"(?:收到|受理|新收)[^。；，,]{0,16}?申请[^。；，,\d]{0,6}?(\d+)\s*[件条个]"),
    "reviews": re.compile(r"行政复议[^。；，,\d]{0,8}?(\d+)\s*[件起个次]"),
    "lawsuits": re.compile(r"行政诉讼[^。；，,\d]{0,8}?(\d+)\s*[件起个次]"),
    "requests_completed": re.compile(r"(?:答复总数|办结)[^。；，,\d]{0,6}?(\d+)\s*[件条个]"),
    "proactive_items": re.compile(r"主动公开[^。；，,\d]{0,12}?(\d+)\s*[条件]"),
}


@dataclass(frozen=True)
class Meta:
    agency: str | None
    report_year: int | None
    publication_date: str | None
    index_number: str | None
    credit_code: str | None
    division_code: str | None
    province: str | None
    county: str | None
    level: str | None
    kind: str | None
    key: str | None  # the same agency across years and spellings: division + name without places
    prose_figures: dict[str, list[int]]
    sources: dict[str, str]


# Words of a site's page chrome (navigation, breadcrumbs, columns): never part of an agency's name.
_NAV = re.compile(r"栏目|首页|当前位置|您的位置|信息公开目录|专栏|导航|网站|频道|主页|浏览|打印|关闭|返回|字号")


def _clean_agency(name: str) -> str | None:
    """The name if it looks like an agency: an administrative unit's suffix (局, 委员会, 办公室,
    人民政府, 街道办事处…), or a suffix page chrome shares (中心, 院, 处…) after a known division's
    name; and no navigation word of the page around the report. None sends the caller to its next
    source (title, heading, signature, publisher field)."""
    from tasks.parse.divisions import names_a_division

    name = _LEAD.sub("", name.strip(" 《》“”\"'()（）:：-—|"))
    name = re.sub(r"^(本|我)", "", name)
    name = name.strip(" 《》“”\"'()（）:：-—|")
    if len(name) < 3 or _NAV.search(name) or _NOT_UNIT.search(name):
        return None
    if name.endswith(_UNIT) or (name.endswith(_UNIT_WITH_PLACE) and names_a_division(name)):
        return name
    return None


_CRAWLER_LINE = re.compile(r"^\s*([\u4e00-\u9fff]{2,6}|title)\s*[:：|]", re.IGNORECASE)  # "标题: …", "本地目录: …"


def _title_candidates(text: str, title: str | None) -> list[tuple[int, str | None, str]]:
    """(year, agency, where) for every 'YYYY年…政府信息公开…报告' phrase.

    The report's own heading in the body ranks first, then the page <title>, then a crawler's
    "标题:" header line (crawlers copy the page title, which may differ from the heading).
    """
    ranked: list[tuple[int, int, str | None, str]] = []
    for where, s in (("text", text[:6000]), ("title", title or "")):
        s = unicodedata.normalize("NFKC", s)
        for m in _YEAR_TITLE.finditer(s):
            year = int(m.group(1))
            after = _clean_agency(m.group(2))
            run = re.search(r"[\u4e00-\u9fff（）()·]*$", s[max(0, m.start() - 40) : m.start()].rstrip())
            before = _clean_agency(run.group() if run else "")
            line = s[s.rfind("\n", 0, m.start()) + 1 : m.start()]
            chrome = re.match(r"\s*[（(]?(来源|时间|发布|日期|字号|字体|浏览|点击)", s[m.end() : m.end() + 12])
            crawler = _CRAWLER_LINE.match(line) and len(line) < 80
            rank = 2 if crawler else (1 if where == "title" or chrome else 0)
            ranked.append((rank, len(ranked), year, before or after, where))
    return [(year, agency, where) for _, _, year, agency, where in sorted(ranked)]


def _signature(lines: list[str]) -> str | None:
    """The signing agency: a short line ending like an agency name near a date at the end."""
    tail = [ln.strip() for ln in lines[-40:] if ln.strip()]
    for i in range(len(tail) - 1, -1, -1):
        line = tail[i]
        if len(line) > 30 or not line.endswith(_SUFFIX) or re.search(r"[。，,：:]", line):
            continue
        nxt = " ".join(tail[i + 1 : i + 3])
        if re.search(r"\d{4}\s*年|\d{6,8}|\d{4}-\d{1,2}-\d{1,2}", nxt) and (name := _clean_agency(line)):
            return name  # a line that does not qualify (a footer's 某某科技有限公司) is passed over
    return None


def _level_and_kind(name: str | None) -> tuple[str | None, str | None]:
    if not name:
        return None, None
    if re.search(r"(镇|乡|街道)(人民政府|办事处)?$|街道办事处$", name):
        level = "township"
    elif re.match(r"(北京|上海|天津|重庆)市", name) and not re.search(r"[区县]", name):
        level = "province"  # the four municipalities directly under the central government
    elif re.search(r"^(国务院|国家|中华人民共和国)|部$", name):
        level = "ministry"
    elif re.search(r"(省|自治区)(人民政府)?(办公厅)?$", name) or re.search(r"^[^市县区]{2,8}(省|自治区)[^市]*$", name):
        level = "province"
    elif re.search(r"(县|区|旗)", name):
        level = "county"
    elif "市" in name:
        level = "city"
    else:
        level = None
    kind = "government" if re.search(r"(人民政府|政府办公厅|政府办公室|管委会|办事处)$", name) else "department"
    return level, kind


def prose_figures(text: str) -> dict[str, list[int]]:
    """Figures the prose quotes (收到申请N件, 行政复议N件…), kept for a prose-vs-table check."""
    out: dict[str, list[int]] = {}
    for key, pattern in _PROSE_FIGURES.items():
        nums = [int(m.group(1)) for m in pattern.finditer(text)]
        if nums:
            out[key] = nums[:10]
    return out


def extract_meta(text: str, title: str | None) -> Meta:
    """Agency, year, dates and codes of a report, each with where in the text it came from."""
    lines = text.splitlines()
    sources: dict[str, str] = {}  # filled in this order: the record keeps it
    year, agency = _year_and_agency(text, lines, title, sources)
    pub = _publication_date(text, lines, sources)
    if year is None and pub:
        year = int(pub[:4]) - 1
        sources["report_year"] = "publication year − 1 (no title or statistics period found)"
    m = _INDEX.search(text)
    index = m.group(1) if m else None
    uscc = _credit_code(text)
    division = _division_code(uscc, index, agency, year, sources)
    division, province, county = _place(division, year)
    level, kind = _level_and_kind(agency)
    return Meta(
        agency=agency,
        report_year=year,
        publication_date=pub,
        index_number=index,
        credit_code=uscc,
        division_code=division,
        province=province,
        county=county,
        level=level,
        kind=kind,
        key=_agency_key(agency, division),
        prose_figures=prose_figures(text),
        sources=sources,
    )


def _year_and_agency(
    text: str, lines: list[str], title: str | None, sources: dict[str, str]
) -> tuple[int | None, str | None]:
    """The report year and the agency: from the title phrase, else the statistics period, the
    signature (preferred when it names the title's agency more fully) or the publisher field."""
    year = agency = None
    cands = _title_candidates(text, title)
    if cands:
        year, agency, where = cands[0]
        sources["report_year"] = f"{where}: title phrase"
        if agency is None:
            agency = next((a for _, a, _ in cands if a), None)
        if agency:
            sources["agency"] = f"{where}: title phrase"
    if year is None:
        m = _PERIOD.search(text)
        if m:
            year = int(m.group(1))
            sources["report_year"] = "statistics period"
    sig = _signature(lines)
    if sig and (agency is None or (agency in sig and len(sig) > len(agency))):
        agency = sig
        sources["agency"] = "signature"
    if agency is None:
        m = _FIELD.search(text)
        if m:
            agency = _clean_agency(m.group(1))
            if agency:
                sources["agency"] = "publisher field"
    return year, agency


def _publication_date(text: str, lines: list[str], sources: dict[str, str]) -> str | None:
    """The ISO publication date: a date field, else the last date near the signature."""
    m = _DATE_FIELD.search(text)
    if m:
        sources["publication_date"] = "date field"
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    dates = [d for d in _DATE.finditer("\n".join(lines[-15:]))]
    if dates:
        y, mo, d = (int(x) for x in dates[-1].groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            sources["publication_date"] = "signature date"
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _credit_code(text: str) -> str | None:
    """The first valid unified social credit code near the top of the report."""
    from stdnum.cn import uscc as uscc_mod

    for m in _USCC.finditer(text[:5000]):
        if uscc_mod.is_valid(m.group(1)):
            return m.group(1)
    return None


def _division_code(
    uscc: str | None, index: str | None, agency: str | None, year: int | None, sources: dict[str, str]
) -> str | None:
    """The most specific six-digit division code consistent with all the evidence: the credit code,
    then the agency's name resolved in the division table valid in the report year, then the 索引号
    prefix. A later source only narrows an earlier one down (a code inside it); one outside it is
    ignored. So 湘乡市信访局 with 索引号 4303… is 430381 (湘乡市), not 430300 (湘潭市)."""
    from tasks.parse.divisions import division_from_name, narrower

    evidence: list[tuple[str, str]] = []
    if uscc:
        evidence.append((uscc[2:8], "unified social credit code"))
    if agency and (named := division_from_name(agency, year)):
        evidence.append((named, "division named in the agency name"))
    if index and re.match(r"^\d{6}", index):
        evidence.append((index[:6], "索引号 prefix"))
    chosen: tuple[str, str] | None = None
    for code, where in evidence:
        if chosen is None or narrower(code, chosen[0]):
            chosen = (code, where)
    if chosen is None:
        return None
    sources["division_code"] = chosen[1]
    return chosen[0]


def _place(division: str | None, year: int | None) -> tuple[str | None, str | None, str | None]:
    """(division, province, county); a code that names no known province is dropped."""
    if not division:
        return division, None, None
    from tasks.parse.divisions import names_of

    province, county = names_of(division, year)
    if province is None:
        return None, None, county
    return division, province, county


def _agency_key(agency: str | None, division: str | None) -> str | None:
    """The agency's identity across years: division code and local role, else its name."""
    if not agency:
        return None
    from tasks.parse.divisions import local_role

    return f"{division}/{local_role(agency)}" if division else agency

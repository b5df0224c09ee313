"""Page metadata (title, deck, dates, authors) from a parsed page: the one home of these rules.

Pure functions over an lxml tree (a parsel Selector's `.root` or `lxml.html.document_fromstring`),
used by every site spider (after its own selectors) and by the generic extractor. Sources, best
first: JSON-LD (`@type` string or list, `@graph`, nested), OpenGraph and `article:*` meta,
`dable:`/`aicon:` meta, portal markers (Naver, Daum), `<time datetime>`, and the visible
"입력 2019.07.26 14:21" / "기사입력 …" / "Written …" lines. Dates are ISO 8601 with an offset
(KST when the page gives none); authors are person names, never outlet or portal names.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

KST = dt.timezone(dt.timedelta(hours=9))

# ---------------------------------------------------------------------------------------------
# dates

_DATETIME_PARTS = re.compile(
    r"(?P<y>\d{4})\s*[./\-년]\s*(?P<m>\d{1,2})\s*[./\-월]\s*(?P<d>\d{1,2})(?!\d)\s*일?"
    r"(?:[^\d\n]{0,12}?(?P<ampm>오전|오후|AM|PM|am|pm)?\s*(?P<H>\d{1,2})\s*[:시]\s*(?P<M>\d{2})"
    r"(?:\s*:\s*(?P<S>\d{2}))?(?:\s*(?P<ampm2>AM|PM|am|pm))?)?"
)
# "20230921154452" (Daum's og:regDate and some CMS meta).
_COMPACT_DATETIME = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$")
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
# "August 20, 2019 09:31", "09:31 August 20, 2019", "Aug. 20, 2019"
_ENGLISH_DATE = re.compile(
    r"(?:(?P<H1>\d{1,2}):(?P<M1>\d{2})\s*(?P<ap1>[AaPp]\.?[Mm]\.?)?\s*,?\s*)?"
    r"(?:(?P<d0>\d{1,2})\s+)?(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+"
    r"(?:(?P<d>\d{1,2}),?\s+)?(?P<y>\d{4})"
    r"(?:[\s,\-–|]*(?:at\s+)?(?P<H2>\d{1,2}):(?P<M2>\d{2})(?::\d{2})?\s*(?P<ap2>[AaPp]\.?[Mm]\.?)?)?"
)
# The label in front of a visible publication time; modification labels are kept apart.
_PUBLISHED_LABEL = (
    r"(?:기사\s*)?(?:입력|등록|작성|게재|발행|송고|승인)(?:\s*(?:시간|일시|일자|일))?|Written|Posted|Published"
)
_MODIFIED_LABEL = r"(?:최종\s*)?(?:수정|업데이트|갱신)(?:\s*(?:시간|일시|일자|일))?|Updated|Modified"
_LABELLED_DATE = (
    r"\s*[:：]?\s*[\[(]?\s*(?:on\s+)?"
    r"(?P<when>\d{4}\s*[./\-년][^\n]{3,30}|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}[^\n]{0,12}|"
    r"\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4}[^\n]{0,12})"
)
_VISIBLE_PUBLISHED = re.compile(rf"(?:^|[\s\[(|·])(?:{_PUBLISHED_LABEL}){_LABELLED_DATE}")
_VISIBLE_MODIFIED = re.compile(rf"(?:^|[\s\[(|·])(?:{_MODIFIED_LABEL}){_LABELLED_DATE}")
# Wires write the label after the time: "2024-03-12 16:45 송고", "2024.03.12 오후 4:45 입력".
_VISIBLE_PUBLISHED_AFTER = re.compile(
    r"(?P<when>\d{4}[./\-]\s*\d{1,2}[./\-]\s*\d{1,2}\.?\s*(?:(?:오전|오후)\s*)?\d{1,2}:\d{2}(?::\d{2})?)"
    r"\s*(?:기사\s*)?(?:송고|입력|등록|작성|게재|발행)(?![가-힣])"
)


def _hour(hour: int, ampm: str | None) -> int:
    ampm = ampm.replace(".", "") if ampm else ampm
    if ampm and ampm.lower() in {"오후", "pm"} and hour < 12:
        return hour + 12
    if ampm and ampm.lower() in {"오전", "am"} and hour == 12:
        return 0
    return hour


def feed_datetime(text: str | None) -> str | None:
    """A feed date -> ISO 8601 in KST: RFC 822 (WordPress, most RSS), ISO 8601 (Digital Times' Google feeds)
    or ND-Soft's "YYYY-MM-DD HH:MM:SS" without a zone (KST)."""
    if not text or not text.strip():
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError):
        parsed = None
    if parsed is None:
        iso = parse_page_datetime(text)
        return dt.datetime.fromisoformat(iso).astimezone(KST).isoformat() if iso else None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=KST)
    return parsed.astimezone(KST).isoformat()


def utc_to_kst(value: Any) -> str | None:
    """A UTC time without an offset (WordPress' `date_gmt`, "2026-10-04T06:12:50") -> ISO 8601 in KST."""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(KST).isoformat()


def since_start(since: str | None) -> dt.datetime | None:
    """The first moment a `--since YYYY-MM-DD` keeps: that day's midnight in Korea (None: no limit)."""
    return dt.datetime.fromisoformat(since).replace(tzinfo=KST) if since else None


def published_before(published_at: str | None, start: dt.datetime | None) -> bool:
    """Whether an article published at `published_at` (ISO) is older than `start`; an undated one never is."""
    return bool(start and published_at and dt.datetime.fromisoformat(published_at) < start)


def parse_page_datetime(text: str | None) -> str | None:
    """A page's date text -> ISO 8601 with offset; times without an offset are KST."""
    if not text:
        return None
    text = " ".join(str(text).split())
    parsed: dt.datetime | None = None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    try:
        if parsed is None and (compact := _COMPACT_DATETIME.match(text)):
            parsed = dt.datetime(*(int(part or 0) for part in compact.groups()))
        if parsed is None and (match := _DATETIME_PARTS.search(text)):
            hour = _hour(int(match.group("H") or 0), match.group("ampm") or match.group("ampm2"))
            parsed = dt.datetime(
                int(match.group("y")),
                int(match.group("m")),
                int(match.group("d")),
                hour,
                int(match.group("M") or 0),
                int(match.group("S") or 0),
            )
        if parsed is None and re.match(r"^[A-Z][a-z]{2},\s+\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d", text):
            parsed = email.utils.parsedate_to_datetime(text)  # RFC 2822: "Fri, 26 Jul 2019 14:21:00 +0900"
        if parsed is None and (english := _ENGLISH_DATE.search(text)) and (english["d"] or english["d0"]):
            hour_text = english.group("H1") or english.group("H2")
            ampm = english.group("ap1") or english.group("ap2")
            parsed = dt.datetime(
                int(english.group("y")),
                _MONTHS[english.group("mon").lower()[:3]],
                int(english.group("d") or english.group("d0")),
                _hour(int(hour_text), ampm) if hour_text else 0,
                int(english.group("M1") or english.group("M2") or 0),
            )
    except (ValueError, TypeError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=KST)
    return parsed.isoformat()


def has_time_of_day(text: str | None) -> bool:
    """True when a date text carries an hour and minute (not only a day)."""
    if not text:
        return False
    return bool(re.search(r"\d{1,2}\s*[:시]\s*\d{2}", text) or _COMPACT_DATETIME.match(text.strip()))


# ---------------------------------------------------------------------------------------------
# authors

# Outlets and portals are credited in author fields ("이데일리 | 네이버", "뉴시스"); never people.
PORTAL_NAMES = frozenset({"네이버", "네이버뉴스", "다음", "다음뉴스", "카카오", "naver", "daum", "kakao"})
NEWS_AGENCY_NAMES = frozenset(
    {"연합뉴스", "뉴스1", "뉴시스", "연합", "yonhap", "newsis", "news1", "ap", "afp", "reuters", "로이터"}
)
# Endings of outlet names: a person's name (2-4 Hangul syllables) never ends like these.
_OUTLET_NAME = re.compile(
    r"(?:신문|일보|뉴스|데일리|타임스|타임즈|미디어|방송|통신|닷컴|경제|저널|투데이|코리아|비즈|프레스|포스트|"
    r"헤럴드|인사이트|매거진|위크|조선|티브이|TV|News|Times|Daily|Media|Agency|Press|Post|Journal)\d?$",
    re.IGNORECASE,
)
# Job titles and page furniture around names in bylines.
_ROLE_WORDS = (
    r"(?:인턴|수습|객원|선임|수석|전문|사진|영상|스포츠|경제|정치|취재|편집)?\s*"
    r"(?:기자|특파원|논설위원|논설실장|칼럼니스트|통신원|에디터|PD|앵커|리포터|작가|교수|위원)"
)
_BYLINE_FURNITURE = re.compile(
    r"기자\s*프로필|다른\s*기사\s*보기|기사\s*더\s*보기|구독(?:자|하기|중)?\s*\d*|응원수\s*\d*|기자명|글쓴이|"
    r"작성자|\b[Bb]y\b|입력\s*\S*|수정\s*\S*",
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "[서울=뉴시스]", "(서울=연합뉴스)": a dateline, not a name.
_DATELINE = re.compile(r"[\[(【][^\[\]()【】=]{0,20}=[^\[\]()【】]{0,20}[\])】]")
_HANGUL_NAME = re.compile(r"^[가-힣]{2,4}$")
_LATIN_NAME_PART = re.compile(r"^[A-Z][A-Za-z'.\-]*$")
_NAME_SEPARATORS = re.compile(r"\s*(?:[·ㆍ,/|&]|\s및\s|\sand\s)\s*|\s{2,}")
_ENGLISH_NOT_NAMES = frozenset(
    {"reporter", "correspondent", "editor", "writer", "staff", "columnist", "contributor", "news", "agency"}
)
_NOT_NAMES = frozenset({"기자", "입력", "수정", "사진", "영상", "글", "편집", "제공", "뉴스", "기사", "보기", "구독"})
# Desks that sign a story: "편집국", "디지털뉴스팀", "산업부" (a name like 김민국 ends in 국 too: desks by their stem).
_DESK_NAME = re.compile(
    r"^(?:편집|보도|뉴스|온라인|디지털|취재|산업|경제|정치|사회|국제|문화|생활|스포츠|연예|IT|과학|금융|증권|"
    r"부동산|유통|전국|지역|사진|영상|기획|특별)\S{0,4}(?:국|부|팀|센터|본부|데스크|룸)$"
)
# "워싱턴=홍길동 특파원", "글=홍길동": the place or label before "=" in an unbracketed byline.
_LABEL_BEFORE_EQUALS = re.compile(r"[^\s=\[\]()【】]{1,12}\s*=")


def _key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def is_outlet_name(name: str, site_names: Iterable[str] = ()) -> bool:
    """True for outlet and portal names ("이데일리", "뉴시스", "네이버", the page's own site name)."""
    key = _key(name)
    if not key:
        return True
    if key in PORTAL_NAMES or key in NEWS_AGENCY_NAMES or _OUTLET_NAME.search(name.strip()):
        return True
    return any(key == _key(site) or (len(key) >= 3 and key in _key(site)) for site in site_names if site)


def parse_authors(values: Iterable[str], site_names: Iterable[str] = ()) -> list[str]:
    """Byline fragments -> person names, in order, without repeats.

    "기자명 홍길동 기자", "김승환·이강진 기자", "이종현(bell@x.kr) 기자 프로필", "[서울=뉴시스] 홍길동 기자 =",
    "[이데일리 홍길동 기자]", "[디지털데일리 이종현기자]", "홍길동 칼럼니스트", "By John Doe". Outlet and
    portal names ("서울신문 | 네이버") and furniture ("다른기사 보기") give no name.
    """
    sites = list(site_names)
    names: list[str] = []
    for value in values:
        value = _DATELINE.sub(" ", str(value))
        value = _EMAIL.sub(" ", value)
        value = _BYLINE_FURNITURE.sub(" ", value)
        value = _LABEL_BEFORE_EQUALS.sub(" ", value)
        value = re.sub(r"[()\[\]<>【】{}=:\"'“”]", " ", value)
        # Free-standing titles first ("한경닷컴 객원기자"), then titles glued to a name ("이종현기자").
        value = re.sub(rf"(?<![가-힣A-Za-z]){_ROLE_WORDS}(?![가-힣])", " ", value)
        value = re.sub(rf"(?<=[가-힣]){_ROLE_WORDS}(?![가-힣])", " ", value)
        for part in _NAME_SEPARATORS.split(value):
            for name in _names_in(part.strip(" .-–—"), sites):
                if name not in names:
                    names.append(name)
    return names


def _names_in(part: str, site_names: list[str]) -> list[str]:
    words = [
        word for word in part.split() if word and not is_outlet_name(word, site_names) and not _DESK_NAME.match(word)
    ]
    if not words or len(part) > 40:
        return []
    if all(_LATIN_NAME_PART.match(word) for word in words) and 2 <= len(words) <= 4:
        if any(word.lower().strip(".") in _ENGLISH_NOT_NAMES for word in words):
            return []  # "Staff Reporter", "Yonhap News"
        return [" ".join(words)]  # "John Doe"
    # Korean bylines separate several names by spaces too: "홍길동 김철수 기자".
    return [word for word in words if _HANGUL_NAME.match(word) and word not in _NOT_NAMES]


# ---------------------------------------------------------------------------------------------
# titles

# Separators between a headline and the site name or breadcrumbs in <title> and og:title.
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:·>»/]\s+|\s*\|\s*|\s*::\s*|\s+<\s+")
_BREADCRUMB = re.compile(r"\s[>»›]\s")


def clean_title(title: str, site_names: Iterable[str] = ()) -> str:
    """Drop site suffixes and breadcrumbs: "제목 - IT조선 > 비즈 > 스타트업" -> "제목", "Headline | Yonhap"."""
    title = " ".join((title or "").split())
    sites = [site for site in site_names if site]
    while True:
        pieces = list(_TITLE_SEPARATOR.finditer(title))
        if not pieces:
            return title
        last = pieces[-1]
        head, tail = title[: last.start()].strip(), title[last.end() :].strip()
        # A breadcrumb trail after the site name: cut at the first separator before it.
        first = pieces[0]
        rest = title[first.end() :]
        if _BREADCRUMB.search(rest) and len(rest) <= 60 and len(title[: first.start()]) >= 8:
            return title[: first.start()].strip()
        if not head or len(head) < 8:
            return title
        if _is_site_label(tail, sites) or not tail:
            title = head
            continue
        return title


def _is_site_label(text: str, site_names: list[str]) -> bool:
    key = _key(text)
    if not key or len(text) > 40:
        return False
    for site in site_names:
        site_key = _key(site)
        if site_key and (key == site_key or (len(site_key) >= 3 and (site_key in key or key in site_key))):
            return True
    return bool(_OUTLET_NAME.search(text.strip())) and len(text.split()) <= 4


# ---------------------------------------------------------------------------------------------
# the tree


def meta_values(root: etree._Element) -> dict[str, str]:
    """<meta> contents by lower-cased property/name/itemprop; the first of each key wins."""
    values: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = " ".join((meta.get("content") or "").split())
        if key and content and key not in values:
            values[key] = content
    return values


_ARTICLE_TYPES = ("Article", "BlogPosting", "Report", "LiveBlogPosting")


def json_ld_articles(root: etree._Element) -> list[dict[str, Any]]:
    """Article objects of the page's JSON-LD: `@type` string or list, `@graph`, nested anywhere."""
    found: list[dict[str, Any]] = []

    def collect(node: object, depth: int = 0) -> None:
        if depth > 6:
            return
        if isinstance(node, list):
            for item in node:
                collect(item, depth + 1)
        elif isinstance(node, dict):
            kind = node.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and k.endswith(_ARTICLE_TYPES) for k in kinds):
                found.append(node)
            for key, value in node.items():
                if key not in {"author", "publisher", "image"} and isinstance(value, dict | list):
                    collect(value, depth + 1)

    for script in root.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            collect(json.loads(script.text))
        except ValueError:
            continue
    return found


def _ld_names(value: object) -> list[str]:
    """Names of a JSON-LD author/publisher value; organisations are left out when people are given."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            if str(item.get("@type", "")).lower() == "organization":
                continue
            name = item.get("name")
        else:
            name = item
        if isinstance(name, str) and name.strip() and not name.startswith("http"):
            names.append(name.strip())
    return names


def _ld_publisher_names(articles: list[dict[str, Any]]) -> list[str]:
    names = []
    for article in articles:
        for key in ("publisher", "sourceOrganization", "isPartOf"):
            items = article.get(key)
            for item in items if isinstance(items, list) else [items]:
                if isinstance(item, dict) and isinstance(item.get("name"), str):
                    names.append(item["name"])
        authors = article.get("author")
        for item in authors if isinstance(authors, list) else [authors]:
            if isinstance(item, dict) and str(item.get("@type", "")).lower() == "organization":
                names.append(str(item.get("name", "")))
    return names


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _class_xpath(*names: str) -> str:
    # The plain substring test first: it is cheap and false for almost every element, so the exact
    # class-token test (which builds a string per element) runs on a handful.
    return " or ".join(
        f"(contains(@class, '{name}') and contains(concat(' ', normalize-space(@class), ' '), ' {name} '))"
        for name in names
    )


# Portal and common CMS markers, tried in order (XPath over the whole page).
_PUBLISHED_MARKERS = (
    # Naver News (2022-): <span class="media_end_head_info_datestamp_time" data-date-time="…">
    "//*[@data-date-time][not(ancestor::*[" + _class_xpath("media_end_head_info_datestamp_bunch") + "]"
    "[contains(., '수정')][not(contains(., '입력'))])]/@data-date-time",
    # Naver News (-2021): <span class="t11">2021.10.04. 오후 4:26</span> after "기사입력"
    "//div[" + _class_xpath("sponsor") + "]//span[" + _class_xpath("t11") + "][1]",
    # Daum News: <span class="num_date"> inside the "입력" item
    "//*[" + _class_xpath("info_view") + "]//*[" + _class_xpath("txt_info") + "][contains(., '입력')]",
    "//time[@datetime][not(ancestor::*[" + _class_xpath("related", "comment", "comments") + "])]/@datetime",
    "//*[@itemprop='datePublished']/@content",
    "//*[@itemprop='datePublished']",
)
_MODIFIED_MARKERS = ("//*[@data-modify-date-time]/@data-modify-date-time",)
_AUTHOR_MARKERS = (
    # Naver News (2022-)
    "//*[" + _class_xpath("media_end_head_journalist_name") + "]",
    # Naver News (-2021)
    "//*[@id='articleBodyContents' or @id='articeBody']/following::*[" + _class_xpath("byline") + "][1]//p",
    "//*[" + _class_xpath("journalistcard_summary_name") + "]",
    # Daum News: the first txt_info of the info line is the byline ("홍길동 기자"), the next the time.
    "//*[" + _class_xpath("info_view") + "]//*[" + _class_xpath("txt_info") + "][not(contains(., '입력'))]",
    "//*[@itemprop='author']//*[@itemprop='name']",
    "//*[@rel='author']",
    "//*[" + _class_xpath("byline", "article-byline", "writer", "reporter", "author-name", "name-reporter") + "]",
)
_SUBTITLE_MARKERS = (
    "//*[" + _class_xpath("media_end_summary") + "]",
    "//*[" + _class_xpath("subtitle", "sub_title", "subheading", "article-subtitle", "deck", "sub-tit") + "]",
)
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "og:regdate",
    "datepublished",
    "dable:published_time",
    "aicon:published_time",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "dc.date",
    "date",
    "parsely-pub-date",
    "sailthru.date",
)
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dable:modified_time")
_AUTHOR_META = (
    "dable:author",
    "aicon:author",
    "article:author",
    "og:article:author",
    "author",
    "byl",
    "parsely-author",
    "sailthru.author",
)
_SITE_NAME_META = (
    "og:site_name",
    "application-name",
    "twitter:site",
    "twitter:creator",
    "copyright",
    "publisher",
    "me2:category1",
    "dable:item_site",
)
# The visible page text is scanned for "입력 …" only this far: the article head is near the top.
VISIBLE_DATE_SCAN_CHARS = 60_000


@dataclass(slots=True)
class PageMetadata:
    """What a page says about its article, each field from the best source that has it."""

    title: str = ""
    subtitle: str = ""
    section: str = ""
    published_at: str | None = None
    modified_at: str | None = None
    authors: list[str] = field(default_factory=list)
    site_names: list[str] = field(default_factory=list)  # the outlet (and portal) names the page gives


def site_names(root: etree._Element, url: str = "", meta: dict[str, str] | None = None) -> list[str]:
    """Names the page gives its own site (og:site_name, publisher, host label): never authors."""
    meta = meta if meta is not None else meta_values(root)
    names = [meta[key].lstrip("@") for key in _SITE_NAME_META if meta.get(key)]
    names.extend(_ld_publisher_names(json_ld_articles(root)))
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    labels = [label for label in host.split(".") if len(label) >= 4 and label not in {"news", "co", "com", "net"}]
    names.extend(labels[:1])
    return list(dict.fromkeys(name for name in names if name))


def visible_lines(root: etree._Element, limit: int = VISIBLE_DATE_SCAN_CHARS) -> Iterator[str]:
    """Visible text of the page, one block-level line at a time, up to `limit` characters."""
    body = root.find(".//body")
    seen = 0
    buffer: list[str] = []
    for node in (body if body is not None else root).iter():
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in {"script", "style", "noscript", "template", "head"}:
            continue
        if tag in {"p", "div", "li", "dd", "dt", "br", "tr", "h1", "h2", "h3", "h4", "section", "article", "ul"}:
            line = " ".join("".join(buffer).split())
            buffer = []
            if line:
                yield line
                seen += len(line)
                if seen > limit:
                    return
        if tag and node.text:
            # a space between elements: `<span>김 기자</span><span>입력 2024/02/20 14:05</span>` would read
            # "기자입력", and `<span>2024.02.20</span><span>14:05</span>` "2024.02.2014:05"
            buffer.append(" " + node.text)
        if node.tail:
            parent = node.getparent()
            parent_tag = parent.tag if parent is not None and isinstance(parent.tag, str) else ""
            if parent_tag not in {"script", "style", "noscript", "template"}:
                buffer.append(" " + node.tail)
    line = " ".join("".join(buffer).split())
    if line:
        yield line


def _first_datetime(candidates: Iterable[str | None]) -> str | None:
    """The first candidate with a time of day; else the first with a day only."""
    day_only: str | None = None
    for text in candidates:
        parsed = parse_page_datetime(text)
        if parsed is None:
            continue
        if has_time_of_day(text) or not parsed.endswith("T00:00:00+09:00"):
            if day_only is None or parsed[:10] == day_only[:10]:
                return parsed
            continue  # a time for another day is another event (an update, a related story)
        day_only = day_only or parsed
    return day_only


def _xpath_texts(root: etree._Element, queries: Iterable[str], limit: int = 3) -> list[str]:
    texts: list[str] = []
    for query in queries:
        for value in root.xpath(query)[:limit]:
            text = " ".join(value.split()) if isinstance(value, str) else _text(value)
            if text:
                texts.append(text)
    return texts


def published_at(root: etree._Element, meta: dict[str, str], ld: list[dict[str, Any]]) -> str | None:
    """Publication time: JSON-LD, article meta, portal markers, <time>, then the visible "입력 …" line."""

    def candidates() -> Iterator[str | None]:
        for article in ld:
            yield article.get("datePublished") if isinstance(article.get("datePublished"), str) else None
        for key in _PUBLISHED_META:
            yield meta.get(key)
        for query in _PUBLISHED_MARKERS:
            for value in root.xpath(query)[:1]:
                yield value if isinstance(value, str) else _text(value)
        for line in visible_lines(root):
            match = _VISIBLE_PUBLISHED.search(line) or _VISIBLE_PUBLISHED_AFTER.search(line)
            if match:
                yield match.group("when")

    return _first_datetime(candidates())


def modified_at(root: etree._Element, meta: dict[str, str], ld: list[dict[str, Any]]) -> str | None:
    def candidates() -> Iterator[str | None]:
        for article in ld:
            yield article.get("dateModified") if isinstance(article.get("dateModified"), str) else None
        for key in _MODIFIED_META:
            yield meta.get(key)
        for query in _MODIFIED_MARKERS:
            for value in root.xpath(query)[:1]:
                yield value if isinstance(value, str) else _text(value)

    return _first_datetime(candidates())


def authors(root: etree._Element, meta: dict[str, str], ld: list[dict[str, Any]], sites: list[str]) -> list[str]:
    """Person names from Korean CMS meta, JSON-LD, portal/byline markers, then generic author meta."""
    sources: tuple[Callable[[], list[str]], ...] = (
        lambda: [meta[key] for key in ("dable:author", "aicon:author") if meta.get(key)],
        lambda: [name for article in ld for name in _ld_names(article.get("author"))],
        lambda: _xpath_texts(root, _AUTHOR_MARKERS[:4]),
        lambda: _xpath_texts(root, _AUTHOR_MARKERS[4:], limit=2),
        lambda: [meta[key] for key in _AUTHOR_META[2:] if meta.get(key) and not meta[key].startswith("http")],
    )
    for values in sources:  # best first, each looked up only when the ones before gave no name
        names = parse_authors(values(), sites)
        if names:
            return names
    return []


def title(root: etree._Element, meta: dict[str, str], ld: list[dict[str, Any]], sites: list[str]) -> str:
    """The headline: og:title / JSON-LD headline / twitter:title / the article h1 / <title>, cleaned."""
    candidates = [meta.get("og:title"), meta.get("twitter:title")]
    candidates += [article.get("headline") for article in ld if isinstance(article.get("headline"), str)]
    candidates += [meta.get("title"), _page_heading(root, sites)]
    head_title = root.find(".//title")
    if head_title is not None:
        candidates.append(_text(head_title))
    for candidate in candidates:
        cleaned = clean_title(candidate or "", sites)
        # Some sites put their own name in og:title on every page: that is no headline.
        if cleaned and not _is_site_label(cleaned, sites):
            return cleaned
    return ""


def _page_heading(root: etree._Element, sites: list[str]) -> str:
    """The first h1 that is a headline, not the site logo."""
    for heading in root.iter("h1"):
        text = _text(heading)
        if not text or heading.find(".//img") is not None and len(text) < 20:
            continue
        link = heading.find(".//a")
        if link is not None and (link.get("href") or "").rstrip("/") in {"", "."}:
            continue  # a link home: the logo
        if _is_site_label(text, sites):
            continue
        return text
    return ""


def subtitle(root: etree._Element, meta: dict[str, str]) -> str:
    """The deck (summary lines above the body), one line per item; "" when the page has none."""
    for query in _SUBTITLE_MARKERS:
        for element in root.xpath(query)[:1]:
            lines = [" ".join(line.split()) for line in _line_texts(element)]
            text = "\n".join(line for line in lines if line)
            if text and len(text) <= 400:
                return text
    return ""


def _line_texts(element: etree._Element) -> list[str]:
    """Text of an element split at <br> and block children."""
    lines: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in {"br", "p", "div", "li", "strong", "b", "h2", "h3", "h4"}:
            lines.append("")
        lines[-1] += "".join(child.itertext()) if tag != "br" else ""
        if tag in {"p", "div", "li", "strong", "b", "h2", "h3", "h4"}:
            lines.append("")
        lines[-1] += child.tail or ""
    return lines


def canonical_url(root: etree._Element) -> str | None:
    """The page's own address as it declares it (<link rel=canonical>, og:url): for saved copies."""
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (link.get("href") or "").startswith("http"):
            return link.get("href", "").strip()
    address = meta_values(root).get("og:url", "")
    return address if address.startswith(("http://", "https://")) else None


class PageMetadataReader:
    """The page's metadata, each field looked up on first use: a site spider asks only for what its
    own selectors did not find (the lookups scan the whole page)."""

    def __init__(self, root: etree._Element, url: str = "") -> None:
        self.root = root
        self.url = url

    @cached_property
    def meta(self) -> dict[str, str]:
        return meta_values(self.root)

    @cached_property
    def json_ld(self) -> list[dict[str, Any]]:
        return json_ld_articles(self.root)

    @cached_property
    def site_names(self) -> list[str]:
        return site_names(self.root, self.url, self.meta)

    @cached_property
    def title(self) -> str:
        return title(self.root, self.meta, self.json_ld, self.site_names)

    @cached_property
    def subtitle(self) -> str:
        return subtitle(self.root, self.meta)

    @cached_property
    def section(self) -> str:
        return self.meta.get("article:section") or next(
            (str(a["articleSection"]) for a in self.json_ld if isinstance(a.get("articleSection"), str)), ""
        )

    @cached_property
    def published_at(self) -> str | None:
        return published_at(self.root, self.meta, self.json_ld)

    @cached_property
    def modified_at(self) -> str | None:
        return modified_at(self.root, self.meta, self.json_ld)

    @cached_property
    def authors(self) -> list[str]:
        return authors(self.root, self.meta, self.json_ld, self.site_names)


def page_metadata(root: etree._Element, url: str = "") -> PageMetadata:
    """Everything the page says about its article (pure: no I/O)."""
    reader = PageMetadataReader(root, url)
    return PageMetadata(
        title=reader.title,
        subtitle=reader.subtitle,
        section=reader.section,
        published_at=reader.published_at,
        modified_at=reader.modified_at,
        authors=reader.authors,
        site_names=reader.site_names,
    )

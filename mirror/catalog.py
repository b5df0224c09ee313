"""Load the mirror's outlet data (`mirror/data/<outlet>.json`) into typed records, and each outlet's URL scheme.

The JSON files are the fixed contract between the content authors and the renderers; this module is the only
place that reads them. `expected_body` / `expected_images` give the ground truth an extractor must reproduce.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

KST = timezone(timedelta(hours=9))
DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"

OUTLETS: tuple[str, ...] = ("itchosun", "bloter", "aitimes", "zdnet", "etnews", "ddaily", "dt", "platum")
ND_SOFT_OUTLETS = frozenset({"itchosun", "bloter", "aitimes"})
# ND-Soft's newer skin (h1.heading, dates in ul.breadcrumbs, li.info-name): AI Times and Bloter in the note.
ND_SOFT_NEW_SKIN = frozenset({"aitimes", "bloter"})
# WordPress outlets: REST API /wp-json/wp/v2/posts and /feed with full content.
WORDPRESS_OUTLETS = frozenset({"platum"})
# Outlets whose (archive) pages are served as CP949 bytes (declared euc-kr in a <meta> only).
CP949_OUTLETS = frozenset({"dt"})
# Outlets whose RSS lives on another host (etnews: rss.etnews.com); the mirror serves it on a second port.
FEED_HOST_OUTLETS = frozenset({"etnews"})
# The sections etnews' RSS host publishes (Section901.xml is all articles).
ETNEWS_ALL_FEED = "Section901"

# Section/all lists show this many articles per page, newest first.
LIST_PAGE_SIZE = 5

BODY_BLOCK_TYPES = ("p", "h")
BLOCK_TYPES = ("p", "h", "figure")


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    email: str = ""


@dataclass(frozen=True, slots=True)
class Block:
    """One body block: a paragraph (`p`), an intertitle (`h`) or a photo (`figure`)."""

    type: str
    text: str = ""
    src: str = ""
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    section: str
    title: str
    published: datetime  # timezone-aware, KST
    subtitle: str = ""
    modified: datetime | None = None
    authors: tuple[Author, ...] = ()
    blocks: tuple[Block, ...] = ()
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    slug: str = ""  # WordPress outlets: the post's URL slug

    @property
    def last_changed(self) -> datetime:
        return self.modified or self.published

    @property
    def figures(self) -> tuple[Block, ...]:
        return tuple(block for block in self.blocks if block.type == "figure")

    @property
    def lead(self) -> str:
        """First paragraph text, used for list summaries and descriptions."""
        return next((block.text for block in self.blocks if block.type == "p"), "")


@dataclass(frozen=True, slots=True)
class Outlet:
    key: str
    name: str
    sections: dict[str, str]
    articles: tuple[Article, ...]
    rest_api: bool = True  # WordPress outlets: False serves no /wp-json/ (the crawler falls back to the feed)

    def article(self, article_id: str) -> Article | None:
        return next((article for article in self.articles if article.id == article_id), None)

    def newest_first(self, section: str | None = None) -> list[Article]:
        chosen = [a for a in self.articles if section is None or a.section == section]
        return sorted(chosen, key=lambda a: (a.published, a.id), reverse=True)

    def related_of(self, article: Article) -> list[Article]:
        """Related articles that exist, in the order the data lists them."""
        found = (self.article(article_id) for article_id in article.related)
        return [related for related in found if related is not None]


def parse_time(value: str) -> datetime:
    """ISO 8601 -> aware datetime in KST (values without an offset are taken as KST)."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=KST)
    return moment.astimezone(KST)


def _article_from_dict(raw: dict) -> Article:
    return Article(
        id=str(raw["id"]),
        section=raw.get("section", ""),
        title=raw["title"],
        subtitle=raw.get("subtitle") or "",
        published=parse_time(raw["published"]),
        modified=parse_time(raw["modified"]) if raw.get("modified") else None,
        authors=tuple(Author(a["name"], a.get("email") or "") for a in raw.get("authors") or ()),
        blocks=tuple(
            Block(
                type=b["type"],
                text=b.get("text") or "",
                src=b.get("src") or "",
                caption=b.get("caption") or "",
                credit=b.get("credit") or "",
            )
            for b in raw.get("blocks") or ()
        ),
        keywords=tuple(raw.get("keywords") or ()),
        related=tuple(str(r) for r in raw.get("related") or ()),
        slug=raw.get("slug") or "",
    )


def outlet_from_dict(raw: dict, key: str | None = None) -> Outlet:
    """Build an Outlet from the contract's JSON object (already parsed)."""
    return Outlet(
        key=key or raw["outlet"],
        name=raw["name"],
        sections=dict(raw.get("sections") or {}),
        articles=tuple(_article_from_dict(a) for a in raw.get("articles") or ()),
        rest_api=bool(raw.get("rest_api", True)),
    )


def outlet_file(outlet: str, data_dir: Path | None = None) -> Path:
    return (data_dir or DEFAULT_DATA_DIR) / f"{outlet}.json"


def load_outlet(outlet: str, data_dir: Path | None = None) -> Outlet:
    """Read `<data_dir>/<outlet>.json`; raises FileNotFoundError when it has not been written yet."""
    raw = json.loads(outlet_file(outlet, data_dir).read_text(encoding="utf-8"))
    return outlet_from_dict(raw, key=outlet)


def available_outlets(data_dir: Path | None = None) -> list[str]:
    """Outlet keys whose JSON file exists in `data_dir`, in OUTLETS order."""
    return [outlet for outlet in OUTLETS if outlet_file(outlet, data_dir).is_file()]


def expected_body(article: Article) -> str:
    """The clean body an extractor must produce: p and h texts in order, blank-line separated."""
    return "\n\n".join(block.text for block in article.blocks if block.type in BODY_BLOCK_TYPES)


def expected_images(article: Article) -> list[dict[str, str]]:
    return [{"src": f.src, "caption": f.caption, "credit": f.credit} for f in article.figures]


# --- URL schemes: the real outlets' paths, served on the mirror's own host ---------------------------------


def article_path(outlet: str, article: Article | str) -> str:
    """Root-relative URL of an article page in the outlet's real scheme."""
    article_id = article if isinstance(article, str) else article.id
    if outlet in ND_SOFT_OUTLETS:
        return f"/news/articleView.html?idxno={article_id}"
    if outlet == "zdnet":
        return f"/view/?no={article_id}"
    if outlet == "etnews":
        return f"/{article_id}"
    if outlet == "ddaily":
        return f"/page/view/{article_id}"
    if outlet == "dt":
        return f"/article/{article_id}"
    if outlet in WORDPRESS_OUTLETS:
        return f"/archives/{article_id}"
    raise ValueError(f"unknown outlet {outlet!r}")


def archive_number(article: Article) -> str:
    """Digital Times' pre-2025 22-digit article_no: the publication hour, then the 8-digit id zero-padded."""
    return article.published.strftime("%Y%m%d%H") + article.id.zfill(12)


def archive_path(outlet: str, article: Article) -> str:
    """Where Digital Times' pre-2025 pages live (old EUC-KR table layout); other outlets have no archive form."""
    if outlet != "dt":
        raise ValueError(f"{outlet!r} has no archive pages")
    return f"/contents.html?article_no={archive_number(article)}"


def list_path(outlet: str, section: str | None = None, page: int = 1) -> str:
    """Root-relative URL of a list page (section=None: all articles), newest first."""
    code = quote(section or "", safe="")
    page_part = f"page={page}"
    if outlet in ND_SOFT_OUTLETS:
        section_part = f"sc_section_code={code}&" if section else ""
        return f"/news/articleList.html?{section_part}view_type=sm&{page_part}"
    if outlet == "zdnet":
        # "0000" is the latest-news list of every section.
        return f"/news/?lstcode={code or '0000'}&{page_part}"
    if outlet == "etnews":
        return f"/news/section.html?id1={code}&{page_part}" if section else f"/news/section/latest?{page_part}"
    if outlet == "ddaily":
        # /page/list/0/0 is the all-articles list; its next pages are /page/list/?page=N.
        return f"/page/list/{code}/0?{page_part}" if section else f"/page/list/?{page_part}"
    if outlet == "dt":
        raise ValueError("dt: the 2025 site's list pages are unknown; it is crawled through feed_paths")
    if outlet in WORDPRESS_OUTLETS:
        return f"/category/{code}/page/{page}/" if section else f"/page/{page}/"
    raise ValueError(f"unknown outlet {outlet!r}")


def feed_paths(outlet: str, sections: Iterable[str] = ()) -> list[str]:
    """RSS feeds; zdnet and ddaily have none (crawled through list pages). etnews' paths are on its feed host."""
    if outlet in ND_SOFT_OUTLETS:
        return ["/rss/allArticle.xml", *(f"/rss/{quote(s, safe='')}.xml" for s in sections)]
    if outlet == "etnews":
        return [f"/{ETNEWS_ALL_FEED}.xml", *(f"/Section9{quote(s, safe='')}.xml" for s in sections)]
    if outlet == "dt":
        return ["/rss/google/latest", *(f"/rss/google/{quote(s, safe='')}" for s in sections)]
    if outlet in WORDPRESS_OUTLETS:
        return ["/feed"]
    return []


def page_count(article_total: int, page_size: int = LIST_PAGE_SIZE) -> int:
    return max(1, -(-article_total // page_size))


# --- Data checks: run over content JSON to catch contract breaks before rendering --------------------------

_ID_PATTERNS: dict[str, re.Pattern[str]] = {
    "itchosun": re.compile(r"2023092\d{6}"),  # 13 digits since the 2023-09 move to ND-Soft
    "bloter": re.compile(r"\d+"),
    "aitimes": re.compile(r"\d+"),
    "zdnet": re.compile(r"\d{14}"),
    "etnews": re.compile(r"\d{14}"),
    "ddaily": re.compile(r"\d{19}"),  # YYYYMMDDhhmmss + 5
    "dt": re.compile(r"\d{8}"),
    "platum": re.compile(r"\d+"),
}
EARLIEST_PUBLISHED = datetime(2026, 10, 1, tzinfo=KST)
LATEST_PUBLISHED = datetime(2026, 11, 25, tzinfo=KST)


def check_outlet(outlet: Outlet) -> list[str]:
    """Contract violations in one outlet's data, as readable messages (empty list: all good)."""
    problems: list[str] = []
    seen: set[str] = set()
    ids = {article.id for article in outlet.articles}
    for article in outlet.articles:
        if article.id in seen:
            problems.append(f"{outlet.key}/{article.id}: duplicate id")
        seen.add(article.id)
        problems.extend(f"{outlet.key}/{article.id}: {problem}" for problem in _article_problems(outlet, article, ids))
    return problems


def _article_problems(outlet: Outlet, article: Article, ids: set[str]) -> list[str]:
    problems: list[str] = []
    pattern = _ID_PATTERNS.get(outlet.key)
    if pattern and not pattern.fullmatch(article.id):
        problems.append("id does not match the outlet's format")
    date_prefix = article.published.strftime("%Y%m%d")
    if outlet.key == "zdnet" and article.id != article.published.strftime("%Y%m%d%H%M%S"):
        problems.append("zdnet id must equal the published time")
    if outlet.key in ("etnews", "ddaily") and not article.id.startswith(date_prefix):
        problems.append(f"id must start with the published date {date_prefix}")
    if article.section not in outlet.sections:
        problems.append(f"unknown section {article.section!r}")
    if not EARLIEST_PUBLISHED <= article.published < LATEST_PUBLISHED:
        problems.append(f"published {article.published.isoformat()} outside the mirror's range")
    if article.modified and article.modified < article.published:
        problems.append("modified before published")
    problems.extend(_block_problems(article))
    problems.extend(f"related id {r} not found" for r in article.related if r not in ids)
    if outlet.key in CP949_OUTLETS:
        problems.extend(f"{c!r} cannot be encoded in CP949" for c in _non_cp949_chars(article))
    return problems


def _block_problems(article: Article) -> list[str]:
    problems: list[str] = []
    for block in article.blocks:
        if block.type not in BLOCK_TYPES:
            problems.append(f"unknown block type {block.type!r}")
        elif block.type == "figure" and not block.src.startswith("/"):
            problems.append("figure src must be a root-relative path")
        elif block.type != "figure" and not block.text.strip():
            problems.append(f"empty {block.type} block")
    if not any(block.type == "p" for block in article.blocks):
        problems.append("no paragraph")
    return problems


def _article_texts(article: Article) -> Sequence[str]:
    texts = [article.title, article.subtitle, *article.keywords]
    texts += [author.name for author in article.authors]
    for block in article.blocks:
        texts += [block.text, block.caption, block.credit]
    return texts


def _non_cp949_chars(article: Article) -> list[str]:
    bad: set[str] = set()
    for text in _article_texts(article):
        for char in text:
            try:
                char.encode("cp949")
            except UnicodeEncodeError:
                bad.add(char)
    return sorted(bad)

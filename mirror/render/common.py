"""Pieces every outlet layout shares: the site context, escaping, dates, off-site share/ad links, tracking URLs.

Everything here is a pure function of its arguments, so rendering the same data gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from urllib.parse import quote

from mirror.catalog import Article, Author, Block, article_path, list_path

# The real outlets' mail domains, used for tip-off addresses in page furniture (text only).
MAIL_DOMAINS: Mapping[str, str] = {
    "itchosun": "chosunbiz.com",
    "bloter": "bloter.net",
    "aitimes": "aitimes.com",
    "zdnet": "zdnet.co.kr",
    "etnews": "etnews.com",
    "ddaily": "ddaily.co.kr",
    "dt": "dt.co.kr",
}

# Off-site hosts live under the reserved .example TLD only, so a crawler bug that follows them reaches nothing.
SHARE_TARGETS: tuple[tuple[str, str], ...] = (
    ("페이스북", "https://www.facebook.example/sharer/sharer.php?u={url}"),
    ("트위터", "https://twitter.example/intent/tweet?url={url}&text={title}"),
    ("카카오톡", "https://sharer.kakao.example/talk/friends/picker/link?url={url}"),
    ("네이버밴드", "https://band.example/plugin/share?body={title}&route={url}"),
)
AD_CLICK_URL = "https://ad.adnetwork.example/click?site={outlet}&slot={slot}"
ADMIN_PATH = "/admin/"

# Tracking parameters real pages attach to internal links; the crawler must canonicalise them away.
TRACKING_SUFFIXES: tuple[str, ...] = (
    "utm_source=most_viewed&utm_medium=sidebar",
    "fbclid=IwAR0mirror{id}",
    "utm_source=related&utm_campaign=article",
)


@dataclass(frozen=True, slots=True)
class SiteMeta:
    """What a renderer knows about the site besides the article: its name, sections and address.

    `popular` feeds the "많이 본 뉴스" sidebar; callers choose it (the server uses the newest articles).
    """

    outlet: str
    name: str
    sections: Mapping[str, str]
    base_url: str  # e.g. http://127.0.0.1:8123, no trailing slash
    popular: Sequence[Article] = field(default_factory=tuple)
    feed_base_url: str = ""  # where the outlet's RSS lives when it is another host (etnews); "" = base_url

    def absolute(self, path: str) -> str:
        return self.base_url + path

    def feed_absolute(self, path: str) -> str:
        return (self.feed_base_url or self.base_url) + path

    def section_name(self, section: str | None) -> str:
        if section is None:
            return "전체기사"
        return self.sections.get(section, section)

    @property
    def mail_domain(self) -> str:
        return MAIL_DOMAINS.get(self.outlet, f"{self.outlet}.example")


def esc(text: str) -> str:
    """Escape for text and double-quoted attributes; apostrophes stay literal, as real pages print them."""
    return escape(text, quote=False).replace('"', "&quot;")


def with_tracking(path: str, variant: int, article_id: str = "") -> str:
    """`path` with one of the tracking parameter sets appended (variant picks which)."""
    suffix = TRACKING_SUFFIXES[variant % len(TRACKING_SUFFIXES)].format(id=article_id)
    return f"{path}{'&' if '?' in path else '?'}{suffix}"


def id_number(article: Article) -> int:
    """A stable small integer per article, used to vary layout details deterministically."""
    digits = "".join(ch for ch in article.id if ch.isdigit())
    return int(digits[-6:]) if digits else sum(map(ord, article.id))


def format_time(moment: datetime, pattern: str) -> str:
    return moment.strftime(pattern)


def byline_names(authors: Sequence[Author], joiner: str = "·") -> str:
    return joiner.join(author.name for author in authors)


def credit_joined(block: Block, separator: str = " / ") -> str:
    """'caption / credit' as ND-Soft and ddaily print it (either part may be missing)."""
    return separator.join(part for part in (block.caption, block.credit) if part)


def share_buttons(site: SiteMeta, article: Article, css_class: str = "share-btns") -> str:
    url = quote(site.absolute(article_path(site.outlet, article)), safe="")
    title = quote(article.title, safe="")
    links = "".join(
        f'<li><a href="{esc(template.format(url=url, title=title))}" target="_blank" rel="noopener">{label}</a></li>'
        for label, template in SHARE_TARGETS
    )
    return f'<ul class="{css_class}">{links}</ul>'


def ad_banner(site: SiteMeta, slot: str, css_class: str = "banner") -> str:
    href = esc(AD_CLICK_URL.format(outlet=site.outlet, slot=slot))
    return (
        f'<div class="{css_class}"><a href="{href}" target="_blank" rel="sponsored">'
        f'<img src="/image/banner/{slot}.gif" alt="광고" width="300" height="250"></a></div>'
    )


def admin_link() -> str:
    """A visible link robots.txt forbids; a polite crawler never requests it."""
    return f'<a class="admin-link" href="{ADMIN_PATH}" rel="nofollow">관리자</a>'


def section_nav(site: SiteMeta, css_class: str = "gnb") -> str:
    items = "".join(
        f'<li><a href="{esc(list_path(site.outlet, code))}">{esc(name)}</a></li>'
        for code, name in site.sections.items()
    )
    return f'<nav class="{css_class}"><ul><li><a href="/">홈</a></li>{items}</ul></nav>'


def popular_list(site: SiteMeta, current: Article | None, heading: str = "많이 본 뉴스") -> str:
    items = []
    for rank, article in enumerate((a for a in site.popular if current is None or a.id != current.id), start=1):
        href = with_tracking(article_path(site.outlet, article), 0)
        items.append(f'<li><em class="number">{rank}</em><a href="{esc(href)}">{esc(article.title)}</a></li>')
    return f'<section class="auto-article popular"><h4>{heading}</h4><ol>{"".join(items)}</ol></section>'


def json_ld(site: SiteMeta, article: Article) -> str:
    """A NewsArticle JSON-LD script, as etnews and ddaily embed it."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": site.absolute(article_path(site.outlet, article)),
        "headline": article.title,
        "datePublished": article.published.isoformat(),
        "dateModified": article.last_changed.isoformat(),
        "author": [{"@type": "Person", "name": a.name, "email": a.email} for a in article.authors],
        "publisher": {"@type": "Organization", "name": site.name},
        "image": [site.absolute(f.src) for f in article.figures],
        "articleSection": site.section_name(article.section),
        "keywords": list(article.keywords),
    }
    # "</" would end the script element early.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def summary(article: Article, limit: int = 90) -> str:
    lead = article.lead
    return lead if len(lead) <= limit else lead[:limit].rstrip() + "…"


def pagination(site: SiteMeta, section: str | None, page: int, total_pages: int, css_class: str) -> str:
    """Numbered page links plus 이전/다음, pointing at the outlet's list URLs."""
    items = []
    if page > 1:
        items.append(f'<li class="prev"><a href="{esc(list_path(site.outlet, section, page - 1))}">이전</a></li>')
    for number in range(1, total_pages + 1):
        if number == page:
            items.append(f'<li class="current"><strong>{number}</strong></li>')
        else:
            items.append(f'<li><a href="{esc(list_path(site.outlet, section, number))}">{number}</a></li>')
    if page < total_pages:
        items.append(f'<li class="next"><a href="{esc(list_path(site.outlet, section, page + 1))}">다음</a></li>')
    return f'<div class="{css_class}"><ul>{"".join(items)}</ul></div>'


UTF8_META = '<meta charset="utf-8">'


def html_document(title: str, canonical: str, head_extra: str, body: str, charset_meta: str = UTF8_META) -> str:
    """A complete page: the charset meta comes first so a byte-level sniffer finds it early."""
    return (
        f'<!DOCTYPE html>\n<html lang="ko">\n<head>\n{charset_meta}\n<title>{esc(title)}</title>\n'
        f'<link rel="canonical" href="{esc(canonical)}">\n{head_extra}</head>\n<body>\n{body}\n</body>\n</html>\n'
    )


def article_meta(site: SiteMeta, article: Article, published_meta: bool = True) -> str:
    """og:* tags, plus article:published/modified_time where the outlet prints them."""
    canonical = site.absolute(article_path(site.outlet, article))
    tags = [
        ("og:type", "article"),
        ("og:site_name", site.name),
        ("og:title", article.title),
        ("og:url", canonical),
        ("og:description", summary(article)),
    ]
    if article.figures:
        tags.append(("og:image", site.absolute(article.figures[0].src)))
    if published_meta:
        tags.append(("article:published_time", article.published.isoformat()))
        tags.append(("article:modified_time", article.last_changed.isoformat()))
    return "".join(f'<meta property="{name}" content="{esc(value)}">\n' for name, value in tags)

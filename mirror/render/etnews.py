"""Electronic Times (etnews) pages: article `/<yyyymmdd><6 digits>`, lists `/news/section.html?id1=`.

The reporter box and the related-articles box sit INSIDE the body container, as on the real site.
"""

from __future__ import annotations

from collections.abc import Sequence

from mirror.catalog import Article, Block, article_path, list_path
from mirror.render.common import (
    SiteMeta,
    ad_banner,
    admin_link,
    article_meta,
    byline_names,
    esc,
    format_time,
    html_document,
    json_ld,
    pagination,
    popular_list,
    section_nav,
    share_buttons,
    summary,
    with_tracking,
)

ETNEWS_TIME = "%Y-%m-%d %H:%M"
# The in-body ad sits after this many blocks.
AD_AFTER_BLOCKS = 3


def _top(site: SiteMeta) -> str:
    return (
        f'<header class="header"><div class="util"><a href="/member/login">로그인</a> {admin_link()}</div>'
        f'<h1 class="logo"><a href="/">{esc(site.name)}</a></h1>{section_nav(site, "gnb_menu")}</header>\n'
    )


def _footer(site: SiteMeta) -> str:
    return (
        f'<footer class="footer"><p>Copyright © {esc(site.name)}. All rights reserved.</p>'
        "<p>무단전재 및 재배포, AI학습 이용 금지</p></footer>"
    )


def _figure(block: Block) -> str:
    credit = f" [사진={block.credit}]" if block.credit else ""
    text = esc(block.caption + credit).strip()
    caption = f"<figcaption>{text}</figcaption>" if text else ""
    return f'<figure class="article_image"><img src="{esc(block.src)}" alt="{esc(block.caption)}">{caption}</figure>'


def _body(site: SiteMeta, article: Article, related: Sequence[Article]) -> str:
    parts = []
    for index, block in enumerate(article.blocks):
        if index == AD_AFTER_BLOCKS:
            parts.append(ad_banner(site, "article_mid", "article_ad"))
        if block.type == "p":
            parts.append(f"<p>{esc(block.text)}</p>")
        elif block.type == "h":
            parts.append(f"<h3>{esc(block.text)}</h3>")
        elif block.type == "figure":
            parts.append(_figure(block))
    reporters = "".join(
        f'<div class="reporter_area"><span class="name">{esc(a.name)} 기자</span> '
        f'<a class="mail" href="mailto:{esc(a.email)}">{esc(a.email)}</a></div>'
        for a in article.authors
    )
    related_items = "".join(
        f'<li><a href="{esc(with_tracking(article_path(site.outlet, other), 2))}">{esc(other.title)}</a></li>'
        for other in related
    )
    related_box = f'<div class="related"><h4>관련 기사</h4><ul>{related_items}</ul></div>' if related else ""
    return "\n".join(parts) + f"\n{reporters}\n{related_box}"


def render_article(site: SiteMeta, article: Article, related: Sequence[Article]) -> str:
    canonical = site.absolute(article_path(site.outlet, article))
    meta = (
        article_meta(site, article)
        + f'<meta property="aicon:author" content="{esc(byline_names(article.authors, ","))}">\n'
        + f'<meta property="aicon:item_id" content="{esc(article.id)}">\n'
        + json_ld(site, article)
        + "\n"
    )
    dates = f"<span>발행일 : {format_time(article.published, ETNEWS_TIME)}</span>"
    if article.modified:
        dates += f"<span>수정일 : {format_time(article.modified, ETNEWS_TIME)}</span>"
    subtitle = f'<h2 class="subtitle">{esc(article.subtitle)}</h2>' if article.subtitle else ""
    tags = "".join(f'<a class="tag">#{esc(k)}</a>' for k in article.keywords)
    body = (
        _top(site) + '<div class="container"><div class="article_wrap">\n'
        f'<div class="article_header"><h1 class="title">{esc(article.title)}</h1>{subtitle}\n'
        f'<div class="date">{dates}</div>{share_buttons(site, article, "share")}</div>\n'
        '<div class="article_txt">\n'
        f'<section class="article_body" id="articleBody" itemprop="articleBody">\n{_body(site, article, related)}\n'
        "</section>\n"
        f'<div class="tag_area">{tags}</div>\n'
        f'<div class="copyright">&lt;저작권자 ⓒ {esc(site.name)}, 무단전재 및 재배포 금지&gt;</div>\n'
        "</div></div>\n"
        f'<aside class="aside">{popular_list(site, article)}{ad_banner(site, "aside")}</aside></div>\n' + _footer(site)
    )
    return html_document(f"{article.title} - {site.name}", canonical, meta, body)


def render_list(
    site: SiteMeta,
    section: str | None,
    articles: Sequence[Article],
    page: int,
    total_pages: int,
    heading: str | None = None,
) -> str:
    items = "".join(
        f'<li><strong><a href="{esc(article_path(site.outlet, article))}">{esc(article.title)}</a></strong>'
        f'<p class="summary">{esc(summary(article))}</p>'
        f'<span class="date">{format_time(article.published, ETNEWS_TIME)}</span></li>'
        for article in articles
    )
    title = heading or site.section_name(section)
    body = (
        _top(site) + f'<div class="container"><h2 class="section_title">{esc(title)}</h2>\n'
        f'<ul class="news_list">{items}</ul>\n{pagination(site, section, page, total_pages, "paging")}\n'
        f'<aside class="aside">{popular_list(site, None)}</aside></div>\n' + _footer(site)
    )
    canonical = site.absolute(list_path(site.outlet, section, page))
    return html_document(f"{title} - {site.name}", canonical, "", body)

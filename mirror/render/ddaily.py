"""Digital Daily (ddaily) pages: article `/page/view/<id>`, lists `/page/list/<section>`.

The byline lives inside the body text: "[디지털데일리 이종현기자]" opens the first paragraph and
"이종현(bell@ddaily.co.kr) 기자 프로필" closes the body, followed by the copyright line.
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
    credit_joined,
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

DDAILY_TIME = "%Y-%m-%d %H:%M:%S"


def _top(site: SiteMeta) -> str:
    return (
        f'<div id="header"><div class="top_menu"><a href="/page/login">로그인</a> {admin_link()}</div>'
        f'<h1><a href="/">{esc(site.name)}</a></h1>{section_nav(site)}</div>\n'
    )


def _footer(site: SiteMeta) -> str:
    return f'<div id="footer"><p>Copyright © {esc(site.name)}. All rights reserved.</p></div>'


def _figure(block: Block) -> str:
    # Credit trails the caption after a slash: "… 점검하고 있다. / 중기부 제공".
    text = esc(credit_joined(block))
    caption = f'<div class="caption">{text}</div>' if text else ""
    return f'<div class="img_box"><img src="{esc(block.src)}" alt="{text}">{caption}</div>'


def _body(site: SiteMeta, article: Article) -> str:
    opener = f"[{site.name} {byline_names(article.authors)}기자] " if article.authors else ""
    parts = []
    for block in article.blocks:
        if block.type == "p":
            parts.append(f"<p>{esc(opener + block.text)}</p>")
            opener = ""
        elif block.type == "h":
            parts.append(f"<p><b>{esc(block.text)}</b></p>")
        elif block.type == "figure":
            parts.append(_figure(block))
    profiles = "".join(
        f'<p class="reporter"><a href="{esc(list_path(site.outlet))}&amp;writer={esc(a.email)}">'
        f"{esc(a.name)}({esc(a.email)}) 기자 프로필</a></p>"
        for a in article.authors
    )
    copyright_line = f"<p>&lt;저작권자 © {esc(site.name)} 무단전재 및 재배포 금지&gt;</p>"
    return "\n".join(parts) + f"\n{profiles}\n{copyright_line}"


def render_article(site: SiteMeta, article: Article, related: Sequence[Article]) -> str:
    canonical = site.absolute(article_path(site.outlet, article))
    meta = article_meta(site, article) + json_ld(site, article) + "\n"
    dates = f"<span>등록 {format_time(article.published, DDAILY_TIME)}</span>"
    if article.modified:
        dates += f"<span>수정 {format_time(article.modified, DDAILY_TIME)}</span>"
    subtitle = f'<h2 class="sub_title">{esc(article.subtitle)}</h2>' if article.subtitle else ""
    related_items = "".join(
        f'<li><a href="{esc(with_tracking(article_path(site.outlet, other), 1, other.id))}">{esc(other.title)}</a></li>'
        for other in related
    )
    body = (
        _top(site) + '<div id="contents"><div class="view_wrap">\n'
        f'<div class="view_top"><h1 class="view_title">{esc(article.title)}</h1>{subtitle}\n'
        f'<div class="view_info">{dates}</div>{share_buttons(site, article, "view_sns")}</div>\n'
        f'<div class="article_content" id="news_body_area" itemprop="articleBody">\n{_body(site, article)}\n</div>\n'
        f"{ad_banner(site, 'view_bottom', 'ad_area')}\n"
        f'<div class="related_news"><h3>관련기사</h3><ul>{related_items}</ul></div>\n'
        '<div class="comment_area"><h3>댓글 0</h3></div>\n'
        f'</div><div class="side">{popular_list(site, article)}</div></div>\n' + _footer(site)
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
        f'<li><a href="{esc(article_path(site.outlet, article))}"><strong class="title">{esc(article.title)}</strong>'
        f'<span class="lead">{esc(summary(article))}</span></a>'
        f'<span class="info">{esc(byline_names(article.authors))} {format_time(article.published, DDAILY_TIME)}'
        "</span></li>"
        for article in articles
    )
    title = heading or site.section_name(section)
    body = (
        _top(site) + f'<div id="contents"><h2 class="list_title">{esc(title)}</h2>\n'
        f'<ul class="article_list">{items}</ul>\n{pagination(site, section, page, total_pages, "paging")}\n'
        f'<div class="side">{popular_list(site, None)}</div></div>\n' + _footer(site)
    )
    canonical = site.absolute(list_path(site.outlet, section, page))
    return html_document(f"{title} - {site.name}", canonical, "", body)

"""ZDNet Korea pages: article view (`/view/?no=`), section lists (`/news/?lstcode=`), sitemap.xml."""

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
    pagination,
    popular_list,
    section_nav,
    share_buttons,
    summary,
    with_tracking,
)

ZDNET_TIME = "%Y/%m/%d %H:%M"


def _top(site: SiteMeta) -> str:
    return (
        f'<div id="header"><div class="util"><a href="/member/login/">로그인</a> {admin_link()}</div>'
        f'<h1 class="logo"><a href="/">{esc(site.name)}</a></h1>{section_nav(site)}</div>\n'
        f"{ad_banner(site, 'top', 'ad_box top')}\n"
    )


def _footer(site: SiteMeta) -> str:
    return (
        '<div id="footer"><ul><li><a href="/company/">회사소개</a></li><li><a href="/policy/">개인정보처리방침</a></li>'
        f"</ul><p>Copyright © {esc(site.name)}. All rights reserved. 무단 전재 및 재배포 금지.</p></div>"
    )


def _figure(block: Block) -> str:
    # ZDNet prints the caption as a bare paragraph right under the photo, credit leading.
    credit = f"(사진={block.credit}) " if block.credit else ""
    caption = f"<p>{esc(credit + block.caption)}</p>" if block.caption or block.credit else ""
    return f'<figure class="img_center"><img src="{esc(block.src)}" alt="{esc(block.caption)}"></figure>{caption}'


def _body(article: Article) -> str:
    parts = []
    for block in article.blocks:
        if block.type == "p":
            parts.append(f"<p>{esc(block.text)}</p>")
        elif block.type == "h":
            parts.append(f"<p><strong>{esc(block.text)}</strong></p>")
        elif block.type == "figure":
            parts.append(_figure(block))
    return "\n".join(parts)


def render_article(site: SiteMeta, article: Article, related: Sequence[Article]) -> str:
    canonical = site.absolute(article_path(site.outlet, article))
    names = byline_names(article.authors, ", ")
    meta = article_meta(site, article) + (
        f'<meta property="dable:item_id" content="{esc(article.id)}">\n'
        f'<meta property="dable:author" content="{esc(names)}">\n'
    )
    dates = f"<span>입력 :{format_time(article.published, ZDNET_TIME)}</span>"
    if article.modified:
        dates += f"<span>수정: {format_time(article.modified, ZDNET_TIME)}</span>"
    reporter = (
        "".join(
            f'<a class="reporter" href="{esc(list_path(site.outlet))}&amp;reporter={esc(a.email)}">'
            f"{esc(a.name)} 기자</a>"
            for a in article.authors
        )
        or f"<span>{esc(site.name)}</span>"
    )
    subtitle = f'<p class="sub_tit">{esc(article.subtitle)}</p>' if article.subtitle else ""
    related_items = "".join(
        f'<li><a href="{esc(with_tracking(article_path(site.outlet, other), 1, other.id))}">{esc(other.title)}</a></li>'
        for other in related
    )
    tags = "".join(f"<a>#{esc(keyword)}</a>" for keyword in article.keywords)
    emails = " ".join(f"{esc(a.name)} 기자({esc(a.email)})" for a in article.authors)
    body = (
        _top(site) + '<div id="container"><div class="left_cont">\n'
        f'<div class="news_head"><h1>{esc(article.title)}</h1>{subtitle}\n'
        f'<div class="byline"><p class="meta">{reporter}{dates}</p>{share_buttons(site, article, "sns")}</div>'
        "</div>\n"
        f'<div id="articleBody" class="news_body"><div id="content" itemprop="articleBody">\n{_body(article)}\n'
        "</div></div>\n"
        f'<div class="reporter_info">{emails}</div>\n'
        f'<div class="tag_list">{tags}</div>\n'
        f'<div class="news_box related"><h4>관련기사</h4><ul>{related_items}</ul></div>\n'
        f"{ad_banner(site, 'inread', 'ad_box')}\n"
        '<div class="comment"><h4>기사 댓글 0</h4></div>\n'
        f'</div><div class="right_cont">{popular_list(site, article)}</div></div>\n' + _footer(site)
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
    posts = []
    for article in articles:
        href = esc(article_path(site.outlet, article))
        byline = esc(byline_names(article.authors, ", "))
        posts.append(
            f'<div class="newsPost"><div class="assetText"><a href="{href}"><h3>{esc(article.title)}</h3>'
            f"<p>{esc(summary(article))}</p></a>"
            f'<p class="byline"><span>{byline}</span><span>{format_time(article.published, ZDNET_TIME)}</span></p>'
            "</div></div>"
        )
    title = heading or site.section_name(section)
    body = (
        _top(site) + f'<div id="container"><div class="left_cont"><h2 class="sub_tit">{esc(title)}</h2>\n'
        f'<div class="news_list">{"".join(posts) or "<p>기사가 없습니다.</p>"}</div>\n'
        f"{pagination(site, section, page, total_pages, 'paging')}\n"
        f'</div><div class="right_cont">{popular_list(site, None)}</div></div>\n' + _footer(site)
    )
    canonical = site.absolute(list_path(site.outlet, section, page))
    return html_document(f"{title} - {site.name}", canonical, "", body)


def render_sitemap(site: SiteMeta, articles: Sequence[Article]) -> str:
    """Every article with its lastmod (modified time, else published), newest first."""
    urls = "".join(
        f"<url><loc>{esc(site.absolute(article_path(site.outlet, article)))}</loc>"
        f"<lastmod>{article.last_changed.isoformat()}</lastmod></url>\n"
        for article in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    )

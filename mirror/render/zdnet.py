"""ZDNet Korea pages: article view (`/view/?no=`), lists (`/news/?lstcode=0000` is the latest news).

As the outlet note has it: title `div.news_head h1`, subtitle `div.news_head > p.summary`, one `p.meta` span
holding both 입력 and 수정, `dd:author` / `dd:published_time` meta, the reporter in `.reporter_info strong`,
the body `#articleBody.view_cont` with the text in `div[id^=content-]` and furniture inside the body container
(`.view_ad`, an h2 관련기사 + `.news_box.connect`, `.mt_bn_box`, `.reporter_list2`, `.like_box`, `.tags`).
No RSS and no sitemap (the real one is unverified).
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
    pagination,
    popular_list,
    section_nav,
    share_buttons,
    summary,
    with_tracking,
)

ZDNET_TIME = "%Y/%m/%d %H:%M"
# List dates: "2026.06.04 AM 09:44".
LIST_TIME = "%Y.%m.%d %p %I:%M"


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


def _furniture(site: SiteMeta, article: Article, related: Sequence[Article]) -> str:
    """The boxes the real page keeps inside #articleBody after the text."""
    related_items = "".join(
        f'<div class="newsPost"><div class="assetText">'
        f'<a href="{esc(with_tracking(article_path(site.outlet, other), 1, other.id))}"><h3>{esc(other.title)}</h3>'
        "</a></div></div>"
        for other in related
    )
    related_box = f'<h2>관련기사</h2>\n<div class="news_box connect">{related_items}</div>\n' if related else ""
    reporters = "".join(
        f'<li><a href="{esc(list_path(site.outlet))}&amp;reporter={esc(a.email)}"><img src="/images/reporter.jpg" '
        'alt=""></a></li>'
        for a in article.authors
    )
    tags = "".join(f"<a>#{esc(keyword)}</a>" for keyword in article.keywords)
    return (
        f"{related_box}"
        # The banner is a CSS background: the box holds no text and no <img>.
        '<div class="mt_bn_box"><a class="bn_link" href="/event/" aria-label="이벤트"></a></div>\n'
        f'<ul class="reporter_list2">{reporters}</ul>\n'
        '<div class="like_box"><button type="button" class="btn_like" aria-label="좋아요"></button></div>\n'
        f'<div class="tags">{tags}</div>\n'
    )


def render_article(site: SiteMeta, article: Article, related: Sequence[Article]) -> str:
    canonical = site.absolute(article_path(site.outlet, article))
    names = ", ".join(f"{a.name} 기자" for a in article.authors)
    meta = article_meta(site, article) + (
        f'<meta property="dd:published_time" content="{article.published.isoformat()}">\n'
        f'<meta property="dd:author" content="{esc(names)}">\n'
    )
    dates = f"입력 :{format_time(article.published, ZDNET_TIME)}"
    if article.modified:
        dates += f" 수정: {format_time(article.modified, ZDNET_TIME)}"
    subtitle = f'<p class="summary">{esc(article.subtitle)}</p>' if article.subtitle else ""
    reporter = "".join(
        f'<div class="reporter_info"><strong>{esc(a.name)} 기자</strong><span>{esc(a.email)}</span></div>'
        for a in article.authors
    )
    body = (
        _top(site) + '<div id="container"><div class="left_cont">\n'
        f'<div class="news_head"><h1>{esc(article.title)}</h1>{subtitle}\n'
        f'<p class="meta"><span>{dates}</span></p>{share_buttons(site, article, "sns")}'
        "</div>\n"
        f'<div id="articleBody" class="view_cont" itemprop="articleBody">\n'
        f'<div id="content-{esc(article.id)}">\n{_body(article)}\n</div>\n'
        f"{ad_banner(site, 'inread', 'view_ad')}\n"
        f"{_furniture(site, article, related)}</div>\n"
        f"{reporter}\n"
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
        when = format_time(article.published, LIST_TIME).replace("오전", "AM").replace("오후", "PM")
        posts.append(
            f'<div class="newsPost"><div class="assetText"><a href="{href}"><h3>{esc(article.title)}</h3>'
            f"<p>{esc(summary(article))}</p></a>"
            f'<p class="byline"><span>{byline}</span><span>{when}</span></p>'
            "</div></div>"
        )
    title = heading or site.section_name(section)
    body = (
        _top(site) + f'<div id="container"><div class="left_cont"><h2 class="sub_tit">{esc(title)}</h2>\n'
        f'<div class="news_box">{"".join(posts) or "<p>기사가 없습니다.</p>"}</div>\n'
        f"{pagination(site, section, page, total_pages, 'paging')}\n"
        f'</div><div class="right_cont">{popular_list(site, None)}</div></div>\n' + _footer(site)
    )
    canonical = site.absolute(list_path(site.outlet, section, page))
    return html_document(f"{title} - {site.name}", canonical, "", body)

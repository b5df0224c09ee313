"""One renderer per page structure; `layout_for(outlet)` says which one an outlet uses and how it is served.

Renderers are pure: `render_article(site, article, related) -> str` and
`render_list(site, section, articles, page, total_pages, heading=None) -> str`, so a benchmark generator can
call them directly for thousands of synthetic pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mirror.catalog import ND_SOFT_OUTLETS, WORDPRESS_OUTLETS, Article
from mirror.render import ddaily, dt, etnews, ndsoft, wordpress, zdnet
from mirror.render.common import UTF8_META, SiteMeta

ArticleRenderer = Callable[[SiteMeta, Article, Sequence[Article]], str]
ListRenderer = Callable[..., str]


def encode_utf8(html: str) -> bytes:
    return html.encode("utf-8")


@dataclass(frozen=True, slots=True)
class Layout:
    name: str
    render_article: ArticleRenderer
    render_list: ListRenderer
    encode: Callable[[str], bytes]
    html_content_type: str  # the HTTP header (dt's archive pages carry no charset: see mirror.site)
    charset_meta: str
    sends_validators: bool  # ETag + Last-Modified and 304 answers


_ND_SOFT = Layout(
    "ndsoft", ndsoft.render_article, ndsoft.render_list, encode_utf8, "text/html; charset=utf-8", UTF8_META, True
)
_LAYOUTS: dict[str, Layout] = {
    "zdnet": Layout(
        "zdnet", zdnet.render_article, zdnet.render_list, encode_utf8, "text/html; charset=utf-8", UTF8_META, True
    ),
    "etnews": Layout(
        "etnews", etnews.render_article, etnews.render_list, encode_utf8, "text/html; charset=utf-8", UTF8_META, False
    ),
    "ddaily": Layout(
        "ddaily", ddaily.render_article, ddaily.render_list, encode_utf8, "text/html; charset=utf-8", UTF8_META, False
    ),
    # The 2025 site in UTF-8; its archive pages (old layout, CP949) are served by mirror.site directly.
    "dt": Layout(
        "dt", dt.render_new_article, dt.render_home, encode_utf8, "text/html; charset=utf-8", UTF8_META, False
    ),
    **{outlet: _ND_SOFT for outlet in ND_SOFT_OUTLETS},
    **{
        outlet: Layout(
            "wordpress",
            wordpress.render_article,
            wordpress.render_list,
            encode_utf8,
            "text/html; charset=UTF-8",
            UTF8_META,
            True,
        )
        for outlet in WORDPRESS_OUTLETS
    },
}


def layout_for(outlet: str) -> Layout:
    try:
        return _LAYOUTS[outlet]
    except KeyError:
        raise ValueError(f"unknown outlet {outlet!r}") from None


__all__ = ["Layout", "SiteMeta", "encode_utf8", "layout_for"]

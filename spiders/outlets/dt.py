from spiders.base import NewsSpider


class DigitalTimesSpider(NewsSpider):
    """A legacy EUC-KR outlet: the charset is declared only in a <meta> tag (decoded as CP949)."""

    name = "dt"
    source_name = "디지털타임스"
    base_url = "https://www.dt.co.kr"
    start_paths = ("/list.html?page=1",)
    article_pattern = r"^/contents\.html\?(?:.*&)?article_no=\d{22}"
    listing_pattern = r"^/list\.html\?"
    fields = {
        "title": ("div.article_head h1::text", "h1#news_names::text", "title::text"),
        "body": ("div#article_body div.art_txt", "div#article_body"),
        "published_at": ("div.article_head span.date::text", "//*[contains(@class,'date')]/text()"),
        "authors": ("div.article_head span.reporter::text",),
    }

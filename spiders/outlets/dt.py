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
        "title": ("div.art_title h2::text",),
        "subtitle": ("div.art_title div.art_subtitle::text",),
        "body": ("div#article_body div.art_txt", "div#article_body"),
        "published_at": ("div.art_date::text",),
        # The only byline is a line at the end of the body: "홍길동기자 hong@dt.co.kr".
        "authors": ("//div[@class='art_txt']/text()[contains(., '기자') and contains(., '@')]",),
    }

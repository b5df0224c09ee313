from spiders.base import NewsSpider


class DigitalDailySpider(NewsSpider):
    name = "ddaily"
    source_name = "디지털데일리"
    base_url = "https://www.ddaily.co.kr"
    # No RSS (/rss/allArticle.xml redirects home): the all-articles list and its pages.
    start_paths = ("/page/list/0/0", "/page/list/?page=1")
    article_pattern = r"^/page/view/\d+$"  # 19 digits: YYYYMMDDhhmmss + 5
    listing_pattern = r"^/page/list(?:/|\?|$)"
    # Title, subtitle, date and authors: their markup is unknown (outlet note), so the page metadata
    # (og:title, JSON-LD) carries them; only the body container is evidenced.
    fields = {
        "body": ("div.article_content", "#news_body_area"),
    }

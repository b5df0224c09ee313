from spiders.base import NewsSpider


class DigitalTimesSpider(NewsSpider):
    """Since 2025: /article/<8 digits> and UTF-8 Google feeds with the full text, which give the articles
    without fetching the pages (their new layout is unknown: a fetched page relies on its metadata).
    The pre-2025 EUC-KR table layout is kept for archive pages /contents.html?article_no=<22 digits>."""

    name = "dt"
    source_name = "디지털타임스"
    base_url = "https://www.dt.co.kr"
    start_paths = ("/rss/google/latest", "/rss/google/ict")
    feed_full_text = True
    article_pattern = r"^/(?:article/\d{8}$|contents\.html\?(?:.*&)?article_no=\d{22})"
    listing_pattern = r"^/rss/google/[\w-]+$"
    # Archive layout (decoded as CP949); a fetched new page has only its metadata to go by: og:*, JSON-LD
    # and, for the body, schema.org's itemprop=articleBody (no selector of its unknown layout).
    fields = {
        "title": ("div.art_title h2::text",),
        "subtitle": ("div.art_title div.art_subtitle::text",),
        "body": ("div#article_body div.art_txt", "div#article_body", "[itemprop='articleBody']"),
        "published_at": ("div.art_date::text",),
        # The only byline is a line at the end of the body: "홍길동기자 hong@dt.co.kr".
        "authors": ("//div[@class='art_txt']/text()[contains(., '기자') and contains(., '@')]",),
    }

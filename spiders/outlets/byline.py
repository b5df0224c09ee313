from spiders.wordpress import WordPressSpider


class BylineNetworkSpider(WordPressSpider):
    name = "byline"
    source_name = "바이라인네트워크"
    base_url = "https://byline.network"
    start_paths = ("/feed/",)
    # /YYYY/MM/<slug>/ and the short form /?p=<id>
    article_pattern = r"^/(?:\d{4}/\d{2}/[^/?]+/?$|\?(?:.*&)?p=\d+)"

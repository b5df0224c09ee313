from spiders.wordpress import WordPressSpider


class VentureSquareSpider(WordPressSpider):
    name = "venturesquare"
    source_name = "벤처스퀘어"
    base_url = "https://www.venturesquare.net"
    article_pattern = r"^/\d{6}/?$"

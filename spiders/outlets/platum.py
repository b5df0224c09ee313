from spiders.wordpress import WordPressSpider


class PlatumSpider(WordPressSpider):
    name = "platum"
    source_name = "플래텀"
    base_url = "https://platum.kr"
    article_pattern = r"^/archives/\d+/?$"

from spiders.ndsoft import NDSoftSpider


class AITimesSpider(NDSoftSpider):
    name = "aitimes"
    source_name = "AI타임스"
    base_url = "https://www.aitimes.com"
    heading_tag = "h2"

from spiders.ndsoft import NDSoftSpider


class AITimesSpider(NDSoftSpider):
    """The newer ND-Soft skin (h1.heading, breadcrumbs dates, li.info-name); lists in ul.altlist-webzine."""

    name = "aitimes"
    source_name = "AI타임스"
    base_url = "https://www.aitimes.com"

from spiders.base import NewsSpider

_HEAD = "//div[contains(@class,'news_head')]"


class ZDNetKoreaSpider(NewsSpider):
    name = "zdnet"
    source_name = "지디넷코리아"
    base_url = "https://zdnet.co.kr"
    # No RSS of its own and no verified sitemap: the latest-news list (lstcode=0000) and FeedBurner's copy.
    start_paths = ("/news/?lstcode=0000&page=1",)
    feed_urls = ("https://feeds.feedburner.com/zdkorea",)
    article_pattern = r"^/view/\?(?:.*&)?no=\d{14}"
    listing_pattern = r"^/news/\?"
    fields = {
        "title": ("div.news_head h1::text",),
        "subtitle": ("div.news_head > p.summary::text",),
        "body": ("#articleBody", "div.view_cont"),
        # One span holds both: "입력 :2026/06/04 09:44 수정: 2026/06/04 09:54".
        # article:published_time / modified_time are the page-metadata rules' (transforms.metadata); these are
        # the outlet's own meta and visible line.
        "published_at": (
            "meta[property='dd:published_time']::attr(content)",
            f"(string({_HEAD}/p[contains(@class,'meta')]/span[contains(., '입력')]))",
        ),
        "modified_at": (f"(substring-after({_HEAD}/p[contains(@class,'meta')]/span[contains(., '수정')], '수정'))",),
        "authors": (
            "meta[property='dd:author']::attr(content)",
            ".reporter_info strong::text",
            ".reporter_name strong::text",
        ),
    }
    # Inside #articleBody after the text: ad, "관련기사" heading and its box, banner, reporter list, likes, tags.
    furniture = (
        ".view_ad",
        "(.//h2[normalize-space(.)='관련기사'])",
        ".news_box.connect",
        ".mt_bn_box",
        ".reporter_list2",
        ".like_box",
        ".tags",
    )

"""Scrapy settings for every newsetl crawl. `spiders.runner` overrides some per run from newsetl.toml."""

BOT_NAME = "newsetl"
SPIDER_MODULES = ["spiders.outlets", "spiders.generic"]
NEWSPIDER_MODULE = "spiders.outlets"

# A descriptive User-Agent: site owners can see who we are and why.
USER_AGENT = "newsetl/0.1 (Korean IT news research crawler; +https://github.com/newsetl/newsetl)"
ROBOTSTXT_OBEY = True

# Politeness: AutoThrottle adapts to each server's latency; per-domain limits cap the burst.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
# Scrapy starts this many asyncio workers for the output of every response; our pipelines only write a feed
# line, so the default 100 workers cost more CPU (task creation) than the items themselves.
CONCURRENT_ITEMS = 8
# Scrapy re-parses a generator callback's source (inspect + ast) on every response to warn about `return
# value` in it: its cache misses for bound methods, so it cost ~8% of the crawl's CPU. Our callbacks are linted.
WARN_ON_GENERATOR_RETURN_VALUE = False
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.0

# Failures: retry what may pass on a second try; give up on pages too big to be articles.
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
# Retries wait (Retry-After, else exponential backoff); redirect loops and off-site redirects are recorded
# as failures instead of vanishing (spiders/middlewares.py). DOWNLOAD_MAXSIZE also caps decompressed bodies.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "spiders.middlewares.PageBudgetMiddleware": 50,
    "spiders.middlewares.RFC9309RobotsTxtMiddleware": 100,
    "spiders.middlewares.BackoffRetryMiddleware": 550,
    "spiders.middlewares.RedirectGuardMiddleware": 650,
}
# Running counts for the parent's progress display (spiders/progress_file.py), on when NEWSETL_PROGRESS_DIR is set.
EXTENSIONS = {"spiders.progress_file.ProgressFile": 500}
NEWSETL_PROGRESS_DIR = ""
NEWSETL_RETRY_BACKOFF_BASE = 1.0
NEWSETL_RETRY_BACKOFF_MAX = 30.0
NEWSETL_RETRY_AFTER_MAX = 120.0
# robots.txt: RFC 9309 (unreachable = disallow) and Crawl-delay, capped (spiders/middlewares.py).
NEWSETL_CRAWL_DELAY_MAX = 30.0
# Crawl traps: pages per site per run (the runner sets it from [crawl] max_pages / --max-pages; 0 = none), and
# list pages followed from list pages at most this deep (a list page that brings no new article ends its chain).
NEWSETL_PAGE_BUDGET = 0
NEWSETL_MAX_LIST_DEPTH = 100

# Only the web: a file:// or ftp:// link (or redirect) on an allowed host fails as "unsupported scheme" and is
# recorded, instead of reading local files into the warehouse or opening FTP connections.
DOWNLOAD_HANDLERS = {"file": None, "ftp": None, "s3": None, "data": None}

TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
COOKIES_ENABLED = False
LOG_LEVEL = "WARNING"
FEED_EXPORT_ENCODING = "utf-8"

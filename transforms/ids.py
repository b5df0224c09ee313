"""Stable identifiers for articles: one canonical URL, one short id per article.

The same article is reached through links carrying tracking parameters, fragments or a different
parameter order; all of them must map to one id so that re-crawls update instead of duplicate.
"""

from __future__ import annotations

import hashlib
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as w3lib_canonicalize_url

# Query keys that only track where a click came from; they never select different content.
TRACKING_PARAM_NAMES: frozenset[str] = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref_src",
        "spm",
        "ncid",
        "cmpid",
    }
)
TRACKING_PARAM_PREFIXES: tuple[str, ...] = ("utm_", "pk_", "hsa_")

ARTICLE_ID_LENGTH = 16

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAM_NAMES or lowered.startswith(TRACKING_PARAM_PREFIXES)


def canonicalize_url(url: str) -> str:
    """Return the canonical form of `url`: tracking params, default port and fragment dropped, query sorted.

    w3lib does the general part: scheme and host lower-cased, the host IDNA-encoded, path and query
    percent-encoded as UTF-8 with upper-case escapes (a raw and an escaped Hangul path are one URL), the
    query sorted. The path keeps its case (paths are case-sensitive on many servers). Our part is only
    what w3lib leaves alone: click-tracking parameters and an explicit default port.
    """
    if not url.strip():
        return ""
    parts = urlsplit(url.strip())
    netloc = parts.netloc
    if parts.port is not None and _DEFAULT_PORTS.get(parts.scheme.lower()) == parts.port:
        netloc = netloc.rpartition(":")[0]
    kept = [
        pair for pair in parts.query.split("&") if pair and not _is_tracking_param(unquote_plus(pair.split("=")[0]))
    ]
    return w3lib_canonicalize_url(urlunsplit((parts.scheme, netloc, parts.path, "&".join(kept), "")))


def article_id(url: str) -> str:
    """16 hex chars of sha1 over the canonical URL: short, stable across tracking variants."""
    digest = hashlib.sha1(canonicalize_url(url).encode("utf-8")).hexdigest()
    return digest[:ARTICLE_ID_LENGTH]


CRAWLABLE_SCHEMES = ("http", "https")


def start_url_problem(url: str) -> str | None:
    """Why `url` cannot be crawled as a start URL (None when it can): only absolute http(s) URLs with a host.

    Checked before any work, so one bad URL never silently drops the ones after it, and file:// or ftp://
    never reaches a downloader."""
    if not url or url != url.strip() or any(ord(char) < 33 for char in url):
        return "spaces or control characters in the URL"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port that is not a number in 0-65535
    except ValueError as exc:
        return f"malformed URL ({exc})"
    if parts.scheme.lower() not in CRAWLABLE_SCHEMES:
        return f"only http and https URLs are crawled, not {parts.scheme or 'a URL without a scheme'}"
    if not parts.hostname:
        return "no host in the URL"
    if port == 0:
        return "port 0 is not a port"
    return None

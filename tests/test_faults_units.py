"""Fast checks of the reliability pieces: Retry-After parsing, backoff bounds, host checks, failure
reasons, Korean decoding of mislabelled pages, and the fault site itself over real loopback HTTP."""

from __future__ import annotations

import datetime as dt
import gzip
import html
import random
import struct
import urllib.error
import urllib.request
from email.utils import format_datetime

import pytest
from fault_site import (
    BOMB_INFLATED_BYTES,
    FAULTS,
    OFFSITE_LINKS,
    FaultServer,
    article_html,
    article_paragraphs,
)
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from spiders.middlewares import backoff_delay, describe_failure, host_is_allowed, parse_retry_after
from transforms.charset import decode_html

NOW = dt.datetime(2025, 11, 20, 12, 0, tzinfo=dt.UTC)


def test_retry_after_seconds_and_http_dates():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(b" 3 ") == 3.0
    in_thirty = format_datetime(NOW + dt.timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(in_thirty, now=NOW) == pytest.approx(30.0)
    assert parse_retry_after(format_datetime(NOW - dt.timedelta(hours=1), usegmt=True), now=NOW) == 0.0
    assert parse_retry_after("soon, maybe") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None


@pytest.mark.parametrize("retry_number", [1, 2, 3, 4, 8])
def test_backoff_doubles_with_jitter_and_a_cap(retry_number):
    rng = random.Random(retry_number)
    ceiling = min(5.0, 0.5 * 2 ** (retry_number - 1))
    for _ in range(50):
        assert ceiling / 2 <= backoff_delay(retry_number, 0.5, 5.0, rng) <= ceiling


def test_allowed_hosts_ignore_ports_and_never_match_lookalikes():
    assert host_is_allowed("127.0.0.1", ["127.0.0.1"])
    assert host_is_allowed("m.it.chosun.com", ["it.chosun.com"])
    assert not host_is_allowed("127.0.0.1.example", ["127.0.0.1"])
    assert not host_is_allowed("evilit.chosun.com", ["it.chosun.com"])
    assert not host_is_allowed("moved.example", ["127.0.0.1"])


def _failure(error: Exception, retries: int = 0) -> Failure:
    failure = Failure(error)
    failure.request = Request("http://127.0.0.1/news/articleView.html?idxno=1", meta={"retry_times": retries})  # type: ignore[attr-defined]
    return failure


def test_failure_reasons_name_their_kind():
    response = Response("http://127.0.0.1/x", status=503)
    assert describe_failure(_failure(HttpError(response, "ignored"), retries=2)) == (
        "http: HTTP 503 (gave up after 2 retries)",
        503,
    )
    reason, status = describe_failure(_failure(DownloadTimeoutError("took longer than 2.0 seconds")))
    assert reason.startswith("timeout: ") and status is None
    assert describe_failure(_failure(IgnoreRequest("Forbidden by robots.txt")))[0].startswith("robots: ")
    bomb = IgnoreRequest("body (65 B compressed, 10 MB decompressed) exceeded DOWNLOAD_MAXSIZE (10 B)")
    assert describe_failure(_failure(bomb))[0].startswith("too-large: ")


def test_cp949_bytes_labelled_utf8_or_unlabelled_decode_as_korean():
    for idxno, header in ((5, "text/html; charset=utf-8"), (6, "text/html")):
        page = article_html(idxno, charset_meta=idxno == 5).encode("cp949")
        text = html.unescape(decode_html(page, header))
        for paragraph in article_paragraphs(idxno):
            assert paragraph in text
        assert "\ufffd" not in text


@pytest.fixture(scope="module")
def fault_site():
    with FaultServer(slow_seconds=0.1, hang_seconds=1) as site:
        yield site


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback test server
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_fault_site_binds_loopback_and_links_every_fault(fault_site):
    assert fault_site.base_url.startswith("http://127.0.0.1:")
    status, _, body = _get(fault_site.base_url + "/news/articleList.html?view_type=sm")
    page = body.decode("utf-8")
    assert status == 200
    for fault in FAULTS:
        assert f"idxno={fault.idxno}" in page
    for link in OFFSITE_LINKS:
        assert link.split("//", 1)[1] in page
    _, _, robots = _get(fault_site.base_url + "/robots.txt")
    assert b"Disallow: /news/articleView.html?idxno=115" in robots


def test_fault_site_503_then_200_and_429_with_retry_after(fault_site):
    assert _get(fault_site.article_url(2))[0] == 503
    assert _get(fault_site.article_url(2))[0] == 200
    status, headers, _ = _get(fault_site.article_url(104))
    assert (status, headers["Retry-After"]) == (429, "1")


def test_fault_site_gzip_bomb_is_small_on_the_wire_and_huge_inflated(fault_site):
    status, headers, body = _get(fault_site.article_url(114))
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert len(body) < 200_000
    # The gzip trailer holds the inflated size (mod 2**32): no need to inflate 64 MB to check it.
    assert struct.unpack("<I", body[-4:])[0] == BOMB_INFLATED_BYTES % 2**32
    status, _, body = _get(fault_site.article_url(10))
    assert article_paragraphs(10)[0] in gzip.decompress(body).decode("utf-8")

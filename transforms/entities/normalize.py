"""MONEY and DATE mentions: regex finders and normalisation (pure functions, no Kiwi needed)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta

_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
# One chunk of a Korean amount: "3200억", "2천억", "1조", "5천500만", "1,000만".
_CHUNK = rf"{_NUMBER}(?:[천백십]?(?:{_NUMBER})?[천백십]?[조억만])?"
_AMOUNT = rf"{_CHUNK}(?:\s?{_CHUNK})*여?"
_CURRENCIES = {"원": "KRW", "달러": "USD", "엔": "JPY", "유로": "EUR", "위안": "CNY", "파운드": "GBP"}
# "원" must not start a longer word (원장, 원래, 원인...), so it is not followed by those syllables.
# Every amount starts with a digit or "$": the leading lookahead rejects other positions at once
# instead of trying each alternative there (8x faster on news text, same matches).
MONEY_RE = re.compile(
    rf"(?=[\d$])(?:(?<![\d,.])(?:{_AMOUNT})\s?(?:원(?![장래인칙자전])|달러|엔|유로|위안|파운드)|\$\s?{_AMOUNT})"
)

_BIG_UNITS = {"조": 10**12, "억": 10**8, "만": 10**4}
_SMALL_UNITS = {"천": 1000, "백": 100, "십": 10}
_AMOUNT_PART = re.compile(rf"({_NUMBER})|([조억만천백십])")


def normalize_money(surface: str) -> tuple[int | None, str]:
    """Value of a money surface in its currency's units, and the currency code.

    `1조 2천억 원` -> (1200000000000, "KRW"); `5억 달러` -> (500000000, "USD").
    """
    currency = "USD" if surface.lstrip().startswith("$") else "KRW"
    for word, code in _CURRENCIES.items():
        if surface.rstrip().endswith(word):
            currency = code
            break
    total = 0.0
    section = 0.0  # the part below the current big unit (만/억/조)
    current: float | None = None
    seen_number = False
    for number, unit in _AMOUNT_PART.findall(surface):
        if number:
            current = float(number.replace(",", ""))
            seen_number = True
        elif unit in _SMALL_UNITS:
            section += (current if current is not None else 1) * _SMALL_UNITS[unit]
            current = None
        else:
            section += current or 0
            total += (section or 1) * _BIG_UNITS[unit]
            section, current = 0.0, None
    if not seen_number:
        return None, currency
    total += section + (current or 0)
    return int(round(total)), currency


_YEAR = r"(?:19|20)\d{2}"
# Longest forms first; "지난" before a day or year is part of the mention, as in KLUE (but not the
# end of a longer word: "카카오는 26일" has no "오는").
# What may follow a part of a month or year ("이달 말까지", "올해 상반기에"): a particle, not more of a word (초기).
_PART_PARTICLE = "까지|부터|에|께|경|쯤|의|로|은|는|이|가|도|엔|을|를"
# A month named against the publication's: 내달 is next month (not the verb 내달리다: 내달려, 내달린).
_MONTH_WORD = r"지난\s?달|이번\s?달|이달|다음\s?달|(?<![가-힣])내달(?![리려렸린릴])"
# The lookahead lists how a date can start (a digit, 지난/오는 or a relative word): other positions fail at
# once instead of trying each alternative (이, 다, 지 start most Korean words; same matches). The character class
# before it holds those words' first letters: one test rejects most positions before the sixteen words are tried
# (a quarter less CPU over news text).
DATE_RE = re.compile(
    r"(?=[\d지오작올금내이전어다월화수목토일])"
    r"(?=\d|지난|오는|작년|올|금년|내년|내달|이날|이달|이번|전날|오늘|어제|내일|다음|[월화수목금토일]요일)(?:"
    # a quarter, with its year if written: "2분기", "올해 3분기", "지난해 4분기", "(오는) 2024년 1분기" (not
    # "2분기 연속")
    rf"(?:(?:(?<![가-힣])(?:지난|오는)\s)?(?:{_YEAR}년|지난해|작년|올해|금년|내년|(?<![가-힣])올)\s?|"
    r"(?<![가-힣])오는\s)?(?<!\d)[1-4]\s?분기(?!\s?연속|별)"
    rf"|(?:(?<![가-힣])(?:지난|오는)\s)?(?:{_YEAR})[.-]\s?\d{{1,2}}[.-]\s?\d{{1,2}}\.?"
    rf"|(?:(?<![가-힣])(?:지난|오는)\s)?(?:(?:{_YEAR})년\s?)?(?:\d{{1,2}}월\s?)?\d{{1,2}}일(?![간째])"
    # a part of a year written out: "2026년 상반기", "2012년 말" (KLUE's span: whole)
    rf"|(?:(?<![가-힣])(?:지난|오는)\s)?{_YEAR}년\s?(?:초|말|상반기|하반기|연말|연초)(?=[^가-힣]|$|{_PART_PARTICLE})"
    rf"|(?:(?<![가-힣])(?:지난|오는)\s)?(?:{_YEAR})년(?:\s?\d{{1,2}}월)?(?![간대])"
    rf"|(?:(?<![가-힣])(?:지난|오는)\s)?\d{{1,2}}월(?![간])"
    # a month or a day named against a relative year or month: "작년 12월", "올해 3월 5일", "이달 20일"
    r"|(?:지난해|작년|올해|금년|내년)\s?\d{1,2}월(?:\s?\d{1,2}일(?![간째]))?(?![간])"
    rf"|(?:{_MONTH_WORD})\s?\d{{1,2}}일(?![간째])"
    # part of a relative month or year: "이달 중순", "다음 달 초", "올해 상반기", "내년 말" (KLUE's span: whole)
    rf"|(?:{_MONTH_WORD})\s?(?:초|중순|하순|상순|말)(?=[^가-힣]|$|{_PART_PARTICLE})"
    rf"|(?:지난해|작년|올해|금년|내년)\s?(?:초|말|상반기|하반기|연말|연초)(?=[^가-힣]|$|{_PART_PARTICLE})"
    # a weekday: "지난 토요일", "오는 수요일", "이번 주 금요일", "일요일"
    r"|(?:(?<![가-힣])(?:지난|오는|이번\s?주|다음\s?주|지난\s?주)\s?)?[월화수목금토일]요일(?!날|마다|판)"
    rf"|지난해|작년|올해|금년|내년|이날|전날|오늘|어제|내일|{_MONTH_WORD}|지난주|이번\s?주|다음\s?주)"
)

_RELATIVE_DAYS = {"이날": 0, "오늘": 0, "전날": -1, "어제": -1, "내일": 1}
_RELATIVE_YEARS = {"지난해": -1, "작년": -1, "올해": 0, "금년": 0, "내년": 1}
_RELATIVE_MONTHS = {"지난달": -1, "이번달": 0, "이달": 0, "다음달": 1, "내달": 1}
_RELATIVE_WEEKS = {"지난주": -7, "이번주": 0, "다음주": 7}
_NUMERIC_DATE = re.compile(r"((?:19|20)\d{2})[.-]\s?(\d{1,2})[.-]\s?(\d{1,2})")
_PARTS = re.compile(r"(?:((?:19|20)\d{2})년)?\s?(?:(\d{1,2})월)?\s?(?:(\d{1,2})일)?")


def parse_anchor(published_at: str | None) -> date | None:
    """The publication date of an ISO 8601 date or datetime, or None."""
    if not published_at:
        return None
    try:
        return datetime.fromisoformat(published_at.strip()).date()
    except ValueError:
        try:
            return date.fromisoformat(published_at.strip()[:10])
        except ValueError:
            return None


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


# Words right after a date that make it a future one: "26일부터", "26일까지", "26일 열릴 예정".
_FUTURE_MARKERS = ("부터", "까지", "예정", "계획", "열린다", "열릴", "개최한다", "개최될", "앞두고", "할 것", "될 것")


def _says_future(following: str) -> bool:
    return any(marker in following for marker in _FUTURE_MARKERS)


def _resolve_relative_word(compact: str, anchor: date | None) -> str | None:
    """A word that names a day, week, month or year relative to the publication (어제, 지난달, 내년)."""
    if anchor is None:
        return None
    if compact in _RELATIVE_DAYS:
        return (anchor + timedelta(days=_RELATIVE_DAYS[compact])).isoformat()
    if compact in _RELATIVE_YEARS:
        return f"{anchor.year + _RELATIVE_YEARS[compact]:04d}"
    if compact in _RELATIVE_MONTHS:
        return _iso(*_shift_month(anchor.year, anchor.month, _RELATIVE_MONTHS[compact]))
    return (anchor + timedelta(days=_RELATIVE_WEEKS[compact])).isoformat()


_RELATIVE_WORDS = frozenset({**_RELATIVE_DAYS, **_RELATIVE_YEARS, **_RELATIVE_MONTHS, **_RELATIVE_WEEKS})


def _resolve_month(month: int, day: int | None, anchor: date, past: bool, coming: bool) -> str | None:
    """A month (and day) without a year: the anchor's year, unless 지난/오는 points across a new year."""
    year = anchor.year
    # "지난 11월" in a March article is last year's November; "오는 2월" in November is next year's.
    if past and month > anchor.month:
        year -= 1
    elif coming and month < anchor.month:
        year += 1
    return _iso(year, month, day)


def _resolve_day(day: int, anchor: date, past: bool, coming: bool, following: str) -> str | None:
    """A bare day: this month's, next month's when said as coming, last month's when reported as past."""
    year, month = anchor.year, anchor.month
    if coming:
        # "오는 3일" in a 2026-11-20 article: the next 3rd, in December.
        if day < anchor.day:
            year, month = _shift_month(year, month, 1)
    elif day > anchor.day and (past or not _says_future(following)):
        # A day after the publication day reported as past ("지난 28일", or a bare "28일 발표했다")
        # is last month's.
        year, month = _shift_month(year, month, -1)
    return _iso(year, month, day)


_WEEKDAYS = "월화수목금토일"
_WEEKDAY = re.compile(r"(지난주|이번주|다음주|지난|오는)?([월화수목금토일])요일")


def _resolve_weekday(compact: str, anchor: date | None, following: str) -> str | None:
    """A weekday against the publication: 지난 the last one before it, 오는 the next after it, 이번/다음/지난 주 that
    day of the anchor's week (Monday first) or the week after or before; alone, the last one on or before it,
    unless said as future (then the next on or after it)."""
    match = _WEEKDAY.fullmatch(compact)
    if match is None or anchor is None:
        return None
    word, day = match.groups()
    target = _WEEKDAYS.index(day)
    if word in ("이번주", "다음주", "지난주"):
        monday = anchor - timedelta(days=anchor.weekday())
        return (monday + timedelta(days=target + _RELATIVE_WEEKS[word])).isoformat()
    back = (anchor.weekday() - target) % 7
    ahead = (target - anchor.weekday()) % 7
    if word == "지난":
        return (anchor - timedelta(days=back or 7)).isoformat()
    if word == "오는":
        return (anchor + timedelta(days=ahead or 7)).isoformat()
    if _says_future(following):
        return (anchor + timedelta(days=ahead)).isoformat()
    return (anchor - timedelta(days=back)).isoformat()


# A relative year or month word in front of a month or day ("작년12월", "이달20일", spaces removed).
_RELATIVE_PREFIX = re.compile(r"(지난해|작년|올해|금년|내년|지난달|이번달|이달|다음달|내달)(?=\d)")


# "이달중순", "올해상반기" (spaces removed): the relative word and a part of its month or year.
_RELATIVE_PERIOD = re.compile(
    r"(지난해|작년|올해|금년|내년|지난달|이번달|이달|다음달|내달)(?:초|중순|하순|상순|말|상반기|하반기|연말|연초)"
)


def _resolve_against_relative(word: str, rest: str, anchor: date | None) -> str | None:
    """ "작년 12월" -> last year's December; "이달 20일" -> this month's 20th; "지난해 3월 5일" -> a full date."""
    if anchor is None:
        return None
    parts = _PARTS.fullmatch(rest)
    if parts is None:
        return None
    _, month_text, day_text = parts.groups()
    day = int(day_text) if day_text else None
    if word in _RELATIVE_YEARS:
        return _iso(anchor.year + _RELATIVE_YEARS[word], int(month_text) if month_text else None, day)
    year, month = _shift_month(anchor.year, anchor.month, _RELATIVE_MONTHS[word])
    return _iso(year, month, day)


# "올해2분기", "2024년1분기", "3분기" (spaces removed): a quarter and the year it is in; 지난/오는 before a
# written year adds nothing to it.
_TOWARDS_YEAR = re.compile(r"^(?:지난|오는)(?=\d)")
_QUARTER = re.compile(r"(?:(지난해|작년|올해|금년|내년|올)|((?:19|20)\d{2})년)?([1-4])분기")


def _resolve_quarter(quarter: re.Match[str], anchor: date | None, following: str, coming: bool) -> str | None:
    """ "YYYY-Qn": the year written or named against the publication; a bare quarter is the publication year's,
    or last year's when it is later than the publication's own quarter and not said as future (results are
    reported after the quarter: "4분기 매출" in a January article is last year's); "오는 1분기" is the next one
    of that number."""
    word, year_text, number = quarter.groups()
    number = int(number)
    if year_text:
        return f"{year_text}-Q{number}"
    if anchor is None:
        return None
    if word:
        return f"{anchor.year + _RELATIVE_YEARS.get(word, 0):04d}-Q{number}"
    later = number > (anchor.month - 1) // 3 + 1
    if coming:
        return f"{anchor.year + (not later):04d}-Q{number}"
    return f"{anchor.year - (later and not _says_future(following)):04d}-Q{number}"


def resolve_date(surface: str, anchor: date | None, following: str = "") -> str | None:
    """ISO date of a date mention, against the article's publication date.

    Returns "YYYY", "YYYY-MM" or "YYYY-Qn" (a quarter) when that is all the surface says; None when it needs an anchor
    and there is none. `7월 4일` in a 2019-07-26 article -> "2019-07-04"; `지난해` -> "2018".
    `following` is the text right after the mention (a few words): news reports past events by a
    bare day, so "26일" in a 2026-11-20 article is 2026-10-26 unless it is said as future
    ("오는 26일", "26일부터", "26일 열릴 예정") -> 2026-11-26.
    """
    text = surface.strip()
    past = text.startswith("지난")
    coming = text.startswith("오는")
    compact = text.replace(" ", "")
    if compact in _RELATIVE_WORDS:
        return _resolve_relative_word(compact, anchor)
    quarter = _QUARTER.fullmatch(_TOWARDS_YEAR.sub("", compact))
    if quarter:
        return _resolve_quarter(quarter, anchor, following, coming)
    relative = _RELATIVE_PREFIX.match(compact)
    if relative:
        return _resolve_against_relative(relative.group(1), compact[relative.end() :], anchor)
    period = _RELATIVE_PERIOD.fullmatch(compact)
    if period:
        return _resolve_relative_word(period.group(1), anchor)  # the month or year the part belongs to
    if compact.endswith("요일"):
        return _resolve_weekday(compact, anchor, following)
    numeric = _NUMERIC_DATE.search(text)
    if numeric:
        return _iso(int(numeric.group(1)), int(numeric.group(2)), int(numeric.group(3)))
    parts = _PARTS.search(text.removeprefix("지난").removeprefix("오는").strip())
    if not parts or not any(parts.groups()):
        return None
    year_text, month_text, day_text = parts.groups()
    day = int(day_text) if day_text else None
    if year_text:
        return _iso(int(year_text), int(month_text) if month_text else None, day)
    if anchor is None:
        return None
    if month_text:
        return _resolve_month(int(month_text), day, anchor, past, coming)
    if day is None:
        return None
    return _resolve_day(day, anchor, past, coming, following)


def find_money(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, normalized) for each money amount in the text."""
    for match in MONEY_RE.finditer(text):
        value, currency = normalize_money(match.group())
        if value is None:
            continue
        normalized = str(value) if currency == "KRW" else f"{currency} {value}"
        yield match.start(), match.end(), normalized


_SENTENCE_STOP = re.compile(r"[.!?\n]")


def find_dates(text: str, anchor: date | None) -> Iterator[tuple[int, int, str | None]]:
    """(start, end, ISO or None) for each date expression in the text."""
    for match in DATE_RE.finditer(text):
        # the words after it in its own sentence ("일요일 방송됐다. 월요일부터 …": the 부터 is the next date's)
        following = _SENTENCE_STOP.split(text[match.end() : match.end() + 16], 1)[0]
        yield match.start(), match.end(), resolve_date(match.group(), anchor, following)

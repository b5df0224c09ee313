"""Constants and helpers the rule modules share: the tagger's kinds and the entity types, the title after a
name, span overlaps, what the lexicons know a form as, and mentions replaced or covered."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from functools import cache
from itertools import accumulate

from transforms.entities.entity_forms import EntityForms
from transforms.entities.gazetteer import Gazetteer
from transforms.records import Mention

KIND_TO_TYPE = {"PS": "PERSON", "OG": "ORG", "LC": "LOC"}
TYPE_TO_KIND = {value: key for key, value in KIND_TO_TYPE.items()}
# `시진핑(習近平)`: the name again in Chinese characters; one character (`주(州)`) glosses a word, not a name.
PAREN_HANJA = re.compile(r"\(([\u4e00-\u9fff]{2,8})\)")
# Current and former, written before a post after a name (`강석진 현 대표`, `이 전 대표`): also surnames.
TENSE_OF_POST = frozenset("현전")


NAMED_TYPES = frozenset({"PERSON", "ORG", "LOC"})


# A word's letters, Hangul or Latin; a title is such a word (대표, CTO, 최고기술책임자): the longest one the word
# starts with is read.
WORD_LETTERS = re.compile("[가-힣A-Za-z]+")
# A sentence's end: its final punctuation before a space or the text's end, or a line break (not 3.5%).
SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")
# Kiwi's tags of punctuation and symbols (quotes, brackets, stops, commas, ellipses, other signs).
PUNCTUATION_TAGS = frozenset(("SF", "SP", "SS", "SSO", "SSC", "SE", "SO", "SW"))
# Quotation marks that open and close a quoted name (straight and curly, single and double).
OPENING_QUOTES = "'‘\"“"
CLOSING_QUOTES = "'’\"”"
# A unit's name written between an organisation and a post: ` 메모리사업부` in `삼성전자 메모리사업부 부사장`,
# ` AI서비스` in `카카오 AI서비스 성과리더`.
UNIT_BEFORE_POST = re.compile(r" [가-힣A-Za-z0-9]{2,12}(?= )")
_DIVISION = re.compile("[A-Z]{2,4}")
# A title with one of these written on is another noun: `리더십`, `파트너십`, `노만 리더스` (a family name).
_NOUN_OF_TITLE = frozenset("십쉽스")
_ORDINAL = re.compile("제[0-9]{1,2}(?=[가-힣])")


@cache
def _longest_title(titles: frozenset[str]) -> int:
    return max(map(len, titles), default=0)


def title_after(text: str, end: int, titles: frozenset[str], max_gap: int = 1) -> tuple[str, int] | None:
    """The title word starting within `max_gap` spaces after `end`, longest first."""
    position = end
    while position < len(text) and position - end < max_gap and text[position] == " ":
        position += 1
    ordinal = _ORDINAL.match(text, position)
    if ordinal is not None:
        # `제2차관`, `제1부시장`: the post with its number
        post = title_after(text, ordinal.end(), titles, max_gap=0)
        return (ordinal.group() + post[0], post[1]) if post is not None else None
    word = WORD_LETTERS.match(text, position)
    if word is None:
        return None
    letters = word.group()
    if letters in _IN_CHARGE and text[word.end() : word.end() + 1] == " ":
        # `패키지개발 담당 부사장`, `총괄 프로듀서`: in charge of the unit before, the rank after is the title
        rank = title_after(text, word.end(), titles)
        if rank is not None:
            return rank
    for size in range(min(len(letters), _longest_title(titles)), 0, -1):
        if letters[:size] in titles and letters[size : size + 1] not in _NOUN_OF_TITLE:
            return letters[:size], position + size
    # `DS부문장`, `MX사업부장`: a division's Latin name written onto the post is part of the title
    division = _DIVISION.match(letters)
    if division is not None and letters[division.end() :] in titles:
        return letters, word.end()
    post = scoped_post(letters, position)
    if post is not None and post[0].endswith(_IN_CHARGE) and text[post[1] : post[1] + 1] == " ":
        # `보도담당 사장`, `인프라기술담당 부사장`: what the person is in charge of, then the rank, the title
        return title_after(text, post[1], titles) or post
    if post is None:
        headed = institution_post(letters)
        if headed is not None:
            return headed[1], position + headed[2]
    return post


# Posts heading a unit, written onto the unit's name: `네트워크부문장`, `광고사업실장`, `패키지개발팀장`, `보도국장`.
_UNIT_HEADS = (
    *("부문장", "사업부장", "본부장", "실장", "센터장", "팀장", "연구소장", "소장", "단장", "그룹장", "랩장", "국장"),
    *("법인장", "지사장", "공장장", "사업장장", "부시장", "부지사", "총괄", "담당", "리더"),
)
_IN_CHARGE = ("담당", "총괄")
_UNIT_HEAD_LAST = frozenset(head[-1] for head in _UNIT_HEADS)
_UNIT_HEAD_AT_END = re.compile(
    "[가-힣A-Za-z]{2,12}?(?:" + "|".join(_UNIT_HEADS) + ")(?=(?:은|는|이|가|을|를|의|과|와|도|으로|로|에게)?$)"
)


def scoped_post(letters: str, position: int) -> tuple[str, int] | None:
    """A unit head's post with its unit written onto it (`광고사업실장은` -> 광고사업실장), the whole word but a
    particle; `position`: where the word starts."""
    if not _UNIT_HEAD_LAST.intersection(letters[-3:]):
        return None  # most words end in no unit head: skip the pattern
    post = _UNIT_HEAD_AT_END.match(letters)
    if post is None:
        return None
    return post.group(), position + post.end()


# The head of an institution written onto its name: `금융보안원장`, `서울지방국세청장`, `개인정보보호위원장`,
# `서울대총장`. KLUE's training split covers none of its 139 such words with an organisation or place (one with
# a person and the post: `루네스타 사무총장`). A market, `국제시장`, and a branch, `전남지사`, are names, so neither
# 시장 nor 지사 is here (a region's 시장 is `_REGIONAL_POST`'s), nor 의장: `국제회의장` is a hall.
_INSTITUTION_HEAD = re.compile(
    "([가-힣A-Za-z]{2,12}?)(위원장|원장|청장|처장|관장|총장|검장|교육감|군수)"
    "(?=(?:은|는|이|가|을|를|의|과|와|도|으로|로|에게|에|께서)?$)"
)
_INSTITUTION_HEAD_LAST = frozenset("장감수")


def institution_post(letters: str) -> tuple[str, str, int] | None:
    """The institution and its head's post in one word, and where the post ends: `금융보안원장은` ->
    (금융보안원, 원장, 6), `개인정보보호위원장` -> (개인정보보호위원회, 위원장, 9), `서울중앙지검장` ->
    (서울중앙지검, 지검장, 7)."""
    if not _INSTITUTION_HEAD_LAST.intersection(letters[-3:]):
        return None  # most words end in no such post: skip the pattern
    match = _INSTITUTION_HEAD.match(letters)
    if match is None:
        return None
    name, post = match.groups()
    if post == "위원장":
        # 철도노조위원장: a union's chair; 개인정보보호위원장: the committee's
        institution = name if name.endswith(("노조", "조합")) else name + "위원회"
    elif post == "총장":
        institution = name  # 서울대총장: the university
    elif post == "검장":
        institution, post = name + "검", name[-1] + post  # 지검장, 고검장
    elif post == "교육감":
        institution = name + "교육청"
    else:
        institution = name + post[0]  # 원장 of the 원, 청장 of the 청, 군수 of the 군
    return institution, post, match.end()


def is_post_word(word: str) -> bool:
    """The whole word is a post with what it heads written onto it (`네트워크부문장`, `제주지검장`)."""
    headed = institution_post(word)
    if headed is not None:
        return headed[2] == len(word)
    post = scoped_post(word, 0)
    return post is not None and post[1] == len(word)


def overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in taken)


class SpanIndex:
    """Spans sorted by start, with the furthest end up to each: a span overlaps one of them iff the furthest
    end among those starting before its end passes its start (two bisections instead of a scan)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.reach = list(accumulate((end for _, end in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect_left(self.starts, end)
        return before > 0 and self.reach[before - 1] > start


LEGAL_FORM_BEFORE = re.compile(r"^(?:\(주\)|㈜)\s?")


def post_after(text: str, end: int, gazetteer: Gazetteer) -> bool:
    """A post follows (씨 is a form of address, no post)."""
    title = title_after(text, end, gazetteer.titles)
    return title is not None and title[0] != "씨"


def known_as(form: str, kind: str, forms: EntityForms, gazetteer: Gazetteer, name_lexicon: bool = True) -> bool:
    """The KLUE training forms or the hand-written gazetteers type `form` as `kind` (PS, OG or LC); for a person,
    also the name lexicon (a dictionary's 117k person names, many of them also words) unless `name_lexicon`
    is false."""
    entry = forms.entries.get(form.replace(" ", ""))
    if entry is not None and entry[0] == kind:
        return True
    if kind == "OG":
        return form in gazetteer.organisations
    if kind == "LC":
        return form in gazetteer.places
    return name_lexicon and "P" in gazetteer.name_kinds.get(form, "")


def without_covered(mentions: list[Mention], lengthened: list[tuple[int, int]]) -> list[Mention]:
    """`mentions` less those inside one of the `lengthened` spans (the lengthened mentions themselves stay)."""
    return [
        m
        for m in mentions
        if not any(s <= m.start and m.end <= e and (s, e) != (m.start, m.end) for s, e in lengthened)
    ]


def with_replacements(mentions: list[Mention], added: list[Mention], replaced: set[int]) -> list[Mention]:
    """`mentions` without those whose id() is in `replaced`, plus `added`, in text order (`mentions` itself when
    nothing was added)."""
    if not added:
        return mentions
    kept = [mention for mention in mentions if id(mention) not in replaced]
    return sorted(kept + added, key=lambda mention: mention.start)


def extend_through_match(text: str, mentions: list[Mention], kind: str, after: re.Pattern[str]) -> list[Mention]:
    """Each mention of type `kind` that `after` matches right behind runs on through the match, unless the next
    mention starts inside it."""
    result = mentions
    for position, mention in enumerate(mentions):
        found = after.match(text, mention.end) if mention.type == kind else None
        if found is None or (position + 1 < len(mentions) and mentions[position + 1].start < found.end()):
            continue
        result = result.copy() if result is mentions else result
        surface = text[mention.start : found.end()]
        result[position] = Mention(mention.start, found.end(), surface, kind, surface)
    return result


def stands_as_word(tags: list[str], eojeols: list[int], token: int) -> bool:
    """The token is its word: only punctuation (a quote, a bracket) before it in its eojeol, and only
    particles and punctuation after it."""
    eojeol = bisect_right(eojeols, token) - 1
    return all(tag in PUNCTUATION_TAGS for tag in tags[eojeols[eojeol] : token]) and all(
        tag.startswith("J") or tag in PUNCTUATION_TAGS for tag in tags[token + 1 : eojeols[eojeol + 1]]
    )


def join_spaced_pairs(
    text: str, mentions: list[Mention], joined_type: Callable[[Mention, Mention], str | None]
) -> list[Mention]:
    """Each mention and the one a single space after it made one mention, of the type `joined_type` gives the
    pair (None: kept apart); the joined mention can join the next in turn."""
    result: list[Mention] = []
    for mention in mentions:
        previous = result[-1] if result else None
        kind = (
            joined_type(previous, mention)
            if previous is not None and mention.start == previous.end + 1 and text[previous.end] == " "
            else None
        )
        if kind is None:
            result.append(mention)
            continue
        surface = text[previous.start : mention.end]
        result[-1] = Mention(previous.start, mention.end, surface, kind, surface)
    return result

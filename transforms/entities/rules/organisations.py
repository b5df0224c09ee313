"""Organisation rules: public offices, listed and known organisations, firms by ending, described, founded
and legal-form companies, parenthesised abbreviations and affiliations."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from itertools import compress

from transforms.entities.entity_forms import EntityForms
from transforms.entities.features import HANGUL_SYLLABLE, TokenColumns
from transforms.entities.gazetteer import Gazetteer
from transforms.entities.rules.common import (
    CLOSING_QUOTES,
    LEGAL_FORM_BEFORE,
    NAMED_TYPES,
    OPENING_QUOTES,
    PAREN_HANJA,
    PUNCTUATION_TAGS,
    TENSE_OF_POST,
    TYPE_TO_KIND,
    UNIT_BEFORE_POST,
    SpanIndex,
    join_spaced_pairs,
    known_as,
    overlaps,
    post_after,
    title_after,
    with_replacements,
)
from transforms.entities.rules.people import looks_like_korean_name, one_foreign_name, shaped_like_full_name
from transforms.entities.subtoken import ends_in_vowel
from transforms.records import Mention

# Public offices named by their place (`서울 강남경찰서`, `대구 남구청`, `수원지방법원`): the training split types
# a name ending in one of these an organisation 214 times and a place 14 times (파출소, a place as often as not,
# is left out).
OFFICE_HEADS = (
    "경찰서",
    "경찰청",
    "검찰청",
    "교육청",
    "구청",
    "군청",
    "시청",
    "도청",
    "법원",
    "지청",
    "소방서",
    "지구대",
)
# "세계보건기구(WHO)", "식품의약품안전처(식약처)": an abbreviation in parentheses right after an organisation
# names it too. KLUE's training split tags it so in 104 of 106 Latin cases and 20 of 28 one-word Hangul ones
# (7 of the other 8 are countries: a club's home). Anything else there (phone numbers, "이하 …") is not taken.
_LATIN_NAME = r"[A-Z][A-Za-z0-9&.\-]*(?: [A-Za-z0-9&.\-]+)*"
_PAREN_ABBREVIATION = re.compile(rf"\(({_LATIN_NAME}|[가-힣]{{2,10}})\)")
# A name in Latin letters alone (`(NLL)`), for a place's
_PAREN_LATIN = re.compile(rf"\(({_LATIN_NAME})\)")
# What joins the names of a list: a middle dot, a comma, 와/과/및 and a space.
_LIST_JOINER = re.compile(r"·|, ?|(?:와|과|및) ")


# What only an organisation has, written after its name: a founder, a board, a shareholders' meeting (held:
# `위지웍스는 주주총회에서`); what was founded (`X를 창업한`).
_FIRM_CONTEXT_AFTER = (
    r"(?: ?(?:공동)?(?:창업자|창업주|설립자|창립자)| (?:이사회|주주총회)"
    r"|(?:은|는|이|가) (?:정기 |임시 )?(?:주주총회|이사회)에서|(?:을|를) (?:창업|설립|창립)한)"
)
_FIRM_CONTEXT = re.compile(_FIRM_CONTEXT_AFTER)
_BODY_OF_A_FIRM = re.compile(r"(?<![0-9A-Za-z가-힣&])([0-9A-Za-z가-힣&]{2,20}?)" + _FIRM_CONTEXT_AFTER)
# Their key words, found first by a plain scan (few texts have one): the patterns run only near them.
_FIRM_CONTEXT_WORD = re.compile("창업자|창업주|설립자|창립자|이사회|주주총회|창업한|설립한|창립한")


def founded_organisations(
    text: str, tokens: TokenColumns, mentions: list[Mention], forms: EntityForms, gazetteer: Gazetteer
) -> list[Mention]:
    """`딥칩스 창업자인 조민석 대표`, `그린테크 이사회는`, `위지웍스는 주주총회에서`: what has a founder, a board or
    a shareholders' meeting, or was founded, is an organisation (KLUE's training split: 4 of 4 names before a
    founder), unless it is a person's name (`김범수 창업자`: shaped like a Korean full name or known as a
    person). A tagged person or place there is retyped; an untagged word holding a name is added."""
    anchors = [match.start() for match in _FIRM_CONTEXT_WORD.finditer(text)]
    if not anchors:
        return mentions
    for mention in mentions:
        if (
            mention.type in ("PERSON", "LOC")
            and _FIRM_CONTEXT.match(text, mention.end)
            and not shaped_like_full_name(mention.surface)
            and not known_as(mention.surface, "PS", forms, gazetteer)
        ):
            mention.type = "ORG"
    added: list[Mention] = []
    taken: SpanIndex | None = None
    for anchor in anchors:
        # the word before the key word: its 20 characters and the particle and 정기/임시 between
        match = _BODY_OF_A_FIRM.search(text, max(0, anchor - 30), anchor + 8)
        if match is None:
            continue
        start, end = match.span(1)
        taken = taken or SpanIndex((mention.start, mention.end) for mention in mentions)
        inside = range(bisect_left(tokens.starts, start), bisect_left(tokens.starts, end))
        if (
            taken.overlaps(start, end)
            or any(other.start == start for other in added)  # two key words near one name
            or shaped_like_full_name(match.group(1))
            or not _holds_a_name(tokens, inside)
        ):
            continue
        added.append(Mention(start, end, match.group(1), "ORG", match.group(1)))
    return with_replacements(mentions, added, set())


# `(주)세온테크와`, `㈜한울케미칼`: a company's legal form written before its name, then the name up to its particle
# (not the form written after a name: `경안레저산업(주) 남부터미널`).
_AFTER_LEGAL_FORM = re.compile(
    r"(?<![0-9A-Za-z가-힣])(?:\(주\)|㈜)\s?([0-9A-Za-z가-힣&]{2,20}?)(?=(?:은|는|이|가|을|를|에|와|과|의|로|도)?(?:[\s,.'\"’”)]|$))"
)


def companies_by_legal_form(text: str, tokens: TokenColumns, mentions: list[Mention]) -> list[Mention]:
    """A name after `(주)` / `㈜` (a joint-stock company) is an organisation: a person or place tagged there is
    retyped, an untagged word holding a name added."""
    if "(주)" not in text and "㈜" not in text:
        return mentions
    for mention in mentions:
        if LEGAL_FORM_BEFORE.match(mention.surface):
            mention.type = "ORG"  # the tagger took the form in (`(주)세온테크`): the company
    at_span = {(mention.start, mention.end): mention for mention in mentions}
    taken = SpanIndex(at_span)
    added: list[Mention] = []
    for match in _AFTER_LEGAL_FORM.finditer(text):
        start, end = match.span(1)
        tagged = at_span.get((start, end))
        if tagged is not None:
            tagged.type = "ORG"
            continue
        inside = range(bisect_left(tokens.starts, start), bisect_left(tokens.starts, end))
        if not taken.overlaps(start, end) and _holds_a_name(tokens, inside):
            added.append(Mention(start, end, match.group(1), "ORG", match.group(1)))
    return with_replacements(mentions, added, set())


def offices_as_organisations(mentions: list[Mention]) -> list[Mention]:
    """`부천 원미경찰서` tagged as a place: a public office is an organisation (`OFFICE_HEADS`)."""
    return _as_organisations(
        mentions, lambda m: m.type == "LOC" and len(m.surface) > 2 and m.surface.endswith(OFFICE_HEADS)
    )


def join_city_and_police_station(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """`서울 강남경찰서` read as the city, then the station: the press names a police station with its city,
    and the two are one organisation (KLUE's training split: whole 52 times, split 22)."""

    def station_of_city(city: Mention, station: Mention) -> str | None:
        named = (
            city.type == "LOC"
            and city.surface in gazetteer.regions
            and station.type == "ORG"
            and " " not in station.surface
            and len(station.surface) > 3
            and station.surface.endswith("경찰서")
        )
        return "ORG" if named else None

    return join_spaced_pairs(text, mentions, station_of_city)


def listed_companies_as_organisations(mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """`네이버클라우드` tagged as a person: a name the hand-written company and institution lists hold is an
    organisation (the training split types such names a person 3 times in 3,713)."""
    return _as_organisations(mentions, lambda m: m.type == "PERSON" and m.surface in gazetteer.companies)


# What joins two names of a list inside one span: `카카오벤처스와 DSC인베스트먼트로부터`.
_JOINED_INSIDE = re.compile("(?<=[가-힣A-Za-z0-9])(?:와|과) |, ")


def split_joined_names(mentions: list[Mention], forms: EntityForms, gazetteer: Gazetteer) -> list[Mention]:
    """An organisation or place tagged over a list, `카카오벤처스와 DSC인베스트먼트`, is each of its names, when
    each is a name of that type on its own (known, or ending as an organisation's name does): KLUE's training
    split spans a list joined by 와/과 or a comma as one organisation 2 times in 8,000 (`밤과 음악 사이`)."""
    out: list[Mention] = []
    for mention in mentions:
        if mention.type in ("ORG", "LOC") and _JOINED_INSIDE.search(mention.surface):
            kind = TYPE_TO_KIND[mention.type]
            parts, first = [], 0
            for joiner in _JOINED_INSIDE.finditer(mention.surface):
                parts.append((first, joiner.start()))
                first = joiner.end()
            parts.append((first, len(mention.surface)))
            names = [mention.surface[a:b] for a, b in parts]
            if all(
                len(name) >= 2
                and (known_as(name, kind, forms, gazetteer) or (kind == "OG" and name.endswith(gazetteer.org_suffixes)))
                for name in names
            ):
                for (a, b), name in zip(parts, names, strict=True):
                    out.append(Mention(mention.start + a, mention.start + b, name, mention.type, name))
                continue
        out.append(mention)
    return out


def _as_organisations(mentions: list[Mention], retyped: Callable[[Mention], bool]) -> list[Mention]:
    """`mentions` with those `retyped` picks made organisations (the input itself when it picks none)."""
    if not any(map(retyped, mentions)):
        return mentions
    return [Mention(m.start, m.end, m.surface, "ORG", m.canonical) if retyped(m) else m for m in mentions]


def add_known_organisations(
    text: str, tokens: TokenColumns, mentions: list[Mention], gazetteer: Gazetteer
) -> list[Mention]:
    """`네이버 최수연 대표`, `쏘카 대표`: a proper-noun token the hand-written gazetteers name as a company,
    institution or ministry is an organisation where it states a person's affiliation (a person or a
    title right after it, or a person before it and a unit's post after) or stands in a list beside an
    organisation, even when the tagger missed it.
    Elsewhere the tagger decides: 유튜브 in `유튜브 채널` is a medium, not an organisation, in KLUE's
    convention."""
    forms, tags = tokens.forms, tokens.tags
    # a known name's token has that name as its form (the text's slice is checked below); one scan, in C
    known = gazetteer.organisations.__contains__
    named = [index for index in compress(range(len(forms)), map(known, forms)) if tags[index] == "NNP"]
    if not named:
        return mentions
    taken = [(mention.start, mention.end) for mention in mentions]
    person_starts = {mention.start for mention in mentions if mention.type == "PERSON"}
    person_ends = {mention.end for mention in mentions if mention.type == "PERSON"}
    org_starts = {mention.start for mention in mentions if mention.type == "ORG"}
    # where a list's next name starts after an organisation (`네이버클라우드와 ` -> KT클라우드)
    joined = [_LIST_JOINER.match(text, mention.end) for mention in mentions if mention.type == "ORG"]
    after_organisation = {joiner.end() for joiner in joined if joiner}
    added = []
    starts, ends = tokens.starts, tokens.ends
    for index in named:
        start, end = starts[index], ends[index]
        if text[start:end] not in gazetteer.organisations:
            continue
        affiliation = (
            end + 1 in person_starts
            or title_after(text, end, gazetteer.titles)
            # `김나래 네이버 커머스사업부문 리더`: between a person and a unit's post (not `이승철 트위터`)
            or (start - 1 in person_ends and _post_after_unit(text, end, gazetteer.titles))
        )
        # `네이버클라우드와 KT클라우드`: listed beside an organisation, one of a list of organisations
        after = _LIST_JOINER.match(text, end)
        listed = (after is not None and after.end() in org_starts) or start in after_organisation
        if (affiliation or listed) and not overlaps(start, end, taken):
            surface = text[start:end]
            added.append(Mention(start, end, surface, "ORG", surface))
    if not added:
        return mentions
    return sorted(mentions + added, key=lambda mention: mention.start)


def _post_after_unit(text: str, end: int, titles: frozenset[str]) -> bool:
    """A unit's name and then a post follow `end` (` 커머스사업부문 리더`)."""
    unit = UNIT_BEFORE_POST.match(text, end)
    return unit is not None and title_after(text, unit.end(), titles) is not None


# Nouns that say what kind of company the next word names: "보안 스타트업 시큐어렌즈", "게임사 드림픽셀" (the event
# rules read the same wording).
COMPANY_KINDS = (
    "스타트업",
    "게임사",
    "기획사",
    "제작사",
    "배급사",
    "유통사",
    "공급사",
    "기업",
    "업체",
    "벤처",
    "플랫폼",
    "회사",
    "운영사",
    "개발사",
    "제조사",
    "자회사",
    "계열사",
    "투자사",
    "벤처캐피털",
    "VC",
    "운용사",
    "액셀러레이터",
)
# The word after a kind of company, up to its particle: the company's name.
# Kinds that also end a longer word naming the kind (`시장조사업체 가트너`, `반도체기업 X`, `AI스타트업 X`).
_COMPOUNDING_KINDS = ("스타트업", "기업", "업체", "회사", "벤처", "플랫폼")
_AFTER_COMPANY_KIND = re.compile(
    rf"(?:(?<![가-힣A-Za-z])(?:{'|'.join(COMPANY_KINDS)})|(?<=[가-힣A-Za-z])(?:{'|'.join(_COMPOUNDING_KINDS)}))\s(?:\(주\)|㈜)?['‘\"“]?([0-9A-Za-z가-힣&.\-]{{2,20}}?)['’\"”]?"
    r"(?=(?:\([^)]{1,20}\))?(?:은|는|이|가|을|를|에|에게|와|과|의|로|으로|도|로부터|으로부터)?(?:[\s,.]|$))"
)
# Where a kind stands before a space: found first (a plain scan), the whole pattern tried only there.
_COMPANY_KIND_SPACE = re.compile(rf"(?:{'|'.join(COMPANY_KINDS)})\s")
# Tags of a word that can be a name: a proper noun, a Latin word, a Chinese-character word.
_PROPER_TAGS = frozenset(("NNP", "SL", "SH"))


# Particles that follow only a final consonant (펫닥이, 펫닥을), and those that follow only a vowel (라온가).
_AFTER_CONSONANT = frozenset("이은을과")
_AFTER_VOWEL = frozenset("가는를와")


def _misread_particle(last: str, following: str) -> bool:
    """Whether a particle-like syllable after a name's `last` syllable cannot be that particle, by the sound it
    follows: it is then the name's own last syllable."""
    if not following or not HANGUL_SYLLABLE.match(last):
        return False
    vowel_final = ends_in_vowel(last)
    return (following in _AFTER_CONSONANT and vowel_final) or (following in _AFTER_VOWEL and not vowel_final)


def described_companies(
    text: str, tokens: TokenColumns, mentions: list[Mention], gazetteer: Gazetteer
) -> list[Mention]:
    """`모빌리티 스타트업 라이드온의`, `게임사 드림픽셀 창업자`: the word after a kind of company is a company. The
    tagger, trained on older general news, reads many such new names as people, or takes the kind in with the
    name; here a person or place that is no Korean name, or one holding the kind, gives way to the company.
    The word must hold a proper noun, a Latin word or a guessed token (`대표`, `업계` are no names)."""
    starts = tokens.starts
    replaced: set[int] = set()
    added: list[Mention] = []
    for candidate in _COMPANY_KIND_SPACE.finditer(text):
        match = _AFTER_COMPANY_KIND.match(text, candidate.start())
        if match is None:
            continue
        first, last = match.span(1)
        if _misread_particle(text[last - 1], text[last : last + 1]):
            last += 1  # `캐시웨이 신임 대표`: 이 after a vowel is no subject particle (`펫닥이` keeps it one)
        word = text[first:last]
        if word[0].isdigit():
            continue  # "기업 5곳에": a count
        if first and text[first - 1] in OPENING_QUOTES and text[last : last + 1] not in CLOSING_QUOTES:
            continue  # `플랫폼 'XDR 코파일럿'`: the first word of a longer quoted title, a product's
        if word in gazetteer.common_terms:
            continue
        if not _holds_a_name(tokens, range(bisect_left(starts, first), bisect_left(starts, last))):
            continue
        crossing = [m for m in mentions if m.start < last and first < m.end]
        if any(m.type == "ORG" for m in crossing):
            continue  # the tagger has an organisation there already
        if any(m.surface in gazetteer.places for m in crossing):
            continue  # `금융회사 뉴욕지사`: a known place's office, not a company's name
        kind_start = match.start()
        if any(
            not (first <= m.start and m.end <= last)  # a mention wider than the word ...
            and not (m.start == kind_start and m.end == last)  # ... other than the kind and the name
            or (m.type == "PERSON" and shaped_like_full_name(m.surface))  # 스타트업 김철수: keep the person
            for m in crossing
        ):
            continue
        replaced.update(id(m) for m in crossing)
        added.append(Mention(first, last, word, "ORG", word))
    return with_replacements(mentions, added, replaced)


# Endings that make a word an investment firm or a holding company whatever its stem (신한벤처투자, KB인베스트먼트,
# 앵커에쿼티파트너스), then endings of tech companies (`퓨리오사AI`, `스캐터랩`, `레인보우로보틱스`), whose stem
# must be a proper noun, a Latin word or a word Kiwi guessed (생성형AI, 신재생에너지 are no companies). The KLUE
# text, older than most such names, rarely shows one, so the tagger misses them in IT news, where they are the
# investors and the subjects of every deal.
_INVESTOR_ENDINGS = ("벤처투자", "창업투자", "기술투자", "인베스트먼트", "파트너스", "벤처스", "캐피탈", "자산운용")
_INVESTOR_ENDINGS += ("액셀러레이터", "홀딩스")
_TECH_ENDINGS = frozenset(
    ("AI", "랩", "랩스", "테크놀로지", "테크놀로지스", "로보틱스", "모빌리티", "헬스케어", "소프트", "게임즈")
    + ("스튜디오", "네트웍스", "시스템즈", "솔루션즈", "에너지", "엔터테인먼트")
    + ("코퍼레이션", "컴퍼니", "커뮤니케이션즈", "인터내셔널", "테라퓨틱스", "바이오")
)
# A flat alternation of literals, longest first: `re` then skips positions whose character starts none of them.
_FIRM_ENDING = re.compile(
    "(?:"
    + "|".join(sorted((*_INVESTOR_ENDINGS, *_TECH_ENDINGS), key=len, reverse=True))
    + r")(?=[가-힣]{0,4}(?:\s|$|[,.·)'\"’”]))"
)
_NOUN_TAGS = frozenset(("NNP", "NNG", "SL", "SN", "SH", "XPN", "XSN", "NR"))


def add_firms_by_ending(
    text: str, tokens: TokenColumns, mentions: list[Mention], gazetteer: Gazetteer
) -> list[Mention]:
    """A word of nouns ending like an investment firm (`신한벤처투자를`, `KB인베스트먼트와`) or a tech company
    (`퓨리오사AI는`) is an organisation: the word up to its particles, replacing any mention inside it (the
    tagger's `신한` place), unless a mention runs across the word's edge (a longer name the tagger read) or
    the word is an everyday term (`레드바이오`)."""
    if _FIRM_ENDING.search(text) is None:
        return mentions
    starts, ends, tags, bounds = tokens.starts, tokens.ends, tokens.tags, tokens.eojeols
    mentions = sorted(mentions, key=lambda mention: mention.start)
    added: list[Mention] = []
    inside: set[int] = set()
    for match in _FIRM_ENDING.finditer(text):
        token = bisect_left(ends, match.end())  # the token the ending closes
        if token >= len(starts):
            continue
        eojeol = bisect_right(bounds, token) - 1  # its eojeol: tokens bounds[eojeol] .. bounds[eojeol + 1] - 1
        first, last = bounds[eojeol], bounds[eojeol + 1] - 1
        while last > first and (tags[last].startswith("J") or tags[last] in PUNCTUATION_TAGS):
            last -= 1  # the particles and the punctuation after the name
        word_start, word_end = starts[first], ends[last]
        if word_end != match.end() or match.start() == word_start:
            continue  # the ending is not the word's end (a particle-like token read otherwise), or has no stem
        # the stem must be nouns; the ending itself may be misread (벤처스 파트너: 벤처 + 스 as a verb)
        stem_end = bisect_left(starts, match.start(), first, last + 1)
        if not all(tag in _NOUN_TAGS for tag in tags[first:stem_end]):
            continue
        if match.group() in _TECH_ENDINGS and not _holds_a_name(tokens, range(first, stem_end)):
            continue
        if text[word_start:word_end] in gazetteer.common_terms:
            continue
        crossing = _mentions_within_reach(mentions, word_start, word_end)
        if any(m.start < word_start or m.end > word_end for m in crossing):
            continue
        if any(m.type == "ORG" and m.start == word_start and m.end == word_end for m in crossing):
            continue
        inside.update(id(m) for m in crossing)
        surface = text[word_start:word_end]
        added.append(Mention(word_start, word_end, surface, "ORG", surface))
    return with_replacements(mentions, added, inside)


def _mentions_within_reach(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    """The mentions (in text order, none inside another) that overlap start..end."""
    index = bisect_left(mentions, end, key=lambda mention: mention.start)
    found = []
    while index > 0 and mentions[index - 1].end > start:
        index -= 1
        found.append(mentions[index])
    return found


def listed_people_as_organisations(
    text: str, mentions: list[Mention], forms: EntityForms, gazetteer: Gazetteer
) -> None:
    """`매쉬업엔젤스와 프라이머가`: a "person" listed right beside an organisation (와/과, a comma, a middle
    dot, 및) is one of a list of organisations, unless it is shaped like a Korean full name, KLUE or the
    gazetteers know it as a person (가희와 태국 대표팀), or a title follows."""
    for position, mention in enumerate(mentions):
        surface = mention.surface
        if mention.type != "PERSON" or " " in surface or shaped_like_full_name(surface):
            continue
        if known_as(surface, "PS", forms, gazetteer):
            continue
        before = mentions[position - 1] if position else None
        after = mentions[position + 1] if position + 1 < len(mentions) else None
        joined_before = before is not None and before.type == "ORG" and _joined(text, before.end, mention.start)
        joined_after = after is not None and after.type == "ORG" and _joined(text, mention.end, after.start)
        if (joined_before or joined_after) and not title_after(text, mention.end, gazetteer.titles):
            mention.type = "ORG"


def _joined(text: str, end: int, start: int) -> bool:
    """A list joiner, and nothing else, runs from `end` to `start`."""
    joiner = _LIST_JOINER.match(text, end)
    return joiner is not None and joiner.end() == start


def _holds_a_name(tokens: TokenColumns, inside: range) -> bool:
    """A token of `inside` (token positions) is a proper noun, a Latin word or one Kiwi guessed (the guessed
    positions are in order: found by bisection, not by a scan of the list)."""
    if any(tokens.tags[index] in _PROPER_TAGS for index in inside):
        return True
    guessed = tokens.guessed
    found = bisect_left(guessed, inside.start)
    return found < len(guessed) and guessed[found] < inside.stop


_REST_OF_WORD_BEFORE_ABBREVIATION = re.compile(r"[가-힣]{1,8}(?=\([A-Z][A-Za-z0-9&.\-]*\))")


def _through_abbreviated_word(text: str, mention: Mention) -> Mention:
    """`아마존웹서비스(AWS)` tagged as 아마존: a Latin abbreviation after a word abbreviates the whole word, so an
    organisation the tagger ended inside it runs on to the word's end."""
    rest = _REST_OF_WORD_BEFORE_ABBREVIATION.match(text, mention.end) if mention.type == "ORG" else None
    if rest is None:
        return mention
    surface = text[mention.start : rest.end()]
    return Mention(mention.start, rest.end(), surface, "ORG", surface)


def add_parenthesised_abbreviations(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """`동아시아연맹(EAFF)`: the abbreviation is an organisation mention as well (the tagger often misses an
    abbreviation it never saw); `resolve_organisations` then gives it the full name as canonical. A name
    written again in Chinese characters (`시진핑(習近平)`, `베이징(北京)`), or a place's in Latin letters
    (`비무장지대(DMZ)`), is a mention of the same entity."""
    mentions = [_through_abbreviated_word(text, mention) for mention in mentions]
    taken = [(mention.start, mention.end) for mention in mentions]
    by_span = {(mention.start, mention.end): mention for mention in mentions}
    added = []
    for mention in mentions:
        abbreviation = _PAREN_ABBREVIATION.match(text, mention.end) if mention.type == "ORG" else None
        if abbreviation and len(abbreviation.group(1)) <= 15 and abbreviation.group(1) not in gazetteer.places:
            start, end = abbreviation.span(1)
            tagged = by_span.get((start, end))
            if tagged is not None:
                tagged.type = "ORG"  # `한국표준과학연구원(표준연)`: the tagger read 표준연 as a person
            elif not overlaps(start, end, taken):
                added.append(Mention(start, end, text[start:end], "ORG", text[start:end]))
        # `북방한계선(NLL)`, `비무장지대(DMZ)`: a Latin name after a place is that place (13 of 13 in the training
        # split; the tagger reads most Latin as organisations)
        gloss = _PAREN_LATIN.match(text, mention.end) if mention.type == "LOC" else None
        hanja = gloss or (PAREN_HANJA.match(text, mention.end) if mention.type in NAMED_TYPES else None)
        if hanja:
            start, end = hanja.span(1)
            tagged = by_span.get((start, end))
            if tagged is not None:
                # the gloss names what the name before it names (34 of 35 glosses in the training split carry
                # its type): 도요타(豊田) is the company even where the tagger reads 豊田 as a person
                tagged.type, tagged.canonical = mention.type, mention.canonical
            elif not overlaps(start, end, taken):
                added.append(Mention(start, end, text[start:end], mention.type, mention.canonical))
    if not added:
        return mentions
    return sorted(mentions + added, key=lambda mention: mention.start)


def organisations_named_as_affiliations(
    text: str, mentions: list[Mention], forms: EntityForms, gazetteer: Gazetteer
) -> None:
    """`네이버클라우드는 …` tagged a person where the same text names it an organisation beside a person or a
    title (`김유원 네이버클라우드 대표`): the name is that organisation throughout the text. A second "person"
    between a Korean full name and a title (`한지우 오픈랩 대표`) is that affiliation too: the training split
    has a person, a person and a title in a row 4 times, each with 씨 (a form of address, not a post), and a
    person, an organisation and a title 150 times. Not a foreign name's two words (`오얀타 우말라 대통령`)."""
    for previous, mention in zip(mentions, mentions[1:], strict=False):
        if (
            previous.type == mention.type == "PERSON"
            and text[previous.end : mention.start] == " "
            and len(mention.surface) >= 2
            and looks_like_korean_name(previous.surface, mention.surface, gazetteer)
            and not one_foreign_name(previous.surface, mention.surface, forms, gazetteer)
            and post_after(text, mention.end, gazetteer)
        ):
            mention.type = "ORG"
    affiliations = set()
    for index, mention in enumerate(mentions):
        if mention.type != "ORG":
            continue
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        beside_person = following is not None and following.type == "PERSON" and following.start - mention.end <= 1
        previous = mentions[index - 1] if index > 0 else None
        after_person = previous is not None and previous.type == "PERSON" and mention.start - previous.end <= 1
        if beside_person or after_person or title_after(text, mention.end, gazetteer.titles):
            affiliations.add(mention.surface)
    for mention in mentions:
        if mention.type == "PERSON" and mention.surface in affiliations:
            mention.type = "ORG"


# A word between a Korean full name and a post that is no affiliation: when, which one, what kind of post.
_NOT_AFFILIATIONS = frozenset(("신임", "차기", "초대", "당시", "공동", "무소속", "당선인", "내정자", "수석", "단독"))
_WORD_AT = re.compile(r"[0-9A-Za-z가-힣&]+(?= )")
_LATIN_WORD = re.compile(r"[A-Za-z&]+")


def add_affiliations_between(
    text: str, tokens: TokenColumns, mentions: list[Mention], gazetteer: Gazetteer
) -> list[Mention]:
    """`윤서연 핀포인트 대표`: an untagged word between a Korean full name and a post is the person's organisation
    when Kiwi reads a proper noun in it or guessed it (KLUE's training split: such a word before a post is an
    organisation 60 times, a country 13, something else about 20 besides 전). Latin words (`AI 연구소장`),
    places and the words of `_NOT_AFFILIATIONS` are left alone."""
    added: list[Mention] = []
    taken: list[tuple[int, int]] | None = None
    for mention in mentions:
        if (
            mention.type != "PERSON"
            or not shaped_like_full_name(mention.surface)
            or text[mention.end : mention.end + 1] != " "
        ):
            continue
        word = _WORD_AT.match(text, mention.end + 1)
        if word is None or title_after(text, word.end(), gazetteer.titles) is None:
            continue
        surface, start, end = word.group(), word.start(), word.end()
        if surface in _NOT_AFFILIATIONS or TENSE_OF_POST.issuperset(surface) or _LATIN_WORD.fullmatch(surface):
            continue
        if surface in gazetteer.places:
            continue
        taken = taken if taken is not None else [(other.start, other.end) for other in mentions]
        if overlaps(start, end, taken):
            continue
        inside = range(bisect_left(tokens.starts, start), bisect_left(tokens.starts, end))
        if not inside or tokens.tags[inside[-1]].startswith("J") or surface in gazetteer.titles:
            continue  # `이지은 CFO가 부사장으로`: a post with its particle, the next word another post
        if _holds_a_name(tokens, inside):
            added.append(Mention(start, end, surface, "ORG", surface))
    return with_replacements(mentions, added, set())

"""Place rules: place heads and glossed units a place runs through, places the tagger missed (by their
ending, the noun before them, the training forms), places next to each other joined into one, a leading
country split off an organisation, an address split from the body it names."""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import compress

from transforms.entities.entity_forms import EntityForms
from transforms.entities.features import HANGUL_SYLLABLE, TokenColumns
from transforms.entities.gazetteer import Gazetteer
from transforms.entities.rules.common import (
    NAMED_TYPES,
    PAREN_HANJA,
    SpanIndex,
    extend_through_match,
    join_spaced_pairs,
    known_as,
    stands_as_word,
    with_replacements,
    without_covered,
)
from transforms.records import Mention

# Nouns that, written onto a place's name, make a place with a name of its own (중부내륙 + 고속도로, 부산 + 항).
# In the KLUE training split each of them glued onto a place is inside the place's span every time (5-129 cases
# each, 산 129 of 132); 시장, 지역 and 로 are left out (outside as often as inside). 청사 (11 of 12), and a
# company's 캠퍼스 and 사옥, which IT news names its sites by (`삼성전자 서초사옥`, `평택캠퍼스`; KLUE: 1 and 0).
PLACE_HEADS = frozenset(
    ("역", "고속도로", "터널", "공원", "분기점", "나들목", "해안", "공항", "항", "대교", "광장", "거리", "길", "병원")
    + ("호텔", "빌딩", "센터", "경기장", "성당", "강", "호수", "산", "청사", "캠퍼스", "사옥")
)
# A country's own state body (일본 기상청, 이스라엘 통계청, 미국 국방부) is named by the country and the body together:
# KLUE's training split keeps such a pair as one organisation 130 times and splits it 9 times; so too a
# university or a unit ending in 대 (스위스 베른대, 미국 해병대: 12 whole, 4 split). A company or a paper after a
# country is split off about 3 times in 5 (일본 아사히신문, 미국 트위터; whole: 미국 CNN, 일본 롯데). A national
# team is named by its country too (`한국 대표팀`, `스페인 축구대표팀`: 18 whole, 7 split).
# (법원 and 당국 end in 원 and 국.)
_STATE_BODY_HEAD = re.compile(r"(?:청|부|처|국|원|위원회|의회|경찰|군|대|대학|대학교|팀)$")
# Units written straight after a place's Chinese-character gloss: `이란(宜蘭)현`, `창샤(長沙)시`, `시산(西山)향`.
# KLUE's training split spans the name, gloss and unit (or place noun: `허핑춘(和平村)호텔`) as one place 13
# times and splits them 4 times (시마네(島根)현). 가 (a street, and a particle) is left out.
GLOSSED_PLACE_UNITS = frozenset(("성", "시", "현", "구", "향", "진", "촌", "주", "군", "읍", "면"))


# Endings of a place's own name that Kiwi's dictionary holds whole as one proper noun (`인천공항`, `방화대교`,
# `덕수궁`, `광화문광장`). In KLUE's training split such a one-token word, standing as a word of its own (a
# particle at most after it), is a place 70-100% of the times each ending occurs (공항 19 of 21, 대교 8 of 9,
# 반도 26 of 29, 궁 12 of 15, 광장 10 of 14; the rest inside a longer place). Endings that as often name a
# body (병원, 공단, 의료원, 센터, 청사) or a thing (고속도로, 공원) are left to the tagger, and so is 역: a
# station, but also a role (`악마역`) and a zone (`13구역`).
_PLACE_NAME_ENDING = re.compile(
    r"(?:공항|대교|반도|궁|광장|터널|분기점|나들목|저수지|박물관|휴게소|구치소|교도소|산맥|해협|빌딩)"
)


def add_places_by_ending(text: str, tokens: TokenColumns, mentions: list[Mention], forms: EntityForms) -> list[Mention]:
    """`인천공항을`, `광화문광장에서` missed by the tagger: a proper-noun token Kiwi keeps whole, ending in a
    `_PLACE_NAME_ENDING`, standing as its own word with nothing but particles after it, is a place, unless
    the KLUE training forms know it as another kind of name or only outside names."""
    if _PLACE_NAME_ENDING.search(text) is None:
        return mentions
    starts, ends, forms_of, tags, bounds = tokens.starts, tokens.ends, tokens.forms, tokens.tags, tokens.eojeols
    taken = SpanIndex((mention.start, mention.end) for mention in mentions)
    added: list[Mention] = []
    for match in _PLACE_NAME_ENDING.finditer(text):
        token = bisect_left(ends, match.end())
        if token >= len(starts) or ends[token] != match.end() or tags[token] != "NNP":
            continue
        start, end = starts[token], ends[token]
        # its form is the text (no normalised spelling), the ending has a stem, and the token is its word
        if forms_of[token] != text[start:end] or match.start() == start or not stands_as_word(tags, bounds, token):
            continue
        entry = forms.entries.get(text[start:end])
        if (entry is not None and entry[0] != "LC") or text[start:end] in forms.plain:
            continue
        if taken.overlaps(start, end):
            continue
        added.append(Mention(start, end, text[start:end], "LOC", text[start:end]))
    return with_replacements(mentions, added, set())


# Nouns that say the next word is a place: `수도 키토`, `항구도시 이키케`, `휴양지 누키`. In KLUE's training split
# the proper noun standing as the word after one of them is a place 13 times and part of a longer place 3 times
# (`수도 바그다드 시내`). 인근 and 마을 are left out: Kiwi reads everyday nouns after them as proper (`인근 옹벽`).
_PLACE_CUE_BEFORE = re.compile(r"(?<![가-힣])(?:수도|도시|항구도시|소도시|신도시|휴양지|섬) ")


def add_places_after_place_nouns(text: str, tokens: TokenColumns, mentions: list[Mention]) -> list[Mention]:
    """`수도 테구시갈파에서`, a foreign town the tagger does not know: an untagged proper noun that is its word
    (particles at most after it) right after a noun that says it is a place is one."""
    if _PLACE_CUE_BEFORE.search(text) is None:
        return mentions
    starts, ends, tags, bounds = tokens.starts, tokens.ends, tokens.tags, tokens.eojeols
    taken = SpanIndex((mention.start, mention.end) for mention in mentions)
    added: list[Mention] = []
    for match in _PLACE_CUE_BEFORE.finditer(text):
        token = bisect_left(starts, match.end())
        if token >= len(starts) or starts[token] != match.end() or tags[token] != "NNP":
            continue
        start, end = starts[token], ends[token]
        if not stands_as_word(tags, bounds, token) or taken.overlaps(start, end):
            continue
        added.append(Mention(start, end, text[start:end], "LOC", text[start:end]))
    return with_replacements(mentions, added, set())


def add_places_the_training_forms_know(
    text: str, tokens: TokenColumns, mentions: list[Mention], forms: EntityForms
) -> list[Mention]:
    """`영국에서는` left untagged: a proper noun standing as its word (particles at most after it) that KLUE's
    training forms type as a place more often than as anything else is one. Only Kiwi's proper nouns: the
    common nouns among such forms are far more often no place."""
    starts, ends, forms_of, tags, bounds = tokens.starts, tokens.ends, tokens.forms, tokens.tags, tokens.eojeols
    taken: SpanIndex | None = None
    added: list[Mention] = []
    for token in compress(range(len(tags)), map(forms.places.__contains__, forms_of)):
        start, end = starts[token], ends[token]
        # most such places are the tagger's already: that test first
        if taken is None:
            taken = SpanIndex((mention.start, mention.end) for mention in mentions)
        if tags[token] != "NNP" or taken.overlaps(start, end):
            continue
        if forms_of[token] != text[start:end] or not stands_as_word(tags, bounds, token):
            continue
        added.append(Mention(start, end, text[start:end], "LOC", text[start:end]))
    return with_replacements(mentions, added, set())


# Regions named as a part of the province before them (`강원 영동`, `경북 동해안`): KLUE's training split keeps
# the pair one place 18 times and splits it 3.
_PARTS_OF_A_PROVINCE = frozenset(("영동", "영서", "동해안", "서해안", "남해안"))


def join_place_chains(text: str, tokens: TokenColumns, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """`프랑스 칸`, `미국 캘리포니아주 멘로파크` found as two places next to each other: one place, narrowing
    from the country or region (KLUE's training split: a country and the place in it whole 213 times, split
    12; a region and a place that is no region 314 and 14). Two countries, or two regions (`서울 경기`), are
    a list. A listed region the tagger missed after the place is read the same way (`태국 방콕의`)."""
    untagged = _listed_regions_after_places(text, tokens, mentions, gazetteer)
    # an untagged region stays only inside the place it joins
    candidates = {id(mention) for mention in untagged}
    if untagged:
        mentions = sorted([*mentions, *untagged], key=lambda mention: mention.start)

    def narrowing(place: Mention, inside: Mention) -> str | None:
        if place.type != "LOC" or inside.type != "LOC" or inside.surface in gazetteer.countries:
            return None
        if place.surface.partition(" ")[0] in gazetteer.countries:
            return "LOC"
        in_region = place.surface in gazetteer.regions and (
            inside.surface not in gazetteer.regions or inside.surface in _PARTS_OF_A_PROVINCE
        )
        return "LOC" if in_region else None

    return [mention for mention in join_spaced_pairs(text, mentions, narrowing) if id(mention) not in candidates]


def _listed_regions_after_places(
    text: str, tokens: TokenColumns, mentions: list[Mention], gazetteer: Gazetteer
) -> list[Mention]:
    """Untagged proper nouns the gazetteer lists as regions, standing as the word after a place and a space."""
    starts, ends, forms, tags, bounds = tokens.starts, tokens.ends, tokens.forms, tokens.tags, tokens.eojeols
    found: list[Mention] = []
    for position, mention in enumerate(mentions):
        following = mentions[position + 1] if position + 1 < len(mentions) else None
        if mention.type != "LOC" or (following is not None and following.start <= mention.end + 1):
            continue
        token = bisect_left(starts, mention.end + 1)
        if token >= len(starts) or starts[token] != mention.end + 1 or text[mention.end] != " ":
            continue
        if (
            tags[token] != "NNP"
            or forms[token] not in gazetteer.regions
            or forms[token] != text[starts[token] : ends[token]]
        ):
            continue
        if not stands_as_word(tags, bounds, token):
            continue
        if following is not None and following.start < ends[token]:
            continue
        found.append(Mention(starts[token], ends[token], forms[token], "LOC", forms[token]))
    return found


def extend_through_place_heads(text: str, tokens: TokenColumns, mentions: list[Mention]) -> list[Mention]:
    """`중부내륙고속도로`, `상주터널` tagged as the place alone: the place runs on through the nouns written onto
    it when the last of them is a `PLACE_HEADS` noun (KLUE's span for such a name)."""
    starts, ends, forms, tags = tokens.starts, tokens.ends, tokens.forms, tokens.tags
    result = mentions
    for position, mention in enumerate(mentions):
        # only a place with a syllable written straight after it can run on
        if mention.type != "LOC" or not HANGUL_SYLLABLE.match(text, mention.end):
            continue
        limit = mentions[position + 1].start if position + 1 < len(mentions) else len(text)
        index, glued_at, new_end = bisect_left(starts, mention.end), mention.end, None
        while (
            index < len(starts) and starts[index] == glued_at and tags[index] in ("NNG", "NNP") and ends[index] <= limit
        ):
            if forms[index] in PLACE_HEADS:
                new_end = ends[index]
            glued_at = ends[index]
            index += 1
        if new_end is not None:
            result = result.copy() if result is mentions else result
            surface = text[mention.start : new_end]
            result[position] = Mention(mention.start, new_end, surface, "LOC", surface)
    return result


# Words that, written after a place as a word of their own, name a site at that place (`로스앤젤레스 공항`,
# `서울 올림픽홀`, `목동 아이스링크장`, `서울 올림픽공원 체조경기장`): KLUE's training split keeps such a word
# inside the place's span 2-17 times each and leaves it out at most 1 time in 6 (공항 16 to 2, 광장 17 to 1,
# 호텔 14 to 0, 홀 12 to 0, 체육관 8 to 0). 역, 시장, 거리, 해상 and 앞바다 are left out (outside as often: `경기
# 지역`, `중국 시장`), and so are 사원 (an employee too) and 항 (`주의 사항`); 홀 ends a longer word only (`홀로`
# is alone).
_SPACED_PLACE_HEAD = re.compile(
    r" (?:[가-힣]{0,6}?(?:공항|광장|온천|경기장|체육관|빙상장|링크장|공원|호텔|리조트|성당|해수욕장|대교|터널|타워|"
    r"빌딩|청사|박물관|미술관|기념관|전시관|극장|스타디움|아레나|분향소|섬)|[가-힣]{1,6}홀)"
    r"(?=(?:에서는|에서도|에서|에는|에도|에|으로|로|을|를|은|는|이|가|의|과|와|까지|부터|도)?(?:[^가-힣]|$))"
)


def extend_through_spaced_place_heads(text: str, mentions: list[Mention]) -> list[Mention]:
    """`로스앤젤레스 공항` tagged as the city alone: the place runs on through the next word when that word ends in
    a `_SPACED_PLACE_HEAD` noun and no other name is in it."""
    return extend_through_match(text, mentions, "LOC", _SPACED_PLACE_HEAD)


def extend_through_glossed_units(text: str, tokens: TokenColumns, mentions: list[Mention]) -> list[Mention]:
    """`이란(宜蘭)현` tagged as 이란 (and perhaps 宜蘭): one place runs through the gloss and the unit or place
    noun written straight after it; a mention of the gloss alone goes."""
    starts, ends, forms, tags = tokens.starts, tokens.ends, tokens.forms, tokens.tags
    result = mentions
    extended: list[tuple[int, int]] = []
    for position, mention in enumerate(mentions):
        gloss = PAREN_HANJA.match(text, mention.end) if mention.type in NAMED_TYPES else None
        if gloss is None:
            continue
        index = bisect_left(starts, gloss.end())
        if not (
            index < len(starts)
            and starts[index] == gloss.end()
            and tags[index] in ("NNG", "NNB", "NNP")
            and (forms[index] in GLOSSED_PLACE_UNITS or forms[index] in PLACE_HEADS)
        ):
            continue
        result = result.copy() if result is mentions else result
        surface = text[mention.start : ends[index]]
        result[position] = Mention(mention.start, ends[index], surface, "LOC", surface)
        extended.append((mention.start, ends[index]))
    if not extended:
        return mentions
    # the gloss's own mention (anything the longer place now covers) goes
    return without_covered(result, extended)


def split_leading_country(
    tokens: TokenColumns, mentions: list[Mention], forms: EntityForms, gazetteer: Gazetteer
) -> list[Mention]:
    """`일본 소프트뱅크` tagged as one organisation: the country is a place, the rest the organisation,
    when the rest is a proper noun that the lexicons know as an organisation. `일본 정부`, `중국 당국`,
    `북한 노동신문`, `일본 기상청` stay whole: there the country is part of what names the body."""
    if not any(
        mention.type == "ORG" and mention.surface.partition(" ")[0] in gazetteer.countries for mention in mentions
    ):
        return mentions
    tag_at = dict(zip(tokens.starts, tokens.tags, strict=True))
    result: list[Mention] = []
    for mention in mentions:
        country, space, rest = mention.surface.partition(" ")
        rest_start = mention.start + len(country) + len(space)
        if (
            mention.type == "ORG"
            and rest
            and country in gazetteer.countries
            and tag_at.get(rest_start) in ("NNP", "SL", "SH")
            and not _STATE_BODY_HEAD.search(rest)
            and known_as(rest, "OG", forms, gazetteer)
        ):
            result.append(Mention(mention.start, mention.start + len(country), country, "LOC", country))
            result.append(Mention(rest_start, mention.end, rest, "ORG", rest))
        else:
            result.append(mention)
    return result


# Chains whose branch, named with its place, is a place itself (`대학로 CGV`, `명동 롯데백화점`: KLUE types the
# whole a place): cinemas, stores, malls, hotels.
_VENUE_CHAIN = re.compile(r"(?:CGV|메가박스|시네마|백화점|마트|몰|아울렛|월드|호텔|이마트|홈플러스|코엑스)$")

# A word that names a body by its head: a school or university, police, a court or prosecutors, a party, a
# company's legal form or group, a paper or broadcaster. Churches, halls and canteens end in 당 too; 일대, 시대
# are no bodies; a two-syllable `홍대` is as often the district as the university.
_BODY_HEAD = re.compile(
    r"(?:[가-힣]{2,}(?:대|대학|대학교|고|여고|고교|초등학교|중학교|고등학교|당|도당|시당)|[가-힣]*(?:경찰서|경찰청|"
    r"지방법원|지법|지검|법원|검찰청|교육청|위원회|그룹|신문|일보|방송)|AG|GmbH|Inc\.?|Corp\.?|Ltd\.?)$"
)
_NOT_BODY = re.compile(r"(?:성당|식당|회당|전당|강당|서당|본당|마당|일대|지대|무대|시대|세대|최대|역대|[0-9]대)$")
# A word of an address: a listed country or region, or an administrative unit (`수성구`, `효고현`, `칭하이성`);
# a neighbourhood or street (`서교동`, `통일로`) makes it a street address.
_ADDRESS_WORD = re.compile(r"[가-힣]{1,8}(?:특별시|광역시|시|도|군|구|주|성|현)")
_STREET_WORD = re.compile(r"[가-힣0-9]{1,8}(?:동|읍|면|리|가|로|길|지구)")


def split_address_from_body(mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """A place whose last word names a body, `경기도 성남시 분당구 네이버` (a listed company), `파주 한민고`,
    `대구 수성구 새누리당 경북도당`: the address, then the body as an organisation (KLUE's training split: an
    address before such a body is a place and the body an organisation 56 times; the whole a place 11 times,
    nearly all full street addresses). A venue chain's branch stays one place."""
    result: list[Mention] = []
    for mention in mentions:
        words = mention.surface.split(" ")
        last = words[-1]
        if (
            mention.type != "LOC"
            or len(words) < 2
            or _VENUE_CHAIN.search(last)
            or not (last in gazetteer.companies or (_BODY_HEAD.search(last) and not _NOT_BODY.search(last)))
        ):
            result.append(mention)
            continue
        place = " ".join(words[:-1]) if last in gazetteer.companies else _short_address(words, gazetteer)
        if not place:
            result.append(mention)
            continue
        body = mention.surface[len(place) + 1 :]
        result.append(Mention(mention.start, mention.start + len(place), place, "LOC", place))
        result.append(Mention(mention.end - len(body), mention.end, body, "ORG", body))
    return result


def _short_address(words: list[str], gazetteer: Gazetteer) -> str:
    """The leading place words before a body (`대구 수성구`), or "" when there are none or they make a street
    address (three or more words, or a neighbourhood or street: `제주시 노형동 남녕고` is where something
    happened, one place)."""
    address_words = 0
    while address_words < len(words) - 1 and _is_address_word(words[address_words], gazetteer):
        address_words += 1
    address = words[:address_words]
    if not address or len(address) > 2 or any(_STREET_WORD.fullmatch(word) for word in address):
        return ""
    return " ".join(address)


def _is_address_word(word: str, gazetteer: Gazetteer) -> bool:
    return word in gazetteer.places or bool(_ADDRESS_WORD.fullmatch(word) or _STREET_WORD.fullmatch(word))
